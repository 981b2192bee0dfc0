/**
 * PXTERM v1: the draw list as text, read and written. One command per line, case-insensitive
 * keywords, `#` comments (a line starting with `#`, or ` #` after a command other than `TEXT`).
 * A bad line is reported with its line number and the rest still parses.
 *
 * v1: `CANVAS w h`, `LAYER NEW name z`, `LAYER USE name`, `LAYER DELETE name`,
 * `CLEAR r g b [a]`, `PIXEL x y r g b [a]`, `RECT x y w h r g b [a]`, `HLINE x y len r g b [a]`,
 * `VLINE x y len r g b [a]`, `TEXT x y r g b a message…`, `SAVE path`, `INFO`, `LAYERS`.
 * Extensions: `LINE x0 y0 x1 y1 r g b [a]`, `CIRCLE cx cy radius r g b [a] [FILL]`,
 * `LAYER OPACITY name 0–255`, `LAYER SHOW name`, `LAYER HIDE name`, `PRESENT`.
 *
 * @module
 */
import type { DrawOp } from "../host/gfx_sink.ts";
import { rgba } from "./color.ts";

/** A PXTERM command: a draw-list operation or one of the terminal's own commands. */
export type PxtermCommand =
  | DrawOp
  | { readonly op: "save"; readonly path: string }
  | { readonly op: "info" }
  | { readonly op: "layers" }
  | { readonly op: "present" };

/** A parsed line. */
export interface PxtermLine {
  /** 1-based line number. */
  readonly line: number;
  /** The command. */
  readonly command: PxtermCommand;
}

/** A line that could not be parsed. */
export interface PxtermError {
  /** 1-based line number. */
  readonly line: number;
  /** What was expected and what was found. */
  readonly message: string;
}

/** Parse result: good lines in order and the errors of bad ones. */
export interface PxtermParse {
  /** Commands in order. */
  readonly lines: PxtermLine[];
  /** One per bad line. */
  readonly errors: PxtermError[];
}

const USAGE: Record<string, string> = {
  CANVAS: "CANVAS w h",
  CLEAR: "CLEAR r g b [a]",
  PIXEL: "PIXEL x y r g b [a]",
  RECT: "RECT x y w h r g b [a]",
  HLINE: "HLINE x y len r g b [a]",
  VLINE: "VLINE x y len r g b [a]",
  LINE: "LINE x0 y0 x1 y1 r g b [a]",
  CIRCLE: "CIRCLE cx cy radius r g b [a] [FILL]",
  TEXT: "TEXT x y r g b a message",
  SAVE: "SAVE path",
  LAYER: "LAYER NEW name [z] | USE name | DELETE name | OPACITY name 0-255 | SHOW name | HIDE name",
};

class LineError extends Error {}

function int(token: string | undefined, what: string): number {
  if (token === undefined || !/^[+-]?(\d+|0x[0-9a-f]+)$/i.test(token)) {
    throw new LineError(`expected an integer ${what}, found ${JSON.stringify(token ?? "")}`);
  }
  const v = token.startsWith("-") ? -Number(token.slice(1)) : Number(token.replace(/^\+/, ""));
  if (!Number.isSafeInteger(v)) throw new LineError(`${what} ${token} is out of range`);
  return v;
}

function channel(token: string | undefined, what: string): number {
  const v = int(token, what);
  if (v < 0 || v > 255) throw new LineError(`expected ${what} 0–255, found ${v}`);
  return v;
}

/** Reads `count` numbers then `r g b [a]`; the colour must end the line. */
function numbersAndColor(
  args: string[],
  names: string[],
  keyword: string,
): { n: number[]; color: number } {
  const needed = names.length + 3;
  if (args.length !== needed && args.length !== needed + 1) {
    throw new LineError(`expected ${USAGE[keyword]}, found ${args.length} argument(s)`);
  }
  const n = names.map((name, i) => int(args[i], name));
  const c = args.slice(names.length);
  const a = c[3] === undefined ? 255 : channel(c[3], "alpha");
  return {
    n,
    color: rgba(channel(c[0], "red"), channel(c[1], "green"), channel(c[2], "blue"), a),
  };
}

function parseLayer(args: string[]): PxtermCommand {
  const sub = (args[0] ?? "").toUpperCase();
  const name = args[1];
  const need = (count: number) => {
    if (args.length !== count || name === undefined) {
      throw new LineError(`expected ${USAGE.LAYER}, found ${JSON.stringify(args.join(" "))}`);
    }
  };
  switch (sub) {
    case "NEW":
      if (args.length === 2) return { op: "layerNew", name: args[1], z: 0 };
      need(3);
      return { op: "layerNew", name, z: int(args[2], "z") };
    case "USE":
      need(2);
      return { op: "layerUse", name };
    case "DELETE":
      need(2);
      return { op: "layerDelete", name };
    case "OPACITY":
      need(3);
      return { op: "layerOpacity", name, opacity: channel(args[2], "opacity") };
    case "SHOW":
    case "HIDE":
      need(2);
      return { op: "layerVisible", name, visible: sub === "SHOW" };
    default:
      throw new LineError(`expected ${USAGE.LAYER}, found ${JSON.stringify(args.join(" "))}`);
  }
}

/** Parses one non-empty, comment-free line. */
function parseCommand(text: string): PxtermCommand {
  const keyword = /^\S+/.exec(text)![0].toUpperCase();
  if (keyword === "TEXT") {
    // The message is everything after the sixth number and one separator, kept verbatim.
    const m = /^\S+\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s(.*))?$/s.exec(text);
    if (!m) throw new LineError(`expected ${USAGE.TEXT}`);
    return {
      op: "text",
      x: int(m[1], "x"),
      y: int(m[2], "y"),
      color: rgba(
        channel(m[3], "red"),
        channel(m[4], "green"),
        channel(m[5], "blue"),
        channel(m[6], "alpha"),
      ),
      text: m[7] ?? "",
    };
  }
  let args = text.split(/\s+/).slice(1);
  const hash = args.findIndex((a) => a.startsWith("#"));
  if (hash >= 0) args = args.slice(0, hash);
  switch (keyword) {
    case "CANVAS":
      if (args.length !== 2) throw new LineError(`expected ${USAGE.CANVAS}`);
      return { op: "canvas", width: int(args[0], "width"), height: int(args[1], "height") };
    case "LAYER":
      return parseLayer(args);
    case "CLEAR":
      return { op: "clear", color: numbersAndColor(args, [], keyword).color };
    case "PIXEL": {
      const { n, color } = numbersAndColor(args, ["x", "y"], keyword);
      return { op: "pixel", x: n[0], y: n[1], color };
    }
    case "RECT": {
      const { n, color } = numbersAndColor(args, ["x", "y", "w", "h"], keyword);
      return { op: "rect", x: n[0], y: n[1], w: n[2], h: n[3], color };
    }
    case "HLINE":
    case "VLINE": {
      const { n, color } = numbersAndColor(args, ["x", "y", "len"], keyword);
      return { op: keyword === "HLINE" ? "hline" : "vline", x: n[0], y: n[1], len: n[2], color };
    }
    case "LINE": {
      const { n, color } = numbersAndColor(args, ["x0", "y0", "x1", "y1"], keyword);
      return { op: "line", x0: n[0], y0: n[1], x1: n[2], y1: n[3], color };
    }
    case "CIRCLE": {
      const filled = /^fill(ed)?$/i.test(args[args.length - 1] ?? "");
      const { n, color } = numbersAndColor(filled ? args.slice(0, -1) : args, [
        "cx",
        "cy",
        "radius",
      ], keyword);
      return { op: "circle", cx: n[0], cy: n[1], r: n[2], color, filled };
    }
    case "SAVE":
      if (args.length !== 1) throw new LineError(`expected ${USAGE.SAVE} (no spaces in the path)`);
      return { op: "save", path: args[0] };
    case "INFO":
    case "LAYERS":
    case "PRESENT":
      if (args.length !== 0) throw new LineError(`${keyword} takes no arguments`);
      return { op: keyword.toLowerCase() as "info" | "layers" | "present" };
    default:
      throw new LineError(`unknown command ${JSON.stringify(keyword)}`);
  }
}

/**
 * Parses PXTERM text. Never throws: bad lines are returned in `errors`.
 *
 * @example
 * ```ts
 * import { parsePxterm } from "@pxos/core";
 * const { lines, errors } = parsePxterm("CANVAS 64 48\nRECT 1 2 3 4 255 0 0\nBOGUS\n");
 * console.log(lines.length, errors[0].line); // 2 3
 * ```
 */
export function parsePxterm(text: string): PxtermParse {
  const lines: PxtermLine[] = [];
  const errors: PxtermError[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const trimmed = line.trimStart();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    try {
      lines.push({ line: i + 1, command: parseCommand(trimmed) });
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      errors.push({ line: i + 1, message: e.message });
    }
  });
  return { lines, errors };
}

function colorArgs(color: number): string {
  return [color >>> 24, (color >>> 16) & 0xff, (color >>> 8) & 0xff, color & 0xff].join(" ");
}

/** One command as a PXTERM line (several lines for multi-line text). */
export function formatPxtermCommand(c: PxtermCommand): string {
  switch (c.op) {
    case "canvas":
      return `CANVAS ${c.width} ${c.height}`;
    case "layerNew":
      return `LAYER NEW ${c.name} ${c.z}`;
    case "layerUse":
      return `LAYER USE ${c.name}`;
    case "layerDelete":
      return `LAYER DELETE ${c.name}`;
    case "layerOpacity":
      return `LAYER OPACITY ${c.name} ${c.opacity}`;
    case "layerVisible":
      return `LAYER ${c.visible ? "SHOW" : "HIDE"} ${c.name}`;
    case "clear":
      return `CLEAR ${colorArgs(c.color)}`;
    case "pixel":
      return `PIXEL ${c.x} ${c.y} ${colorArgs(c.color)}`;
    case "rect":
      return `RECT ${c.x} ${c.y} ${c.w} ${c.h} ${colorArgs(c.color)}`;
    case "hline":
    case "vline":
      return `${c.op.toUpperCase()} ${c.x} ${c.y} ${c.len} ${colorArgs(c.color)}`;
    case "line":
      return `LINE ${c.x0} ${c.y0} ${c.x1} ${c.y1} ${colorArgs(c.color)}`;
    case "circle":
      return `CIRCLE ${c.cx} ${c.cy} ${c.r} ${colorArgs(c.color)}${c.filled ? " FILL" : ""}`;
    case "text":
      // A newline in text starts a new line 8 pixels down at the same x: the same pixels as
      // one TEXT line per text line. A lone CR would end the PXTERM line; it draws as '?'.
      return c.text.split("\n").map((part, i) =>
        `TEXT ${c.x} ${c.y + 8 * i} ${colorArgs(c.color)} ${part.replaceAll("\r", "?")}`
      ).join("\n");
    case "save":
      return `SAVE ${c.path}`;
    case "info":
      return "INFO";
    case "layers":
      return "LAYERS";
    case "present":
      return "PRESENT";
  }
}

/**
 * Writes commands as PXTERM text; `parsePxterm` reads it back to the same draw list.
 *
 * @example
 * ```ts
 * import { rgba, writePxterm } from "@pxos/core";
 * console.log(writePxterm([{ op: "rect", x: 0, y: 0, w: 8, h: 8, color: rgba(1, 2, 3) }]));
 * // RECT 0 0 8 8 1 2 3 255
 * ```
 */
export function writePxterm(commands: readonly PxtermCommand[]): string {
  return commands.map(formatPxtermCommand).join("\n") + (commands.length ? "\n" : "");
}
