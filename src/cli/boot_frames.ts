/**
 * The frame output of `pxos boot`, opened when the guest first draws. Most cartridges never
 * draw, and the frame output's modules (the scene, the CPU renderer, the PNG and frames writers:
 * ≈ 6–7 ms to import) were loaded on the sandbox process's thread before every guest's start.
 * Draw operations wait in order until the first present (or the run's end) opens the real output
 * and replays them, so the frames written are the same ({@link OPEN_AFTER_DRAWS} held at most:
 * then the output is opened without waiting for a present). Only the plain case is deferred: a run
 * that may use WebGPU, records PXTERM, writes an APNG or plays opens its output at once, as
 * before, so its errors come before the guest runs.
 *
 * @module
 */
import type { FrameOutput, FrameOutputResult } from "../gfx/frame_output.ts";
import type { DrawOp, GfxSink } from "../host/gfx_sink.ts";
import { type ParsedArgs, stringOption } from "./command.ts";

/**
 * Draw operations held at most before the real output is opened anyway: a guest that draws much
 * and presents late (or never) meets the output's own checks (its cap on draw operations) as it
 * would have, and the held operations stay a bounded amount of memory.
 */
export const OPEN_AFTER_DRAWS = 4096;

/** The part of a frame output a boot uses. */
export interface BootFrames {
  /** Pass as the run's `gfx`. */
  readonly sink: GfxSink;
  /** The canvas size, when the output is open (otherwise the manifest's canvas applies). */
  readonly size?: { width: number; height: number };
  /** Call after the run (also after a failed one): what was written. */
  finish(): Promise<FrameOutputResult>;
}

/**
 * Whether a boot with `values` can open its frame output on first draw: the CPU renderer (or
 * `auto` without a GPU grant), no PXTERM, no APNG, no play session.
 */
export function framesCanWait(
  values: ParsedArgs["values"],
  gpuGranted: boolean,
  playing: boolean,
): boolean {
  const renderer = stringOption(values, "renderer") ?? "auto";
  const cpu = renderer === "cpu" || (renderer === "auto" && !gpuGranted);
  return cpu && !playing && values.pxterm !== true && stringOption(values, "apng") === undefined;
}

/** A frame output that `open`s the real one on the first present, or at the end if drawn to. */
export function framesOnFirstDraw(open: () => Promise<FrameOutput>): BootFrames {
  let waiting: DrawOp[] = [];
  let output: FrameOutput | undefined;
  let opening: Promise<FrameOutput> | undefined;
  const opened = () =>
    opening ??= open().then((o) => {
      for (const op of waiting) o.sink.draw(op);
      waiting = [];
      output = o;
      return o;
    });
  return {
    sink: {
      draw(op) {
        if (output) return output.sink.draw(op);
        waiting.push(op);
        // Its errors come with the next present or the end, which await the same opening.
        if (waiting.length >= OPEN_AFTER_DRAWS) opened().catch(() => {});
      },
      async present() {
        await (await opened()).sink.present();
      },
    },
    async finish() {
      // Nothing drawn: nothing to render or write, as the real output would find.
      if (!opening && waiting.length === 0) return { frameCount: 0, renderer: "cpu" };
      return await (await opened()).finish();
    },
  };
}
