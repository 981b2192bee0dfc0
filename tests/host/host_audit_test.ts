/**
 * `createHost` with a grant: the fs.* and net.fetch rows work through `invoke`, refusals reach the
 * caller as E_PERMISSION, and the audit sink receives one entry per permission-checked call (one
 * per hop for net.fetch). Clock and random without a grant are audited and deterministic.
 */
import { join } from "node:path";
import type { AuditEntry } from "../../src/host/audit.ts";
import { auditLine } from "../../src/host/audit.ts";
import { realRoot } from "../../src/host/fs_access.ts";
import { type Grant, grantOf, NO_GRANT } from "../../src/host/grant.ts";
import { createHost, type Host, type HostOptions } from "../../src/host/host.ts";
import { assert, assertEquals, assertMatch, assertNotEquals, assertPxosError } from "../assert.ts";

async function withRoot(fn: (root: string, outside: string) => Promise<void>): Promise<void> {
  const tmp = await realRoot(await Deno.makeTempDir({ prefix: "pxos-host-" }));
  try {
    const root = join(tmp, "root");
    const outside = join(tmp, "outside");
    await Deno.mkdir(join(root, "data"), { recursive: true });
    await Deno.mkdir(join(root, "saves"));
    await Deno.mkdir(outside);
    await Deno.writeTextFile(join(root, "data/a.txt"), "alpha");
    await Deno.writeTextFile(join(root, "top.txt"), "top");
    await Deno.writeTextFile(join(outside, "secret.txt"), "SECRET");
    await fn(root, outside);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

function auditedHost(options: Partial<HostOptions>): { host: Host; audit: AuditEntry[] } {
  const audit: AuditEntry[] = [];
  const host = createHost({
    stdout: () => {},
    cartridge: "demo",
    audit: (e) => audit.push(e),
    ...options,
  });
  return { host, audit };
}

const FILES: Grant = { ...NO_GRANT, read: ["data"], write: ["saves"] };
const call = (host: Host, name: string, ...args: (string | Uint8Array)[]) =>
  Promise.resolve(host.invoke(name, args));

/** Checks one entry's fixed fields and returns [call, target, allowed] for comparison. */
function summary(e: AuditEntry): [string, string, boolean] {
  assertEquals(e.cartridge, "demo");
  assertMatch(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert(e.reason.length > 0, `empty reason for ${e.call}`);
  return [e.call, e.target, e.allowed];
}

Deno.test("host: fs calls inside the grant work and each is audited as allowed", async () => {
  await withRoot(async (root) => {
    const { host, audit } = auditedHost({ grant: FILES, root });
    assertEquals(await call(host, "fs.readText", "data/a.txt"), "alpha");
    assertEquals(await call(host, "fs.readBytes", "data/a.txt"), new TextEncoder().encode("alpha"));
    assertEquals(await call(host, "fs.exists", "data/a.txt"), true);
    assertEquals(await call(host, "fs.exists", "data/none"), false);
    assertEquals(await call(host, "fs.list", "data"), "a.txt");
    assertEquals(await call(host, "fs.writeText", "saves/s.txt", "one"), null);
    assertEquals(await call(host, "fs.appendText", "saves/s.txt", "+two"), null);
    assertEquals(await call(host, "fs.writeBytes", "saves/b.bin", new Uint8Array([1, 2])), null);
    assertEquals(await call(host, "fs.mkdir", "saves/d/e"), null);
    assertEquals(await call(host, "fs.remove", "saves/b.bin"), null);
    assertEquals(await Deno.readTextFile(join(root, "saves/s.txt")), "one+two");
    assertEquals(audit.map(summary), [
      ["fs.readText", "data/a.txt", true],
      ["fs.readBytes", "data/a.txt", true],
      ["fs.exists", "data/a.txt", true],
      ["fs.exists", "data/none", true],
      ["fs.list", "data", true],
      ["fs.writeText", "saves/s.txt", true],
      ["fs.appendText", "saves/s.txt", true],
      ["fs.writeBytes", "saves/b.bin", true],
      ["fs.mkdir", "saves/d/e", true],
      ["fs.remove", "saves/b.bin", true],
    ]);
    assertEquals(audit[0].reason, "read granted");
    assertEquals(audit[5].reason, "write granted");
  });
});

Deno.test("host: refused fs calls throw E_PERMISSION and are audited as denied, with why", async () => {
  await withRoot(async (root, outside) => {
    await Deno.symlink(join(outside, "secret.txt"), join(root, "data/link"));
    const { host, audit } = auditedHost({ grant: FILES, root });
    const refused: [string, string[], RegExp][] = [
      ["fs.readText", ["top.txt"], /read grant covers only \.\/data/],
      ["fs.readText", ["../outside/secret.txt"], /escapes the root/],
      ["fs.readText", ["data/link"], /symbolic link/],
      ["fs.readText", ["saves/s.txt"], /covers only/],
      ["fs.writeText", ["data/a.txt", "x"], /write grant covers only \.\/saves/],
      ["fs.list", ["."], /covers only/],
      ["fs.remove", ["data/a.txt"], /write grant/],
    ];
    for (const [name, args, why] of refused) {
      await assertPxosError(() => call(host, name, ...args), "E_PERMISSION", why);
    }
    assertEquals(audit.length, refused.length);
    audit.forEach((e, i) => {
      assertEquals(summary(e), [refused[i][0], refused[i][1][0], false]);
      assertMatch(e.reason, refused[i][2]);
    });
    assertEquals(await Deno.readTextFile(join(root, "data/a.txt")), "alpha");
  });
});

Deno.test("host: nothing granted refuses every fs and net call, each audited", async () => {
  const { host, audit } = auditedHost({});
  await assertPxosError(
    () => call(host, "fs.readText", "a.txt"),
    "E_PERMISSION",
    /read is not granted/,
  );
  await assertPxosError(() => call(host, "fs.writeText", "a.txt", "x"), "E_PERMISSION", /write/);
  await assertPxosError(
    () => call(host, "net.fetch", "GET", "http://127.0.0.1:9/", "", ""),
    "E_PERMISSION",
    /net is not granted/,
  );
  assertEquals(audit.map(summary), [
    ["fs.readText", "a.txt", false],
    ["fs.writeText", "a.txt", false],
    ["net.fetch", "http://127.0.0.1:9/", false],
  ]);
});

Deno.test("host: a granted call that fails is audited as allowed, with the failure", async () => {
  await withRoot(async (root) => {
    await Deno.writeFile(join(root, "data/big.bin"), new Uint8Array(11));
    await Deno.writeFile(join(root, "data/ten.bin"), new Uint8Array(10));
    const { host, audit } = auditedHost({ grant: FILES, root, maxBytes: 10 });
    await assertPxosError(() => call(host, "fs.readText", "data/missing"), "E_IO");
    await assertPxosError(() => call(host, "fs.readBytes", "data/big.bin"), "E_MEMORY");
    assertEquals(((await call(host, "fs.readBytes", "data/ten.bin")) as Uint8Array).length, 10);
    assertEquals(audit.map((e) => e.allowed), [true, true, true]);
    assertMatch(audit[0].reason, /^granted; failed: .*does not exist/);
    assertMatch(audit[1].reason, /^granted; failed: .*over the 10-byte limit/);
  });
});

Deno.test("host: a file grant without a root is refused, and audited", async () => {
  const { host, audit } = auditedHost({ grant: FILES });
  await assertPxosError(
    () => call(host, "fs.readText", "data/a.txt"),
    "E_PERMISSION",
    /no root directory/,
  );
  assertEquals(audit.map(summary), [["fs.readText", "data/a.txt", false]]);
});

Deno.test("host: a link swapped in after the check (afterPathCheck) is refused and audited", async () => {
  await withRoot(async (root, outside) => {
    const { host, audit } = auditedHost({
      grant: FILES,
      root,
      afterPathCheck: async (real) => {
        await Deno.remove(real);
        await Deno.symlink(join(outside, "secret.txt"), real);
      },
    });
    await assertPxosError(
      () => call(host, "fs.readText", "data/a.txt"),
      "E_PERMISSION",
      /changed while being opened/,
    );
    assertEquals(audit.map(summary), [["fs.readText", "data/a.txt", false]]);
  });
});

Deno.test("host: net.fetch through the host, every hop audited", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/away") {
      return new Response(null, {
        status: 302,
        headers: { location: url.searchParams.get("to")! },
      });
    }
    return new Response(`body of ${url.pathname}`);
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const grant = { ...NO_GRANT, net: [`127.0.0.1:${server.addr.port}`] };
    const { host, audit } = auditedHost({ grant, maxBytes: 12 });
    const answer = await call(host, "net.fetch", "GET", `${base}/ok`, "", "");
    assertEquals(String(answer).split("\n")[0], "200");
    assert(String(answer).endsWith("\n\nbody of /ok"));
    await call(host, "net.fetch", "GET", `${base}/away?to=/ok`, "", "");
    const denied = `http://localhost:${server.addr.port}/ok`;
    await assertPxosError(
      () => call(host, "net.fetch", "GET", `${base}/away?to=${encodeURIComponent(denied)}`, "", ""),
      "E_PERMISSION",
      /redirect 1/,
    );
    // maxBytes caps the body: "body of /long" is 13 bytes.
    await assertPxosError(() => call(host, "net.fetch", "GET", `${base}/long`, "", ""), "E_MEMORY");
    assertEquals(audit.map(summary), [
      ["net.fetch", `${base}/ok`, true],
      ["net.fetch", `${base}/away?to=/ok`, true],
      ["net.fetch", `${base}/ok`, true],
      ["net.fetch", `${base}/away?to=${encodeURIComponent(denied)}`, true],
      ["net.fetch", denied, false],
      ["net.fetch", `${base}/long`, true],
    ]);
    assertMatch(audit[4].reason, /localhost:\d+ matches none of the granted hosts/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("host: clock and random without a grant are audited and deterministic", async () => {
  const seed = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const run = async (options: Partial<HostOptions>) => {
    const { host, audit } = auditedHost(options);
    const out = {
      now1: await host.invoke("clock.now", []),
      mono1: await host.invoke("clock.monotonic", []),
      now2: await host.invoke("clock.now", []),
      bytes1: await host.invoke("random.bytes", [37]),
      bytes2: await host.invoke("random.bytes", [5]),
    };
    return { out, audit };
  };
  const a = await run({ seed });
  const b = await run({ seed });
  assertEquals(a.out, b.out);
  assertEquals((a.out.bytes1 as Uint8Array).length, 37);
  assert((a.out.bytes1 as Uint8Array).some((x) => x !== 0));
  // The virtual clock starts at 2000-01-01 and moves forward.
  assert((a.out.now1 as number) >= Date.UTC(2000, 0, 1));
  assert((a.out.now1 as number) < Date.UTC(2000, 0, 2));
  assert((a.out.now2 as number) > (a.out.now1 as number));
  // Another seed gives other bytes (and the clock does not depend on it).
  const c = await run({ seed: new Uint8Array([9, 9, 9]) });
  assertNotEquals(c.out.bytes1, a.out.bytes1);
  assertEquals(c.out.now1, a.out.now1);
  assertEquals(a.audit.map(summary), [
    ["clock.now", "", false],
    ["clock.monotonic", "", false],
    ["clock.now", "", false],
    ["random.bytes", "", false],
    ["random.bytes", "", false],
  ]);
  assertMatch(a.audit[0].reason, /clock not granted: answered from the virtual clock/);
  assertMatch(a.audit[3].reason, /random not granted: answered from the seeded PRNG/);
});

Deno.test("host: clock and random with a grant are real and audited as allowed", async () => {
  const { host, audit } = auditedHost({ grant: grantOf(["clock", "random"]) });
  const before = Date.now();
  const now = (await host.invoke("clock.now", [])) as number;
  assert(now >= before && now <= Date.now());
  const x = (await host.invoke("random.bytes", [32])) as Uint8Array;
  const y = (await host.invoke("random.bytes", [32])) as Uint8Array;
  assertNotEquals(x, y);
  assertEquals(audit.map(summary), [
    ["clock.now", "", true],
    ["random.bytes", "", true],
    ["random.bytes", "", true],
  ]);
});

Deno.test("host: calls that need no permission are not audited; bad calls trap", async () => {
  let out = "";
  const { host, audit } = auditedHost({
    stdout: (t) => (out += t),
    cartFiles: new Map([["main.txt", new Uint8Array([7])]]),
  });
  await host.invoke("console.write", ["hi"]);
  assertEquals(await host.invoke("cart.read", ["main.txt"]), new Uint8Array([7]));
  assertEquals(out, "hi");
  assertEquals(audit, []);
  await assertPxosError(() => host.invoke("no.such.call", []), "E_TRAP");
  await assertPxosError(() => host.invoke("random.bytes", [65537]), "E_TRAP");
  await assertPxosError(() => host.invoke("random.bytes", [-1]), "E_TRAP");
  await assertPxosError(() => host.invoke("cart.read", ["other"]), "E_IO");
});

Deno.test("auditLine writes one JSON line per entry", () => {
  const entry: AuditEntry = {
    time: "2026-01-01T00:00:00.000Z",
    cartridge: "demo",
    call: "fs.readText",
    target: "a\nb",
    allowed: false,
    reason: "read is not granted",
  };
  const line = auditLine(entry);
  assert(line.endsWith("\n"));
  assertEquals(line.indexOf("\n"), line.length - 1);
  assertEquals(JSON.parse(line), entry);
});
