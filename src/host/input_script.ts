/**
 * The `.pxin` text format: scripted input for `pxos boot --input`, and what `--record` writes
 * and `pxos replay` reads. One line per change, `#` comments:
 *
 * ```text
 * pxin 1                  # optional version line
 * frames 600              # how many frames the run has (a recording always says)
 * seed 0a1b…              # --seed of the recorded run (hex), when one was given
 * 0 p1 right x            # from frame 0, player 1 holds right and X
 * 30 p1 -                 # from frame 30, nothing
 * 12 mouse 40 52 left     # pointer at (40,52), left button held
 * 40 keys hello world     # text typed during frame 40
 * ```
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { BUTTONS, type InputEvent, MOUSE_BUTTONS, PLAYERS } from "./input.ts";

/** A parsed `.pxin` file. */
export interface InputScript {
  /** `frames N`, when given. */
  frames?: number;
  /** `seed HEX`, when given. */
  seed?: string;
  /** The events, in file order. */
  events: InputEvent[];
}

/** The most frames a script may name (one hour at 60 Hz is 216000). */
export const MAX_SCRIPT_FRAME = 10_000_000;

/**
 * Parses `.pxin` text; a malformed line is `E_USAGE` naming `path:line:col`.
 *
 * @example
 * ```ts
 * import { parseInputScript } from "@pxos/core";
 * const script = parseInputScript("frames 3\n1 p1 x left\n", "demo.pxin");
 * console.log(script.frames, script.events[0].frame); // 3 1
 * ```
 */
export function parseInputScript(text: string, path: string): InputScript {
  const script: InputScript = { events: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const bad = (expected: string, found: string): never => {
      const col = Math.max(raw.indexOf(found), 0) + 1;
      throw new PxosError(
        "E_USAGE",
        `${path}:${i + 1}:${col}: expected ${expected}, found ${JSON.stringify(found)}`,
      );
    };
    // `keys` keeps its text whole, `#` included; other lines drop comments.
    const keys = /^\s*(\d+)\s+keys(?: (.*))?$/i.exec(raw);
    if (keys) {
      script.events.push({ frame: frameNumber(keys[1], bad), kind: "keys", text: keys[2] ?? "" });
      continue;
    }
    const words = raw.replace(/#.*/, "").trim().split(/\s+/).filter((w) => w !== "");
    if (words.length === 0) continue;
    const [head, ...rest] = words;
    if (/^pxin$/i.test(head)) {
      if (rest.join(" ") !== "1") bad("format version 1", rest.join(" "));
    } else if (/^frames$/i.test(head)) {
      script.frames = frameNumber(rest[0] ?? "", bad);
    } else if (/^seed$/i.test(head)) {
      if (!/^([0-9a-f]{2})+$/i.test(rest[0] ?? "")) bad("a hex seed", rest[0] ?? "");
      script.seed = rest[0].toLowerCase();
    } else {
      const frame = frameNumber(head, bad);
      script.events.push(parseEvent(frame, rest, bad));
    }
  }
  return script;
}

type Bad = (expected: string, found: string) => never;

function frameNumber(word: string, bad: Bad): number {
  const n = /^\d{1,8}$/.test(word) ? Number(word) : NaN;
  if (!(n <= MAX_SCRIPT_FRAME)) bad(`a frame number 0–${MAX_SCRIPT_FRAME}`, word);
  return n;
}

function parseEvent(frame: number, words: string[], bad: Bad): InputEvent {
  const [what = "", ...rest] = words;
  const pad = /^p([1-4])$/i.exec(what);
  if (pad) {
    const buttons = rest.length === 1 && rest[0] === "-" ? 0 : bits(rest, BUTTONS, bad);
    return { frame, kind: "pad", player: Number(pad[1]) - 1, buttons };
  }
  if (/^mouse$/i.test(what)) {
    const coord = (w: string | undefined) => {
      const n = /^-?\d{1,5}$/.test(w ?? "") ? Number(w) : bad("a mouse coordinate", w ?? "");
      return n;
    };
    const x = coord(rest[0]);
    const y = coord(rest[1]);
    return { frame, kind: "mouse", x, y, buttons: bits(rest.slice(2), MOUSE_BUTTONS, bad) };
  }
  return bad(`p1–p${PLAYERS}, mouse or keys after the frame number`, what);
}

function bits(words: string[], table: Readonly<Record<string, number>>, bad: Bad): number {
  let n = 0;
  for (const w of words) {
    const bit = table[w.toLowerCase()];
    if (bit === undefined) bad(`one of ${Object.keys(table).join(", ")}`, w);
    n |= bit;
  }
  return n;
}

function names(value: number, table: Readonly<Record<string, number>>): string[] {
  return Object.entries(table).filter(([, bit]) => (value & bit) !== 0).map(([name]) => name);
}

/**
 * Writes a script in its canonical form (what `--record` stores): header, then the events
 * ordered by frame, only those before `script.frames`.
 *
 * @example
 * ```ts
 * import { formatInputScript } from "@pxos/core";
 * const text = formatInputScript({
 *   frames: 2,
 *   events: [{ frame: 0, kind: "pad", player: 0, buttons: 17 }],
 * });
 * console.log(text.split("\n")[2]); // "0 p1 x left"
 * ```
 */
export function formatInputScript(script: InputScript): string {
  const lines = ["pxin 1"];
  if (script.frames !== undefined) lines.push(`frames ${script.frames}`);
  if (script.seed !== undefined) lines.push(`seed ${script.seed}`);
  const events = [...script.events]
    .filter((e) => script.frames === undefined || e.frame < script.frames)
    .sort((a, b) => a.frame - b.frame);
  for (const e of events) {
    if (e.kind === "pad") {
      lines.push(`${e.frame} p${e.player + 1} ${names(e.buttons, BUTTONS).join(" ") || "-"}`);
    } else if (e.kind === "mouse") {
      lines.push(
        [e.frame, "mouse", e.x, e.y, ...names(e.buttons, MOUSE_BUTTONS)].join(" "),
      );
    } else lines.push(`${e.frame} keys ${e.text}`);
  }
  return lines.join("\n") + "\n";
}
