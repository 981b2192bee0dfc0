/**
 * The frame output of `pxos boot`, opened when the guest first draws. Most cartridges never
 * draw, and the frame output's modules (the scene, the CPU renderer, the PNG and frames writers:
 * ≈ 6–7 ms to import) were loaded on the sandbox process's thread before every guest's start.
 * Draw operations wait in order until the first present (or the run's end) opens the real output
 * and replays them, so the frames written are the same. Only the plain case is deferred: a run
 * that may use WebGPU, records PXTERM, writes an APNG or plays opens its output at once, as
 * before, so its errors come before the guest runs.
 *
 * @module
 */
import type { FrameOutput, FrameOutputResult } from "../gfx/frame_output.ts";
import type { DrawOp, GfxSink } from "../host/gfx_sink.ts";
import { type ParsedArgs, stringOption } from "./command.ts";

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
        if (output) output.sink.draw(op);
        else waiting.push(op);
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
