/**
 * PohLang's web server on pxOS. `create web server on port N` makes a server value (a dictionary
 * with its port and routes), `Add route "/p" with method "GET" to server:` registers a handler
 * function, and `Start server` runs a loop the parser writes out in PohLang itself (see
 * `parse_web.ts`), so handlers are ordinary Poh calls on every tier. The rows here are the
 * pieces of that loop: listen, accept, pick the route, answer, close — each reaching the network
 * through the `net.listen`/`net.accept`/`net.respond`/`net.close` host calls, which need a `net`
 * grant for the loopback `host:port`.
 *
 * @module
 */
import type { BuiltinContext, BuiltinSpec } from "./builtins.ts";
import { dict, num, str } from "./builtin_args.ts";
import { hostCall } from "./host_call.ts";
import { jsonText } from "./builtins_json.ts";
import {
  type PohDict,
  pohError,
  PohErrorValue,
  PohFunction,
  toText,
  type Value,
} from "./values.ts";

/** Per-run state of the web built-ins. */
export interface WebState {
  /** The server `Start server` serves: the one made last. */
  current: PohDict | null;
  /** Host server ids of listening servers. */
  readonly servers: WeakMap<PohDict, number>;
  /** Host request ids of accepted requests. */
  readonly requests: WeakMap<PohDict, number>;
}

/** Fresh web state for one run. */
export function newWebState(): WebState {
  return { current: null, servers: new WeakMap(), requests: new WeakMap() };
}

/** Applies `f` to a value that may still be on its way. */
function then<T>(v: Value | Promise<Value>, f: (v: Value) => T): T | Promise<T> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** A response status: a whole number 200–599. */
function statusOf(status: Value): number {
  const code = num(status, "response status");
  if (!Number.isInteger(code) || code < 200 || code > 599) {
    pohError("ValueError", `a response status must be a whole number 200–599, found ${code}`);
  }
  return code;
}

/** A response dictionary `{"status": n, "headers": {"Content-Type": type}, "body": text}`. */
function response(status: Value, type: string, body: string): PohDict {
  const code = statusOf(status);
  const headers: PohDict = new Map([["Content-Type", type]]);
  return new Map<string | number | boolean | null, Value>([
    ["status", code],
    ["headers", headers],
    ["body", body],
  ]);
}

/** What a handler answered, as status, header lines and body. */
function normalise(v: Value, ctx: BuiltinContext): [number, string, string] {
  if (v instanceof Map && (v.has("status") || v.has("body"))) {
    const status = v.get("status") ?? 200;
    const body = v.get("body") ?? "";
    const headers = v.get("headers");
    let lines = "";
    let typed = false;
    if (headers instanceof Map) {
      for (const [k, x] of headers) {
        const name = toText(k);
        const value = toText(x);
        if (/[\r\n]/.test(name + value)) pohError("ValueError", "a header holds a line break");
        if (name.toLowerCase() === "content-type") typed = true;
        lines += `${name}: ${value}\n`;
      }
    }
    const text = typeof body === "string" ? body : jsonText(body, false, ctx);
    if (!typed) {
      lines += `Content-Type: ${
        typeof body === "string" ? "text/plain; charset=utf-8" : "application/json"
      }\n`;
    }
    return [statusOf(status), lines, text];
  }
  if (typeof v === "string") return [200, "Content-Type: text/plain; charset=utf-8\n", v];
  if (v === null) return [204, "", ""];
  return [200, "Content-Type: application/json\n", jsonText(v, false, ctx)];
}

/** The request dictionary from the host's `net.accept` text. */
function parseRequest(text: string, ctx: BuiltinContext): PohDict {
  const lines = text.split("\n");
  const id = Number(lines[0]);
  const [method, target = "/"] = (lines[1] ?? "").split(" ");
  const url = new URL(target, "http://localhost");
  const headers: PohDict = new Map();
  let i = 2;
  for (; i < lines.length && lines[i] !== ""; i++) {
    const colon = lines[i].indexOf(":");
    if (colon > 0) headers.set(lines[i].slice(0, colon), lines[i].slice(colon + 1).trim());
  }
  const query: PohDict = new Map();
  for (const [k, v] of url.searchParams) query.set(k, v);
  const req: PohDict = new Map<string | number | boolean | null, Value>([
    ["method", method],
    ["path", decodedPath(url.pathname)],
    ["query", query],
    ["headers", headers],
    ["body", lines.slice(i + 1).join("\n")],
    ["params", new Map()],
  ]);
  ctx.web.requests.set(req, id);
  return req;
}

/** A URL path with its `%xx` escapes decoded (left as it is when they are malformed). */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Whether route pattern `pattern` (`/users/:id`, `*`) matches `path`; fills `params`. */
function matchPath(pattern: string, path: string, params: PohDict): boolean {
  if (pattern === "*") return true;
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length && want[want.length - 1] !== "*") return false;
  for (let i = 0; i < want.length; i++) {
    if (want[i] === "*") return true;
    if (want[i].startsWith(":")) params.set(want[i].slice(1), got[i] ?? "");
    else if (want[i] !== got[i]) return false;
  }
  return true;
}

function server(v: Value, what: string): PohDict {
  const s = dict(v, what);
  if (!Array.isArray(s.get("routes"))) pohError("TypeError", `${what} expects a web server`);
  return s;
}

function hostId(map: WeakMap<PohDict, number>, v: PohDict, what: string): number {
  const id = map.get(v);
  if (id === undefined) pohError("ValueError", `${what}: the server is not running`);
  return id;
}

/** The web rows (appended to `BUILTINS`; the order is part of `.pbc`). */
export const WEB_BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "webServer",
    min: 1,
    max: 1,
    doc: "create web server on port N",
    fn: ([port], ctx) => {
      const p = num(port, "create web server");
      if (!Number.isInteger(p) || p < 1 || p > 65535) {
        pohError("ValueError", `a port must be a whole number 1–65535, found ${p}`);
      }
      const s: PohDict = new Map<string | number | boolean | null, Value>([
        ["host", "127.0.0.1"],
        ["port", p],
        ["routes", []],
      ]);
      ctx.web.current = s;
      return s;
    },
  },
  {
    name: "webCurrent",
    min: 0,
    max: 0,
    doc: "(hidden) the server `Start server` serves",
    fn: (_a, ctx) =>
      ctx.web.current ??
        pohError("ValueError", "Start server: no server yet (create web server on port N)"),
  },
  {
    name: "webAddRoute",
    min: 4,
    max: 4,
    doc: "(hidden) Add route path with method M to server",
    fn: ([s, path, method, handler]) => {
      const routes = server(s, "Add route").get("routes") as Value[];
      if (!(handler instanceof PohFunction)) pohError("TypeError", "a route needs a handler");
      routes.push(
        new Map<string | number | boolean | null, Value>([
          ["path", str(path, "Add route")],
          ["method", str(method, "Add route").toUpperCase()],
          ["handler", handler],
        ]),
      );
      return null;
    },
  },
  {
    name: "webListen",
    min: 1,
    max: 1,
    doc: "(hidden) start listening (net.listen, net permission)",
    fn: ([v], ctx) => {
      const s = server(v, "Start server");
      const address = `${toText(s.get("host") ?? "127.0.0.1")}:${toText(s.get("port") ?? 0)}`;
      return then(hostCall(ctx, "net.listen", [address]), (id) => {
        ctx.web.servers.set(s, Number(id));
        return null;
      });
    },
  },
  {
    name: "webAccept",
    min: 1,
    max: 1,
    doc: "(hidden) the next request, or nothing once the server is closed (net.accept)",
    fn: ([v], ctx) => {
      const id = hostId(ctx.web.servers, server(v, "Start server"), "Start server");
      return then(
        hostCall(ctx, "net.accept", [id]),
        (t) => t === null ? null : parseRequest(toText(t), ctx),
      );
    },
  },
  {
    name: "webHandler",
    min: 2,
    max: 2,
    doc: "(hidden) the handler of the first route matching a request, or nothing",
    fn: ([v, r]) => {
      const req = dict(r, "route");
      const params = req.get("params") as PohDict;
      for (const route of server(v, "Start server").get("routes") as PohDict[]) {
        const method = route.get("method");
        if (method !== "*" && method !== req.get("method")) continue;
        params.clear();
        if (matchPath(toText(route.get("path") ?? ""), toText(req.get("path") ?? ""), params)) {
          return route.get("handler") ?? null;
        }
      }
      return null;
    },
  },
  {
    name: "webRespond",
    min: 2,
    max: 2,
    doc: "(hidden) answer a request with what its handler gave (net.respond)",
    fn: ([r, answer], ctx) => {
      const id = hostId(ctx.web.requests, dict(r, "respond"), "respond");
      const [status, headers, body] = normalise(answer, ctx);
      return then(hostCall(ctx, "net.respond", [id, status, headers, body]), () => null);
    },
  },
  {
    name: "webClose",
    min: 1,
    max: 1,
    doc: "(hidden) stop a server (net.close)",
    fn: ([v], ctx) => {
      const s = server(v, "Start server");
      const id = ctx.web.servers.get(s);
      if (id === undefined) return null;
      ctx.web.servers.delete(s);
      return then(hostCall(ctx, "net.close", [id]), () => null);
    },
  },
  {
    name: "webNotFound",
    min: 0,
    max: 0,
    doc: "(hidden) the answer when no route matches",
    fn: () => response(404, "text/plain; charset=utf-8", "Not Found"),
  },
  {
    name: "webFailed",
    min: 1,
    max: 1,
    doc: "(hidden) the answer when a handler fails",
    fn: ([e]) =>
      response(
        500,
        "text/plain; charset=utf-8",
        e instanceof PohErrorValue ? `${e.type}: ${e.message}` : toText(e),
      ),
  },
  {
    name: "htmlResponse",
    min: 1,
    max: 2,
    doc: "html response with x [and status n]",
    fn: ([x, status]) => response(status ?? 200, "text/html; charset=utf-8", toText(x)),
  },
  {
    name: "jsonResponse",
    min: 1,
    max: 2,
    doc: "json response with x [and status n]",
    fn: ([x, status], ctx) => response(status ?? 200, "application/json", jsonText(x, false, ctx)),
  },
  {
    name: "errorResponse",
    min: 2,
    max: 2,
    doc: "error response with status n and message m",
    fn: ([status, message], ctx) =>
      response(
        status,
        "application/json",
        jsonText(new Map([["error", toText(message)]]), false, ctx),
      ),
  },
];

/** The web rows that call the host (they answer with a Promise). */
export const WEB_HOST_NAMES: readonly string[] = [
  "webListen",
  "webAccept",
  "webRespond",
  "webClose",
];
