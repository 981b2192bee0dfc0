/**
 * The PohLang built-ins that reach outside the VM: input, the clock, files and the network. Each
 * goes through a host call, so the host's permission checks apply; a denial becomes a catchable
 * Poh error (see `host_call.ts`).
 *
 * @module
 */
import type { BuiltinContext, BuiltinSpec } from "./builtins.ts";
import { str } from "./builtin_args.ts";
import { hostCall } from "./host_call.ts";
import {
  describeType,
  pohError,
  PohErrorValue,
  PohThrow,
  toText,
  truthy,
  type Value,
} from "./values.ts";

/** Applies `f` to a value that may still be on its way. */
function then<T>(v: Value | Promise<Value>, f: (v: Value) => T): T | Promise<T> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/**
 * A built-in that writes its text argument to the file at its path argument through the host
 * call `call`, and answers True.
 */
function fileWriter(name: string, call: string, what: string, doc: string): BuiltinSpec {
  return {
    name,
    min: 2,
    max: 2,
    doc: `${doc} (write permission)`,
    fn: ([p, x], ctx) => then(hostCall(ctx, call, [str(p, what), toText(x)]), () => true),
  };
}

/**
 * The text of file `path`: the cartridge's own file when it has one, else the host file
 * (`fs.readText`, read permission).
 */
export async function readText(path: string, ctx: BuiltinContext): Promise<Value> {
  try {
    return await hostCall(ctx, "cart.read", [path]);
  } catch (e) {
    if (!(e instanceof PohThrow && e.value.type === "FileError")) throw e;
    return await hostCall(ctx, "fs.readText", [path]);
  }
}

/** Host-backed built-ins (appended to the table in `builtins.ts`; order is part of `.pbc`). */
export const HOST_BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "ask",
    min: 0,
    max: 1,
    doc: "Ask for x: one line of input (a number when it reads as one)",
    fn: async (_a, ctx) => {
      const line = await hostCall(ctx, "console.readLine", []);
      if (line === null) return "";
      const s = toText(line);
      return s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : s;
    },
  },
  {
    name: "now",
    min: 0,
    max: 0,
    doc: "now(): milliseconds since the epoch (virtual without the clock grant)",
    fn: (_a, ctx) => hostCall(ctx, "clock.now", []),
  },
  {
    name: "readFile",
    min: 1,
    max: 1,
    doc: "read file at p: a cartridge file, else a host file (read permission)",
    fn: ([p], ctx) => readText(str(p, "read file"), ctx),
  },
  fileWriter("writeFile", "fs.writeText", "write to file", "write x to file at p"),
  fileWriter("appendFile", "fs.appendText", "append to file", "append x to file at p"),
  {
    name: "fileExists",
    min: 1,
    max: 1,
    doc: "file exists at p (read permission)",
    fn: ([p], ctx) => then(hostCall(ctx, "fs.exists", [str(p, "file exists")]), truthy),
  },
];

/** Host-backed built-ins added later: directories and the network (appended after the rest). */
export const HOST_BUILTINS_2: readonly BuiltinSpec[] = [
  {
    name: "listDir",
    min: 1,
    max: 1,
    doc: "list files in directory at p: names, directories ending with / (read permission)",
    fn: ([p], ctx) =>
      then(hostCall(ctx, "fs.list", [str(p, "list files")]), (t) => {
        const text = toText(t);
        return text === "" ? [] : text.split("\n").filter((n) => n !== "");
      }),
  },
  {
    name: "makeDir",
    min: 1,
    max: 1,
    doc: "create directory at p, with missing parents (write permission)",
    fn: ([p], ctx) => then(hostCall(ctx, "fs.mkdir", [str(p, "create directory")]), () => true),
  },
  {
    name: "deleteFile",
    min: 1,
    max: 1,
    doc: "delete file at p: a file or an empty directory (write permission)",
    fn: ([p], ctx) => then(hostCall(ctx, "fs.remove", [str(p, "delete file")]), () => true),
  },
  {
    name: "fetch",
    min: 1,
    max: 4,
    doc: 'fetch url [, method, body, headers]: {"status", "headers", "body"} (net permission)',
    fn: (args, ctx) => {
      const url = str(args[0], "fetch");
      const method = args[1] === undefined || args[1] === null ? "GET" : str(args[1], "fetch");
      if (!/^[A-Za-z]{1,16}$/.test(method)) {
        pohError("ValueError", `fetch expects a method such as "GET" or "POST", found ${method}`);
      }
      const body = args[2] === undefined || args[2] === null ? "" : toText(args[2]);
      const headers = headerLines(args[3] ?? null);
      const r = hostCall(ctx, "net.fetch", [method.toUpperCase(), url, headers, body]);
      return then(r, (t) => parseFetchAnswer(toText(t)));
    },
  },
];

/** Request headers (a dictionary) as `name: value` lines, refusing anything that could split. */
function headerLines(h: Value): string {
  if (h === null) return "";
  if (!(h instanceof Map)) {
    return pohError("TypeError", `fetch expects headers as a dictionary, found ${describeType(h)}`);
  }
  let out = "";
  for (const [k, v] of h) {
    const name = toText(k);
    const value = toText(v);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
      pohError(
        "ValueError",
        `fetch: header ${JSON.stringify(name)} has a name or value HTTP refuses`,
      );
    }
    out += `${name}: ${value}\n`;
  }
  return out;
}

/**
 * The host's `net.fetch` answer (status line, `name: value` lines, blank line, body) as the
 * dictionary `{"status": n, "headers": {…}, "body": text}`.
 */
export function parseFetchAnswer(text: string): Value {
  const malformed = (): never => {
    throw new PohThrow(
      new PohErrorValue("NetworkError", "the host's answer to net.fetch is malformed"),
    );
  };
  let at = text.indexOf("\n");
  if (at < 0) malformed();
  const status = Number(text.slice(0, at));
  if (!Number.isInteger(status) || status < 0 || status > 999) malformed();
  const headers = new Map<string, Value>();
  at++;
  for (;;) {
    const end = text.indexOf("\n", at);
    if (end < 0) malformed();
    const line = text.slice(at, end);
    at = end + 1;
    if (line === "") break;
    const colon = line.indexOf(":");
    if (colon <= 0) malformed();
    headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return new Map<string, Value>([["status", status], ["headers", headers], [
    "body",
    text.slice(at),
  ]]);
}

/** Names of the built-ins that call the host (they may answer with a Promise). */
export const HOST_BUILTIN_NAMES: ReadonlySet<string> = new Set(
  [...HOST_BUILTINS, ...HOST_BUILTINS_2].map((b) => b.name),
);
