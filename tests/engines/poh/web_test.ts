/**
 * PohLang's web server on every Poh tier, with a real client on 127.0.0.1: routes, methods,
 * path parameters, HTML and JSON answers, 404 and 500, state kept between requests, and the
 * `net` grant the server needs. Each run ends when the test aborts the host's signal (as the
 * run's deadline would), which closes the server so `Start server` returns.
 */
import { NO_GRANT } from "../../../src/host/grant.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { runPohSource } from "../../../src/engines/poh/mod.ts";
import { PxosError } from "../../../src/errors.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { poh } from "./helpers.ts";

const SERVER = poh`
  Start Program
  Write "Starting web server..."
  Set server to create web server on port PORT
  Set tasks to Make a list
  Set hits to 0

  Add route "/" with method "GET" to server:
      Increase hits
      Write html response with "<h1>Hello</h1><p>" plus hits plus "</p>"

  Add route "/api/tasks" with method "GET" to server:
      Write json response with Make a dictionary with "tasks" set to tasks, "count" set to Count of tasks

  Add route "/api/tasks" with method "POST" to server:
      Set task to {id: count of tasks plus 1, title: request["body"]}
      Add task to tasks
      Write json response with {"added": task} and status 201

  Add route "/api/tasks/:id" with method "GET" to server:
      Set i to number(get path parameter "id") - 1
      If i >= count of tasks
          Write error response with status 404 and message "no task " plus (i + 1)
      End
      Write json response with tasks[i]

  Add route "/search" to server:
      Write html response with "q=" plus request["query"]["q"]

  Add route "/boom" to server:
      Write 1 / 0
  End route

  Add route "/bad" to server:
      Return {"status": "fine"}

  Write "Server ready"
  Start server
  Write "stopped after " plus hits plus " page views"
  End Program
`;

/** What the client saw for one request: status, content type, body. */
type Seen = [number, string | null, string];

const REQUESTS: [string, string, string?][] = [
  ["GET", "/"],
  ["GET", "/"],
  ["POST", "/api/tasks", "write docs"],
  ["POST", "/api/tasks", "ship"],
  ["GET", "/api/tasks"],
  ["GET", "/api/tasks/2"],
  ["GET", "/api/tasks/9"],
  ["GET", "/search?q=pixels"],
  ["GET", "/nowhere"],
  ["DELETE", "/"],
  ["GET", "/boom"],
  ["GET", "/bad"],
];

const EXPECTED: Seen[] = [
  [200, "text/html; charset=utf-8", "<h1>Hello</h1><p>1</p>"],
  [200, "text/html; charset=utf-8", "<h1>Hello</h1><p>2</p>"],
  [201, "application/json", '{"added":{"id":1,"title":"write docs"}}'],
  [201, "application/json", '{"added":{"id":2,"title":"ship"}}'],
  [
    200,
    "application/json",
    '{"tasks":[{"id":1,"title":"write docs"},{"id":2,"title":"ship"}],"count":2}',
  ],
  [200, "application/json", '{"id":2,"title":"ship"}'],
  [404, "application/json", '{"error":"no task 9"}'],
  [200, "text/html; charset=utf-8", "q=pixels"],
  [404, "text/plain; charset=utf-8", "Not Found"],
  [404, "text/plain; charset=utf-8", "Not Found"],
  [500, "text/plain; charset=utf-8", "MathError: Division by zero"],
  [500, "text/plain; charset=utf-8", "TypeError: response status expects a number, found text"],
];

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** GETs until the server answers (it starts listening when the program reaches `Start server`). */
async function waitForServer(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await (await fetch(`${base}/ping-before-start`)).body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error("the server never started");
}

for (const tier of ["ast", "vm", "vm-interpreted"] as const) {
  Deno.test(`poh web server on the ${tier} tier answers a real client`, async () => {
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    let out = "";
    const stop = new AbortController();
    const host = createHost({
      stdout: (t) => (out += t),
      grant: { ...NO_GRANT, net: [`127.0.0.1:${port}`] },
      signal: stop.signal,
    });
    const run = runPohSource(
      SERVER.replace("PORT", String(port)),
      "web.poh",
      host,
      DEFAULT_LIMITS,
      {
        engine: tier === "ast" ? "ast" : "vm",
        flags: tier === "vm-interpreted" ? { jit: "off" } : {},
      },
    );
    let failure: unknown;
    run.catch((e) => (failure = e));
    await waitForServer(base);
    const seen: Seen[] = [];
    for (const [method, path, body] of REQUESTS) {
      const res = await fetch(base + path, { method, body });
      seen.push([res.status, res.headers.get("content-type"), await res.text()]);
    }
    stop.abort();
    await run;
    assertEquals(failure, undefined);
    assertEquals(seen, EXPECTED);
    assertEquals(
      out,
      "Starting web server...\nServer ready\nstopped after 2 page views\n",
    );
  });
}

Deno.test("poh web server without the net grant fails with E_PERMISSION at Start server", async () => {
  let out = "";
  const host = createHost({ stdout: (t) => (out += t) });
  const src =
    'Set s to create web server on port 8080\nAdd route "/" to s:\n  Write "x"\nStart server\n';
  for (const engine of ["ast", "vm"] as const) {
    out = "";
    let caught: unknown;
    try {
      await runPohSource(src, "deny.poh", host, DEFAULT_LIMITS, { engine });
    } catch (e) {
      caught = e;
    }
    assert(caught instanceof PxosError, `${engine}: expected a PxosError`);
    assertEquals(caught.code, "E_PERMISSION");
    assertMatch(caught.message, /deny\.poh:4: PermissionError: net\.listen: net is not granted/);
  }
});

Deno.test("poh web statements: a route needs an indented body, a server needs a port", async () => {
  const host = createHost({ stdout: () => {} });
  let caught: unknown;
  try {
    await runPohSource(
      'Set s to create web server on port 80\nAdd route "/" to s:\nWrite 1\n',
      "r.poh",
      host,
      DEFAULT_LIMITS,
      {},
    );
  } catch (e) {
    caught = e;
  }
  assert(caught instanceof PxosError);
  assertMatch(caught.message, /r\.poh:3:1: expected the route's statements/);
  caught = undefined;
  try {
    await runPohSource(
      "Set s to create web server on port 0\nStart server\n",
      "p.poh",
      host,
      DEFAULT_LIMITS,
      {},
    );
  } catch (e) {
    caught = e;
  }
  assert(caught instanceof PxosError);
  assertMatch(caught.message, /ValueError: a port must be a whole number 1–65535, found 0/);
});

Deno.test("poh web server, cheat-sheet form: Start server on N with handler", async () => {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const src = poh`
    Make router with request
      Set path to request["path"]
      If path is "/"
        Return Make a dictionary with "status" set to 200, "body" set to "Home"
      End
      If path is "/data"
        Return Make a dictionary with "status" set to 200, "body" set to {"n": 1}
      End
      Return Make a dictionary with "status" set to 404, "body" set to "Not Found"
    End
    Start server on ${port} with router
    Write "done"
  `;
  for (const engine of ["ast", "vm"] as const) {
    let out = "";
    const stop = new AbortController();
    const host = createHost({
      stdout: (t) => (out += t),
      grant: { ...NO_GRANT, net: [`127.0.0.1:${port}`] },
      signal: stop.signal,
    });
    const run = runPohSource(src, "router.poh", host, DEFAULT_LIMITS, { engine });
    await waitForServer(base);
    const seen: Seen[] = [];
    for (const path of ["/", "/data", "/other"]) {
      const res = await fetch(base + path);
      seen.push([res.status, res.headers.get("content-type"), await res.text()]);
    }
    stop.abort();
    await run;
    assertEquals(seen, [
      [200, "text/plain; charset=utf-8", "Home"],
      [200, "application/json", '{"n":1}'],
      [404, "text/plain; charset=utf-8", "Not Found"],
    ], engine);
    assertEquals(out, "done\n");
  }
});
