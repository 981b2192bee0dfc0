/**
 * The host-call table: every call a guest can make outside its VM, one row each, shared by every
 * engine. Engines map their own calling convention (stack, registers, imports) onto these rows;
 * the host checks each call against the grant before doing anything.
 *
 * @module
 */
import { callArg, callRows } from "./call_rows.ts";
import { playCalls } from "./play_calls.ts";

/** A value crossing the guest/host boundary. */
export type HostValue = number | string | Uint8Array | boolean | null;

/** The type of one argument or result, for documentation and argument checking. */
export type HostValueType = "i32" | "f64" | "string" | "bytes" | "bool" | "void" | "never";

/** A permission a manifest can request and a user can grant. */
export type Permission = "read" | "write" | "net" | "clock" | "random" | "gpu";

/** One row of the host-call table. */
export interface HostCallSpec {
  /** Stable numeric id (engines with numeric call conventions use it). */
  readonly id: number;
  /** Stable dotted name, e.g. `console.write`. */
  readonly name: string;
  /** Named, typed arguments in order. */
  readonly args: readonly { readonly name: string; readonly type: HostValueType }[];
  /** Result type. */
  readonly result: HostValueType;
  /**
   * Permission that decides the call. `null`: always allowed. For `clock` and `random` a missing
   * grant does not deny: the call answers from the deterministic virtual source instead.
   */
  readonly permission: Permission | null;
  /** One line on what it does. */
  readonly doc: string;
}

/** The host-call table. Ids and names are stable; new rows get new ids. */
export const HOST_CALLS: readonly HostCallSpec[] = Object.freeze(
  [
    {
      id: 1,
      name: "console.write",
      args: [{ name: "text", type: "string" }],
      result: "void",
      permission: null,
      doc: "Write text to standard output (no newline added).",
    },
    {
      id: 2,
      name: "console.error",
      args: [{ name: "text", type: "string" }],
      result: "void",
      permission: null,
      doc: "Write text to standard error (no newline added).",
    },
    {
      id: 3,
      name: "console.readLine",
      args: [],
      result: "string",
      permission: null,
      doc: "Read one line from standard input without its newline; null at end of input.",
    },
    {
      id: 4,
      name: "cart.read",
      args: [{ name: "path", type: "string" }],
      result: "bytes",
      permission: null,
      doc: "Read a file of the cartridge itself (always allowed, read-only).",
    },
    {
      id: 5,
      name: "clock.now",
      args: [],
      result: "f64",
      permission: "clock",
      doc: "Wall-clock time in ms since the Unix epoch; a virtual clock without the grant.",
    },
    {
      id: 6,
      name: "clock.monotonic",
      args: [],
      result: "f64",
      permission: "clock",
      doc: "Monotonic ms since the run started; virtual (1 ms per read) without the grant.",
    },
    {
      id: 7,
      name: "random.bytes",
      args: [{ name: "count", type: "i32" }],
      result: "bytes",
      permission: "random",
      doc: "Random bytes (at most 65536 a call); a seeded PRNG without the grant.",
    },
    {
      id: 8,
      name: "process.exit",
      args: [{ name: "code", type: "i32" }],
      result: "never",
      permission: null,
      doc: "End the program with an exit code (0–255).",
    },
    {
      id: 9,
      name: "fs.readText",
      args: [{ name: "path", type: "string" }],
      result: "string",
      permission: "read",
      doc: "Read a host file as UTF-8 text (path under a granted read root).",
    },
    {
      id: 10,
      name: "fs.writeText",
      args: [{ name: "path", type: "string" }, { name: "text", type: "string" }],
      result: "void",
      permission: "write",
      doc: "Create or replace a host file with UTF-8 text (path under a granted write root).",
    },
    {
      id: 11,
      name: "fs.appendText",
      args: [{ name: "path", type: "string" }, { name: "text", type: "string" }],
      result: "void",
      permission: "write",
      doc: "Append UTF-8 text to a host file (path under a granted write root).",
    },
    {
      id: 12,
      name: "fs.exists",
      args: [{ name: "path", type: "string" }],
      result: "bool",
      permission: "read",
      doc: "Whether a host file exists (path under a granted read root).",
    },
    {
      id: 13,
      name: "fs.list",
      args: [{ name: "path", type: "string" }],
      result: "string",
      permission: "read",
      doc: "Names in a host directory, sorted, one per line; directories end with `/`.",
    },
    {
      id: 14,
      name: "fs.mkdir",
      args: [{ name: "path", type: "string" }],
      result: "void",
      permission: "write",
      doc: "Create a host directory and any missing parents (under a granted write root).",
    },
    {
      id: 15,
      name: "fs.remove",
      args: [{ name: "path", type: "string" }],
      result: "void",
      permission: "write",
      doc: "Remove a host file or empty directory (under a granted write root).",
    },
    {
      id: 16,
      name: "fs.readBytes",
      args: [{ name: "path", type: "string" }],
      result: "bytes",
      permission: "read",
      doc: "Read a host file as bytes (path under a granted read root).",
    },
    {
      id: 17,
      name: "fs.writeBytes",
      args: [{ name: "path", type: "string" }, { name: "data", type: "bytes" }],
      result: "void",
      permission: "write",
      doc: "Create or replace a host file with bytes (path under a granted write root).",
    },
    {
      id: 18,
      name: "fs.stat",
      args: [{ name: "path", type: "string" }],
      result: "string",
      permission: "read",
      doc: "JSON `{type, size, mtimeMs, atimeMs, mode}` of a host path (`type` file, dir or " +
        "other), null when missing; under a granted read root, or a write root where read is " +
        "not granted.",
    },
    {
      id: 19,
      name: "fs.rename",
      args: [{ name: "from", type: "string" }, { name: "to", type: "string" }],
      result: "void",
      permission: "write",
      doc: "Move a host file or directory (both paths under a granted write root).",
    },
    {
      id: 25,
      name: "fs.checkWrite",
      args: [{ name: "path", type: "string" }],
      result: "void",
      permission: "write",
      doc: "Check that a host path is under a granted write root, touching nothing (refused: " +
        "an error), so a file can be refused when opened and written when closed.",
    },
    {
      id: 20,
      name: "net.fetch",
      args: [
        { name: "method", type: "string" },
        { name: "url", type: "string" },
        { name: "headers", type: "string" },
        { name: "body", type: "string" },
      ],
      result: "string",
      permission: "net",
      doc: "HTTP request to a granted host: status line, `name: value` lines, blank line, body.",
    },
    ...netServeCalls(),
    ...gfxCalls(),
    ...playCalls(),
  ] as const satisfies readonly HostCallSpec[],
);

/**
 * The serving rows (ids 21–24, see `net_serve.ts`): a server listens on a loopback `host:port`
 * the `net` grant allows; requests and answers cross as text.
 */
function netServeCalls(): HostCallSpec[] {
  const arg = callArg;
  const row = callRows("net");
  return [
    row(
      21,
      "net.listen",
      [arg("address", "string")],
      "i32",
      "Serve HTTP on a granted loopback `host:port`; answers a server id.",
    ),
    row(
      22,
      "net.accept",
      [arg("server", "i32")],
      "string",
      "Wait for a request: id line, `METHOD target` line, `name: value` lines, blank line, " +
        "body; null once the server is closed.",
    ),
    row(
      23,
      "net.respond",
      [
        arg("request", "i32"),
        arg("status", "i32"),
        arg("headers", "string"),
        arg("body", "string"),
      ],
      "void",
      "Answer an accepted request (status 200–599, `name: value` header lines, body).",
    ),
    row(
      24,
      "net.close",
      [arg("server", "i32")],
      "void",
      "Stop a server; waiting requests get 503.",
    ),
  ];
}

/**
 * The graphics rows (ids 32 and up). Drawing needs no permission (the CPU renderer is always
 * there); the `gpu` permission only decides whether the WebGPU renderer may be used. Colours are
 * packed `0xRRGGBBAA` numbers.
 */
function gfxCalls(): HostCallSpec[] {
  const i32 = (name: string) => ({ name, type: "i32" as const });
  const str = (name: string) => ({ name, type: "string" as const });
  const row = (
    id: number,
    name: string,
    args: HostCallSpec["args"],
    doc: string,
  ): HostCallSpec => ({ id, name, args, result: "void", permission: null, doc });
  return [
    row(32, "gfx.canvas", [i32("width"), i32("height")], "Set the canvas size (1–4096 each)."),
    row(
      33,
      "gfx.layerNew",
      [str("name"), i32("z")],
      "Create a layer at z-order z (the first layer becomes current).",
    ),
    row(34, "gfx.layerUse", [str("name")], "Make a layer the target of drawing."),
    row(35, "gfx.layerDelete", [str("name")], "Delete a layer and its contents."),
    row(36, "gfx.layerOpacity", [str("name"), i32("opacity")], "Set layer opacity 0–255."),
    row(
      37,
      "gfx.layerVisible",
      [str("name"), { name: "visible", type: "bool" }],
      "Show or hide a layer.",
    ),
    row(38, "gfx.clear", [i32("rgba")], "Set every pixel of the current layer to a colour."),
    row(39, "gfx.pixel", [i32("x"), i32("y"), i32("rgba")], "Blend one pixel."),
    row(
      40,
      "gfx.rect",
      [i32("x"), i32("y"), i32("w"), i32("h"), i32("rgba")],
      "Blend a filled rectangle.",
    ),
    row(
      41,
      "gfx.line",
      [i32("x0"), i32("y0"), i32("x1"), i32("y1"), i32("rgba")],
      "Blend a one-pixel line from (x0,y0) to (x1,y1), both ends included.",
    ),
    row(
      42,
      "gfx.text",
      [i32("x"), i32("y"), i32("rgba"), str("text")],
      "Blend text in the built-in 5×7 font (6×8 cells).",
    ),
    row(
      43,
      "gfx.circle",
      [i32("cx"), i32("cy"), i32("r"), i32("rgba"), { name: "filled", type: "bool" }],
      "Blend a circle (filled or outline).",
    ),
    row(44, "gfx.present", [], "End the frame: the renderer renders and stores it."),
  ];
}

/** Looks up a row by name or id; `undefined` when there is none. */
export function findHostCall(key: string | number): HostCallSpec | undefined {
  return HOST_CALLS.find((c) => (typeof key === "number" ? c.id === key : c.name === key));
}
