/**
 * PohLang's play built-ins: input and sound through the shared `input.*`, `frame.count` and
 * `sound.tone` host calls. A program that defines `Make update … End` at top level is called
 * once per frame after its main part (see `docs/PLAY.md`).
 *
 * - `gamepad(player)`: the held buttons of player 0–3 as WASM-4 bits;
 * - `button(player, "left")`: whether one button (`x`, `z`, `left`, `right`, `up`, `down`) is held;
 * - `mouse_x()`, `mouse_y()`, `mouse_buttons()`, `keys_typed()`, `frame_count()`;
 * - `tone(frequency, duration, volume, flags)`: WASM-4's `tone`.
 *
 * @module
 */
import { BUTTONS } from "../../host/input.ts";
import type { BuiltinContext, BuiltinSpec } from "./builtins.ts";
import { hostCall } from "./host_call.ts";
import { describeType, pohError, toText, type Value } from "./values.ts";

function int(v: Value, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    return pohError("TypeError", `${what} expects a number, found ${describeType(v)}`);
  }
  return Math.trunc(v);
}

function player(v: Value, what: string): number {
  const p = int(v, what);
  if (p < 0 || p > 3) pohError("ValueError", `${what} expects a player 0–3, found ${p}`);
  return p;
}

/** A host call answering a number (or a Promise of one). */
function ask(ctx: BuiltinContext, call: string, args: number[] = []): Value | Promise<Value> {
  return hostCall(ctx, call, args);
}

const reader = (name: string, call: string, doc: string): BuiltinSpec => ({
  name,
  min: 0,
  max: 0,
  doc,
  fn: (_a, ctx) => ask(ctx, call),
});

/** The play built-ins, in table order (appended to `BUILTINS`; the order is part of `.pbc`). */
export const PLAY_BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "gamepad",
    min: 1,
    max: 1,
    doc:
      "gamepad(player): held buttons of player 0–3 (1 X, 2 Z, 16 left, 32 right, 64 up, 128 down)",
    fn: ([p], ctx) => ask(ctx, "input.gamepad", [player(p, "gamepad")]),
  },
  {
    name: "button",
    min: 2,
    max: 2,
    doc: 'button(player, "left"): whether that button (x, z, left, right, up, down) is held',
    fn: ([p, b], ctx) => {
      const bit = BUTTONS[toText(b).toLowerCase()];
      if (bit === undefined) {
        pohError(
          "ValueError",
          `button expects one of ${Object.keys(BUTTONS).join(", ")}, found ${toText(b)}`,
        );
      }
      const held = ask(ctx, "input.gamepad", [player(p, "button")]);
      return held instanceof Promise
        ? held.then((v) => ((v as number) & bit) !== 0)
        : ((held as number) & bit) !== 0;
    },
  },
  reader("mouseX", "input.mouseX", "mouse_x(): the pointer's x in canvas pixels"),
  reader("mouseY", "input.mouseY", "mouse_y(): the pointer's y in canvas pixels"),
  reader("mouseButtons", "input.mouseButtons", "mouse_buttons(): 1 left, 2 right, 4 middle"),
  reader("keysTyped", "input.keys", "keys_typed(): text typed during this frame"),
  reader("frameCount", "frame.count", "frame_count(): frames completed so far"),
  {
    name: "tone",
    min: 3,
    max: 4,
    doc: "tone(frequency, duration, volume, flags): play a tone (WASM-4 packing)",
    fn: ([f, d, v, flags], ctx) => {
      const r = ask(ctx, "sound.tone", [
        int(f, "tone"),
        int(d, "tone"),
        int(v, "tone"),
        flags === undefined ? 0 : int(flags, "tone"),
      ]);
      return r instanceof Promise ? r.then(() => null) : null;
    },
  },
];

/** Play built-ins that call the host (all of them). */
export const PLAY_HOST_NAMES: readonly string[] = PLAY_BUILTINS.map((b) => b.name);
