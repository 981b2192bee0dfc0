/**
 * The play rows of the host-call table (ids 48–56): input for up to four players, the mouse,
 * typed text, the frame counter, and tones. Input is grant-free (a program always sees its own
 * player's buttons) but every call is audited under `--audit` like any other; it comes from the
 * host's {@link InputState}, which is what makes a recorded run replay byte for byte.
 *
 * @module
 */
import type { HostCallSpec } from "./calls.ts";
import { callArg, callRows } from "./call_rows.ts";

/** The play rows, spread into `HOST_CALLS`. */
export function playCalls(): HostCallSpec[] {
  const arg = callArg;
  const row = callRows(null);
  return [
    row(
      48,
      "input.gamepad",
      [arg("player")],
      "i32",
      "Buttons held by player 0–3 this frame (WASM-4 bits: 1 X, 2 Z, 16 left, 32 right, " +
        "64 up, 128 down).",
    ),
    row(49, "input.mouseX", [], "i32", "Mouse x in canvas pixels this frame."),
    row(50, "input.mouseY", [], "i32", "Mouse y in canvas pixels this frame."),
    row(
      51,
      "input.mouseButtons",
      [],
      "i32",
      "Mouse buttons held this frame (1 left, 2 right, 4 middle).",
    ),
    row(52, "input.keys", [], "string", "Text typed during this frame (empty when none)."),
    row(53, "frame.count", [], "i32", "Frames completed so far (0 during the first update)."),
    row(
      56,
      "sound.tone",
      [arg("frequency"), arg("duration"), arg("volume"), arg("flags")],
      "void",
      "Play a tone (the WASM-4 `tone` model: packed frequency slide, ADSR frames, volume, " +
        "channel/mode/pan flags).",
    ),
  ];
}
