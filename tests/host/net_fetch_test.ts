/**
 * `net.fetch` against a loopback server started by each test: the grant decides every hop,
 * redirects are followed by hand, the body is capped, and the answer has the table's text form.
 */
import { MAX_REDIRECTS, netFetch, type NetGrant } from "../../src/host/net_fetch.ts";
import { type NetDecision, parseNetPattern } from "../../src/host/net_policy.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../assert.ts";

interface Served {
  /** `http://127.0.0.1:PORT` */
  base: string;
  port: number;
  /** Paths requested so far, in order. */
  hits: string[];
}

/** Serves the routes below on 127.0.0.1 for the duration of `fn`. */
async function withServer(fn: (s: Served) => Promise<void>): Promise<void> {
  const hits: string[] = [];
  const pending: (() => void)[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      hits.push(url.pathname + url.search);
      const q = (k: string) => url.searchParams.get(k) ?? "";
      switch (url.pathname) {
        case "/hello":
          return new Response("hi there", { headers: { "x-test": "yes" } });
        case "/echo":
          return Response.json({
            method: req.method,
            a: req.headers.get("x-a"),
            b: req.headers.get("x-b"),
            type: req.headers.get("content-type"),
            body: await req.text(),
          });
        case "/redirect":
          return new Response(null, {
            status: Number(q("status") || 302),
            headers: { location: q("to") },
          });
        case "/loop":
          return new Response(null, { status: 302, headers: { location: "/loop" } });
        case "/chain": {
          const n = Number(q("n"));
          if (n === 0) return new Response("end of chain");
          return new Response(null, { status: 301, headers: { location: `/chain?n=${n - 1}` } });
        }
        case "/auth":
          return new Response(String(req.headers.get("authorization")));
        case "/no-location":
          return new Response("not moved", { status: 302 });
        case "/bytes":
          // A known length: Deno sets content-length for a Uint8Array body.
          return new Response(new Uint8Array(Number(q("n"))).fill(0x61));
        case "/stream": {
          // No content-length: chunked, so only counting the bytes can enforce the cap.
          const n = Number(q("n"));
          let sent = 0;
          return new Response(
            new ReadableStream<Uint8Array>({
              pull(c) {
                const size = Math.min(1000, n - sent);
                if (size <= 0) return c.close();
                sent += size;
                c.enqueue(new Uint8Array(size).fill(0x62));
              },
            }),
          );
        }
        case "/stall":
          // Sends a first chunk, then nothing until the client gives up.
          return new Response(
            new ReadableStream<Uint8Array>({
              start(c) {
                c.enqueue(new TextEncoder().encode("partial"));
              },
              pull: () => new Promise<void>((resolve) => pending.push(resolve)),
            }),
          );
        case "/status":
          return new Response("teapot", { status: Number(q("code")) });
        default:
          return new Response("missing", { status: 404 });
      }
    },
  );
  const port = server.addr.port;
  try {
    await fn({ base: `http://127.0.0.1:${port}`, port, hits });
  } finally {
    for (const resolve of pending) resolve();
    await server.shutdown();
  }
}

const grantOf = (allow: string[], deny: string[] = []): NetGrant => ({
  allow: allow.map(parseNetPattern),
  deny: deny.map(parseNetPattern),
});
const GET = (url: string) => ({ method: "GET", url, headers: "", body: "" });

/** Splits an answer into status, header map and body. */
function parseAnswer(
  answer: string,
): { status: number; headers: Map<string, string>; body: string } {
  const end = answer.indexOf("\n\n");
  assert(end > 0, `no blank line in ${JSON.stringify(answer)}`);
  const [statusLine, ...lines] = answer.slice(0, end).split("\n");
  assertMatch(statusLine, /^\d{3}$/);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const m = /^([a-z0-9-]+): (.*)$/.exec(line);
    assert(m !== null, `bad header line ${JSON.stringify(line)}`);
    headers.set(m[1], m[2]);
  }
  return { status: Number(statusLine), headers, body: answer.slice(end + 2) };
}

Deno.test("net.fetch: nothing granted refuses before connecting", async () => {
  await withServer(async ({ base, hits }) => {
    const decisions: [string, boolean][] = [];
    await assertPxosError(
      () =>
        netFetch(grantOf([]), GET(`${base}/hello`), {
          maxResponseBytes: 1000,
          onDecision: (url, d) => decisions.push([url, d.allowed]),
        }),
      "E_PERMISSION",
      /net is not granted/,
    );
    assertEquals(hits, []);
    assertEquals(decisions, [[`${base}/hello`, false]]);
  });
});

Deno.test("net.fetch: an allowed loopback host answers in the table's text form", async () => {
  await withServer(async ({ base, port }) => {
    for (const pattern of ["127.0.0.1", `127.0.0.1:${port}`]) {
      const answer = await netFetch(grantOf([pattern]), GET(`${base}/hello`), {
        maxResponseBytes: 1000,
      });
      const { status, headers, body } = parseAnswer(answer);
      assertEquals(status, 200);
      assertEquals(headers.get("x-test"), "yes");
      assertEquals(headers.get("content-length"), "8");
      assertEquals(body, "hi there");
      assert(answer.startsWith("200\n"));
      assert(answer.endsWith("\n\nhi there"));
    }
    // Non-2xx statuses are answers too, not errors.
    const teapot = parseAnswer(
      await netFetch(grantOf(["127.0.0.1"]), GET(`${base}/status?code=418`), {
        maxResponseBytes: 100,
      }),
    );
    assertEquals([teapot.status, teapot.body], [418, "teapot"]);
  });
});

Deno.test("net.fetch: wrong port, other names and other spellings are refused", async () => {
  await withServer(async ({ base, port, hits }) => {
    const refuse = (grant: NetGrant, url: string) =>
      assertPxosError(() => netFetch(grant, GET(url), { maxResponseBytes: 100 }), "E_PERMISSION");
    await refuse(grantOf([`127.0.0.1:${port + 1}`]), `${base}/hello`);
    await refuse(grantOf(["127.0.0.1"]), `http://localhost:${port}/hello`);
    await refuse(grantOf(["127.0.0.1"]), `http://127.0.0.1.evil.net:${port}/hello`);
    await refuse(grantOf(["127.0.0.1"]), `http://127.0.0.1@localhost:${port}/hello`);
    await refuse(grantOf(["127.0.0.1"]), `http://user:pw@127.0.0.1:${port}/hello`);
    // Denied spellings of the allowed address: --deny-net wins.
    for (const host of ["2130706433", "0x7f.1", "127.1", "017700000001"]) {
      await refuse(grantOf(["127.0.0.1"], ["127.0.0.1"]), `http://${host}:${port}/hello`);
    }
    await refuse(grantOf(["localhost"]), `http://127.1:${port}/hello`);
    assertEquals(hits, []);
    // And the same spelling is reached when allowed (so the refusals are the policy's).
    const ok = await netFetch(grantOf(["127.0.0.1"]), GET(`http://0x7f.1:${port}/hello`), {
      maxResponseBytes: 100,
    });
    assertEquals(parseAnswer(ok).body, "hi there");
  });
});

Deno.test("net.fetch: non-http schemes are refused", async () => {
  for (const url of ["file:///etc/passwd", "ftp://127.0.0.1/", "data:,x", "ws://127.0.0.1/"]) {
    await assertPxosError(
      () => netFetch(grantOf(["127.0.0.1"]), GET(url), { maxResponseBytes: 100 }),
      "E_PERMISSION",
      /only http and https/,
    );
  }
});

Deno.test("net.fetch: request method, headers and body reach the server", async () => {
  await withServer(async ({ base }) => {
    const answer = await netFetch(grantOf(["127.0.0.1"]), {
      method: "put",
      url: `${base}/echo`,
      headers: "X-A: one\r\nx-b:  two  \n\nContent-Type: text/plain\n",
      body: "payload ✓",
    }, { maxResponseBytes: 1000 });
    const { status, body } = parseAnswer(answer);
    assertEquals(status, 200);
    assertEquals(JSON.parse(body), {
      method: "PUT",
      a: "one",
      b: "two",
      type: "text/plain",
      body: "payload ✓",
    });
    // An empty method means GET, and GET sends no body.
    const get = JSON.parse(
      parseAnswer(
        await netFetch(grantOf(["127.0.0.1"]), {
          method: "",
          url: `${base}/echo`,
          headers: "",
          body: "ignored",
        }, { maxResponseBytes: 1000 }),
      ).body,
    );
    assertEquals([get.method, get.body], ["GET", ""]);
  });
});

Deno.test("net.fetch: bad methods and header lines are E_NET before any request", async () => {
  await withServer(async ({ base, hits }) => {
    const grant = grantOf(["127.0.0.1"]);
    await assertPxosError(
      () => netFetch(grant, { ...GET(`${base}/echo`), method: "CONNECT" }, { maxResponseBytes: 9 }),
      "E_NET",
      /HTTP method/,
    );
    await assertPxosError(
      () => netFetch(grant, { ...GET(`${base}/echo`), method: "GE T" }, { maxResponseBytes: 9 }),
      "E_NET",
    );
    for (const headers of ["no colon here", ": empty name", "bad name: x", "X-A: a\nbroken"]) {
      await assertPxosError(
        () => netFetch(grant, { ...GET(`${base}/echo`), headers }, { maxResponseBytes: 9 }),
        "E_NET",
        /header line/,
      );
    }
    assertEquals(hits, []);
  });
});

Deno.test("net.fetch: a redirect to an allowed path is followed, each hop decided", async () => {
  await withServer(async ({ base, port, hits }) => {
    const decisions: [string, boolean][] = [];
    const answer = await netFetch(
      grantOf([`127.0.0.1:${port}`]),
      GET(`${base}/redirect?to=/hello`),
      { maxResponseBytes: 100, onDecision: (url, d) => decisions.push([url, d.allowed]) },
    );
    assertEquals(parseAnswer(answer).body, "hi there");
    assertEquals(hits, ["/redirect?to=/hello", "/hello"]);
    assertEquals(decisions, [[`${base}/redirect?to=/hello`, true], [`${base}/hello`, true]]);
    // A 3xx without Location is an answer, not a redirect.
    const plain = parseAnswer(
      await netFetch(grantOf(["127.0.0.1"]), GET(`${base}/no-location`), {
        maxResponseBytes: 100,
      }),
    );
    assertEquals([plain.status, plain.body], [302, "not moved"]);
  });
});

Deno.test("net.fetch: a redirect to a denied host is refused and the hop audited", async () => {
  await withServer(async ({ base, port, hits }) => {
    const targets = [
      `http://localhost:${port}/hello`,
      `http://127.0.0.1:${port + 1}/hello`,
      `http://example.com/`,
      `http://127.0.0.1@localhost:${port}/hello`,
      `file:///etc/passwd`,
      `http://2130706433:${port + 1}/hello`,
    ];
    for (const to of targets) {
      hits.length = 0;
      const decisions: { url: string; decision: NetDecision }[] = [];
      // The numeric spelling is refused by a --deny-net written in yet another spelling.
      const grant = to.includes("2130706433")
        ? grantOf(["127.0.0.1"], [`127.1:${port + 1}`])
        : grantOf([`127.0.0.1:${port}`]);
      const first = `${base}/redirect?to=${encodeURIComponent(to)}`;
      const error = await assertPxosError(
        () =>
          netFetch(grant, GET(first), {
            maxResponseBytes: 100,
            onDecision: (url, decision) => decisions.push({ url, decision }),
          }),
        "E_PERMISSION",
      );
      if (to.startsWith("http://") && !to.includes("@")) assertMatch(error.message, /redirect 1/);
      // Only the first request went out; the refused hop never connected.
      assertEquals(hits.length, 1, to);
      assertEquals(decisions.length, 2, to);
      assertEquals(decisions[0].decision.allowed, true);
      assertEquals(decisions[1].decision.allowed, false, to);
      assert(decisions[1].decision.reason.length > 0);
    }
  });
});

Deno.test("net.fetch: redirect loops and long chains end with E_NET", async () => {
  await withServer(async ({ base, hits }) => {
    const grant = grantOf(["127.0.0.1"]);
    await assertPxosError(
      () => netFetch(grant, GET(`${base}/loop`), { maxResponseBytes: 100 }),
      "E_NET",
      new RegExp(`more than ${MAX_REDIRECTS} redirects`),
    );
    assertEquals(hits.length, MAX_REDIRECTS + 1);
    const ok = await netFetch(grant, GET(`${base}/chain?n=${MAX_REDIRECTS}`), {
      maxResponseBytes: 100,
    });
    assertEquals(parseAnswer(ok).body, "end of chain");
    await assertPxosError(
      () => netFetch(grant, GET(`${base}/chain?n=${MAX_REDIRECTS + 1}`), { maxResponseBytes: 100 }),
      "E_NET",
    );
  });
});

Deno.test("net.fetch: 303 (and 301/302 after POST) turn POST into GET; 307/308 keep it", async () => {
  await withServer(async ({ base }) => {
    const grant = grantOf(["127.0.0.1"]);
    const post = async (status: number) => {
      const answer = await netFetch(grant, {
        method: "POST",
        url: `${base}/redirect?status=${status}&to=/echo`,
        headers: "X-A: kept",
        body: "form=1",
      }, { maxResponseBytes: 1000 });
      return JSON.parse(parseAnswer(answer).body);
    };
    for (const status of [301, 302, 303]) {
      const echo = await post(status);
      assertEquals([echo.method, echo.body, echo.a], ["GET", "", "kept"], String(status));
    }
    for (const status of [307, 308]) {
      const echo = await post(status);
      assertEquals([echo.method, echo.body], ["POST", "form=1"], String(status));
    }
    // 303 after PUT is a GET too; 302 after PUT keeps PUT.
    const put = async (status: number) =>
      JSON.parse(
        parseAnswer(
          await netFetch(grant, {
            method: "PUT",
            url: `${base}/redirect?status=${status}&to=/echo`,
            headers: "",
            body: "b",
          }, { maxResponseBytes: 1000 }),
        ).body,
      ).method;
    assertEquals(await put(303), "GET");
    assertEquals(await put(302), "PUT");
  });
});

Deno.test("net.fetch: response cap accepted at N bytes, refused at N+1", async () => {
  await withServer(async ({ base }) => {
    const grant = grantOf(["127.0.0.1"]);
    const N = 2500;
    for (const route of ["bytes", "stream"]) {
      const at = parseAnswer(
        await netFetch(grant, GET(`${base}/${route}?n=${N}`), { maxResponseBytes: N }),
      );
      assertEquals(at.body.length, N, route);
      assertEquals(at.headers.has("content-length"), route === "bytes");
      await assertPxosError(
        () => netFetch(grant, GET(`${base}/${route}?n=${N + 1}`), { maxResponseBytes: N }),
        "E_MEMORY",
        route === "bytes" ? /2501 bytes declared/ : /more than 2500 bytes received/,
      );
    }
    // A zero cap still allows an empty body.
    const empty = parseAnswer(
      await netFetch(grant, GET(`${base}/bytes?n=0`), { maxResponseBytes: 0 }),
    );
    assertEquals(empty.body, "");
  });
});

Deno.test("net.fetch: connection failures are E_NET", async () => {
  // Port 1 on loopback: nothing listens there.
  await assertPxosError(
    () => netFetch(grantOf(["127.0.0.1"]), GET("http://127.0.0.1:1/"), { maxResponseBytes: 9 }),
    "E_NET",
  );
});

Deno.test("net.fetch: an unparsable redirect Location is E_NET, not a crash", async () => {
  await withServer(async ({ base }) => {
    await assertPxosError(
      () =>
        netFetch(
          grantOf(["127.0.0.1"]),
          GET(`${base}/redirect?to=${encodeURIComponent("http://[x")}`),
          {
            maxResponseBytes: 100,
          },
        ),
      "E_NET",
      /redirect/,
    );
  });
});

Deno.test("net.fetch: aborting mid-body is E_NET", async () => {
  await withServer(async ({ base }) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 100);
    try {
      await assertPxosError(
        () =>
          netFetch(grantOf(["127.0.0.1"]), GET(`${base}/stall`), {
            maxResponseBytes: 100,
            signal: controller.signal,
          }),
        "E_NET",
      );
    } finally {
      clearTimeout(timer);
    }
    // Aborted before the request: E_NET too.
    await assertPxosError(
      () =>
        netFetch(grantOf(["127.0.0.1"]), GET(`${base}/hello`), {
          maxResponseBytes: 100,
          signal: AbortSignal.abort(),
        }),
      "E_NET",
    );
  });
});

Deno.test("net.fetch: credentials are not carried across a redirect to another host", async () => {
  await withServer(async (a) => {
    await withServer(async (b) => {
      const grant = grantOf([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
      const ask = (to: string) =>
        netFetch(grant, {
          method: "GET",
          url: `${a.base}/redirect?to=${encodeURIComponent(to)}`,
          headers: "Authorization: Bearer secret",
          body: "",
        }, { maxResponseBytes: 1000 });
      assertEquals(parseAnswer(await ask("/auth")).body, "Bearer secret");
      assertEquals(parseAnswer(await ask(`${b.base}/auth`)).body, "null");
    });
  });
});
