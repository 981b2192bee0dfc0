/**
 * Network patterns and the per-URL decision: wildcards, ports, look-alike hosts, user-info tricks,
 * IP-literal spellings and schemes.
 */
import {
  decideNet,
  type NetPattern,
  parseNetPattern,
  parseNetTarget,
  patternAllows,
  patternCovers,
} from "../../src/host/net_policy.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../assert.ts";

const patterns = (...texts: string[]): NetPattern[] => texts.map(parseNetPattern);
const allowed = (url: string, allow: string[], deny: string[] = []): boolean =>
  decideNet(parseNetTarget(url), patterns(...allow), patterns(...deny)).allowed;

Deno.test("parseNetPattern reads host, host:port and *.domain (lower-cased, trimmed)", () => {
  assertEquals(parseNetPattern("Example.COM"), {
    text: "example.com",
    host: "example.com",
    wildcard: false,
    port: undefined,
  });
  assertEquals(parseNetPattern(" api.example.com:443 "), {
    text: "api.example.com:443",
    host: "api.example.com",
    wildcard: false,
    port: 443,
  });
  assertEquals(parseNetPattern("*.example.com:8080"), {
    text: "*.example.com:8080",
    host: "example.com",
    wildcard: true,
    port: 8080,
  });
  assertEquals(parseNetPattern("[::1]:80").host, "[::1]");
  assertEquals(parseNetPattern("1:1").port, 1);
  assertEquals(parseNetPattern("h:65535").port, 65535);
});

Deno.test("parseNetPattern canonicalises IPv4 spellings like the URL parser", () => {
  assertEquals(parseNetPattern("127.1").host, "127.0.0.1");
  assertEquals(parseNetPattern("0x7f.0.0.1").host, "127.0.0.1");
  assertEquals(parseNetPattern("2130706433").host, "127.0.0.1");
  assertEquals(parseNetPattern("[0:0:0:0:0:0:0:1]").host, "[::1]");
});

Deno.test("parseNetPattern refuses ports 0 and 65536, and malformed patterns", async () => {
  for (
    const bad of [
      "example.com:0",
      "example.com:65536",
      "example.com:99999",
      "example.com:",
      "",
      "*",
      "*.",
      "*.*.example.com",
      "a.*.example.com",
      "http://example.com",
      "example.com/path",
      "user@example.com",
      "-example.com",
      "example-.com",
      "exa_mple.com",
      "example.com.",
      "*.0.1",
      "*.127.0.0.1",
      "*.[::1]",
      "999999999999",
      "[zz::1]",
      "example.com:443:1",
    ]
  ) {
    await assertPxosError(() => parseNetPattern(bad), "E_PERMISSION");
  }
  await assertPxosError(() => parseNetPattern("h:0"), "E_PERMISSION", /network pattern/);
});

Deno.test("parseNetTarget: http(s) only, effective port, no user info", async () => {
  const t = parseNetTarget("https://API.Example.com/x?y");
  assertEquals([t.host, t.port], ["api.example.com", 443]);
  assertEquals(parseNetTarget("http://example.com/").port, 80);
  assertEquals(parseNetTarget("http://example.com:80/").port, 80);
  assertEquals(parseNetTarget("http://example.com:443/").port, 443);
  assertEquals(parseNetTarget("https://example.com:8443/").port, 8443);
  for (
    const bad of [
      "ftp://example.com/",
      "file:///etc/passwd",
      "ws://example.com/",
      "wss://example.com/",
      "data:text/plain,hi",
      "blob:http://example.com/x",
      "javascript:alert(1)",
      "about:blank",
    ]
  ) {
    await assertPxosError(() => parseNetTarget(bad), "E_PERMISSION", /only http and https/);
  }
  await assertPxosError(() => parseNetTarget("not a url"), "E_PERMISSION", /expected an http/);
  await assertPxosError(() => parseNetTarget("/relative"), "E_PERMISSION");
  await assertPxosError(() => parseNetTarget("http://"), "E_PERMISSION");
});

Deno.test("user-info tricks are refused before any host check", async () => {
  for (
    const url of [
      "http://example.com@evil.net/",
      "http://user:pw@example.com/",
      "http://user@example.com/",
      "http://:pw@example.com/",
      "https://example.com:443@evil.net/",
    ]
  ) {
    await assertPxosError(() => parseNetTarget(url), "E_PERMISSION", /user name or password/);
  }
  // The parser's reading of the trick: the real host is evil.net, which a naive check would miss.
  assertEquals(new URL("http://example.com@evil.net/").hostname, "evil.net");
});

Deno.test("exact host pattern: any port when none is given, only that host", () => {
  const allow = ["example.com"];
  assert(allowed("http://example.com/", allow));
  assert(allowed("https://example.com/", allow));
  assert(allowed("http://example.com:8080/", allow));
  assert(allowed("http://EXAMPLE.com/", allow));
  assert(!allowed("http://www.example.com/", allow));
  assert(!allowed("http://example.com.evil.net/", allow));
  assert(!allowed("http://evil-example.com/", allow));
  assert(!allowed("http://example.co/", allow));
  assert(!allowed("http://xexample.com/", allow));
  // A trailing dot is another spelling; refusing it is the safe side.
  assert(!allowed("http://example.com./", allow));
});

Deno.test("*.domain matches one or more labels, never the bare domain", () => {
  const allow = ["*.example.com"];
  assert(allowed("https://api.example.com/", allow));
  assert(allowed("https://a.b.c.example.com/", allow));
  assert(!allowed("https://example.com/", allow));
  assert(!allowed("https://example.com.evil.net/", allow));
  assert(!allowed("https://api.example.com.evil.net/", allow));
  assert(!allowed("https://evil-example.com/", allow));
  assert(!allowed("https://evilexample.com/", allow));
  // Listing the bare domain too allows it.
  assert(allowed("https://example.com/", ["*.example.com", "example.com"]));
});

Deno.test("ports: host:443 matches https's default port, not http's 80", () => {
  const allow = ["example.com:443"];
  assert(allowed("https://example.com/", allow));
  assert(allowed("https://example.com:443/", allow));
  assert(!allowed("http://example.com/", allow));
  assert(!allowed("https://example.com:8443/", allow));
  // The effective port decides, whatever the scheme: plain http to port 443 is port 443.
  assert(allowed("http://example.com:443/", allow));
  assert(allowed("http://example.com/", ["example.com:80"]));
  assert(!allowed("https://example.com/", ["example.com:80"]));
  assert(allowed("https://x.example.com/", ["*.example.com:443"]));
  assert(!allowed("http://x.example.com/", ["*.example.com:443"]));
});

Deno.test("IP-literal spellings of 127.0.0.1 are canonicalised: refused when denied or not allowed", () => {
  const spellings = [
    "http://2130706433/",
    "http://0x7f.1/",
    "http://127.1/",
    "http://017700000001/",
    "http://0x7f000001/",
    "http://127.0.0.1/",
    "http://0177.0.0.01/",
    "http://127.000.000.001/",
    "http://%31%32%37.0.0.1/",
    "http://\uff11\uff12\uff17.0.0.1/", // full-width digits
    "http://127.0.0.1./",
    "http:127.0.0.1/",
    "http:/\\127.0.0.1/",
  ];
  for (const url of spellings) {
    const target = parseNetTarget(url);
    assertEquals(target.host, "127.0.0.1", url);
    // Not allowed: only a name is granted.
    assert(!allowed(url, ["example.com"]), url);
    // Denied: --deny-net wins over an allow that covers it.
    const d = decideNet(target, patterns("127.0.0.1"), patterns("127.0.0.1"));
    assertEquals(d.allowed, false, url);
    assertMatch(d.reason, /--deny-net 127\.0\.0\.1/);
    // Denied by a pattern written in another spelling too.
    assert(!allowed(url, ["127.0.0.1"], ["0x7f.1"]), url);
    // And allowed when granted, so the refusals above are about the deny.
    assert(allowed(url, ["127.0.0.1"]), url);
  }
  // A wildcard never matches an IP address, whatever its spelling.
  const wildcard = parseNetPattern("*.example.com");
  assertEquals(patternAllows(wildcard, parseNetTarget("http://1.2.3.4/")), false);
  assertEquals(patternAllows(wildcard, parseNetTarget("http://[::1]/")), false);
});

Deno.test("a trailing dot cannot slip a denied name past --deny-net", () => {
  // The dotted spelling is matched by no pattern (patterns cannot end in a dot), so it is
  // refused by the allow side even when only the deny would name it.
  assert(!allowed("https://api.example.com./", ["*.example.com"], ["api.example.com"]));
  assert(!allowed("https://api.example.com./", ["*.example.com"]));
});

Deno.test("IPv6 literals compare canonically", () => {
  assert(allowed("http://[::1]:8080/", ["[::1]"]));
  assert(allowed("http://[0:0::1]/", ["[::1]:80"]));
  assert(!allowed("http://[::1]/", ["[::2]"]));
  assert(!allowed("http://[::1]/", ["[::1]"], ["[0::1]"]));
});

Deno.test("decideNet: empty grant denies everything and says why", () => {
  const d = decideNet(parseNetTarget("http://127.0.0.1:8000/"), []);
  assertEquals(d.allowed, false);
  assertEquals(d.reason, "net is not granted (127.0.0.1:8000)");
  const none = decideNet(parseNetTarget("https://b.org/"), patterns("a.org", "*.c.org"));
  assertEquals(none.allowed, false);
  assertEquals(none.reason, "b.org:443 matches none of the granted hosts (a.org, *.c.org)");
  const ok = decideNet(parseNetTarget("https://x.c.org/"), patterns("a.org", "*.c.org"));
  assertEquals(ok, { allowed: true, reason: "x.c.org:443 matches *.c.org" });
});

Deno.test("decideNet: a deny pattern wins, also a wildcard one and a port-specific one", () => {
  assert(!allowed("https://api.example.com/", ["*.example.com"], ["*.example.com"]));
  assert(!allowed("https://api.example.com/", ["*.example.com"], ["api.example.com"]));
  assert(allowed("https://www.example.com/", ["*.example.com"], ["api.example.com"]));
  assert(!allowed("https://api.example.com/", ["api.example.com"], ["api.example.com:443"]));
  assert(allowed("http://api.example.com/", ["api.example.com"], ["api.example.com:443"]));
});

Deno.test("patternCovers: what an allow list may grant out of a request", () => {
  const covers = (outer: string, inner: string) =>
    patternCovers(parseNetPattern(outer), parseNetPattern(inner));
  assert(covers("example.com", "example.com"));
  assert(covers("example.com", "example.com:443"));
  assert(!covers("example.com:443", "example.com"));
  assert(covers("example.com:443", "example.com:443"));
  assert(!covers("example.com:443", "example.com:80"));
  assert(!covers("example.com", "*.example.com"));
  assert(!covers("example.com", "api.example.com"));
  assert(covers("*.example.com", "api.example.com"));
  assert(covers("*.example.com", "a.b.example.com:8080"));
  assert(!covers("*.example.com", "example.com"));
  assert(covers("*.example.com", "*.api.example.com"));
  assert(covers("*.com", "*.example.com"));
  assert(!covers("*.example.com", "*.com"));
  assert(!covers("*.example.com", "evil-example.com"));
  assert(!covers("*.example.com", "example.com.evil.net"));
  assert(!covers("*.example.com:443", "*.example.com"));
});

Deno.test("patternCovers: a wildcard covers the same wildcard", () => {
  const p = parseNetPattern("*.example.com");
  assert(patternCovers(p, parseNetPattern("*.example.com")));
  assert(patternCovers(p, parseNetPattern("*.example.com:443")));
});
