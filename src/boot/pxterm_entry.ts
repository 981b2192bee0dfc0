/**
 * Booting a cartridge whose entry is a PXTERM draw list (`.pxterm`). PXTERM is data, not
 * bytecode, so it has no engine: its lines go straight to the run's graphics sink. A mirror scene
 * answers `INFO` and `LAYERS`; `SAVE path` presents a frame into the frames folder (a cartridge
 * never names host paths); bad lines print an error and the rest still runs (DESIGN.md §5).
 *
 * @module
 */
import type { RunResult } from "../engines/engine.ts";
import { runPxterm } from "../gfx/pxterm_run.ts";
import { Scene } from "../gfx/scene.ts";
import type { GfxSink } from "../host/gfx_sink.ts";

/** Where a PXTERM entry's output goes. */
export interface PxtermEntryOptions {
  /** `INFO`/`LAYERS` output. */
  stdout: (text: string) => void;
  /** One line per bad line. */
  stderr: (text: string) => void;
  /** The frame output; without one, drawing is only checked. */
  gfx?: GfxSink;
}

/**
 * Runs PXTERM text as a cartridge entry. Exit code 0: errors in lines are reported, never fatal.
 *
 * @example
 * ```ts
 * import { runPxtermEntry } from "@pxos/core";
 * let out = "";
 * await runPxtermEntry("CANVAS 4 4\nLAYER NEW bg 0\nINFO\n", "s.pxterm", {
 *   stdout: (t) => (out += t),
 *   stderr: (t) => (out += t),
 * });
 * console.log(out); // canvas 4x4, 1 layer(s), …
 * ```
 */
export async function runPxtermEntry(
  text: string,
  entry: string,
  options: PxtermEntryOptions,
): Promise<RunResult> {
  const mirror = new Scene();
  let drawn = 0;
  await runPxterm(text, {
    scene: mirror,
    draw(op) {
      mirror.apply(op); // refuses bad operations before the real sink sees them
      options.gfx?.draw(op);
      drawn++;
    },
    present: () => options.gfx?.present(),
    save: () => options.gfx?.present(),
    print: options.stdout,
    error: options.stderr,
  }, entry);
  return { exitCode: 0, fuelUsed: drawn };
}
