/**
 * The frame loop every engine shares: when a program declares an `update` entry (each engine in
 * its own form, see `docs/PLAY.md`) and the run has a {@link FrameLoop}, the engine first runs
 * the program's main part as always, then calls `update` once per frame through
 * {@link runFrames}. Drawing between two calls is one frame; the loop presents it.
 *
 * @module
 */

/** What the host gives an engine to drive `update` (see `RunOptions.frameLoop`). */
export interface FrameLoop {
  /** How many frames to run (headless runs end after them). */
  readonly frames: number;
  /** Called before frame `frame`'s update: the host sets that frame's input. */
  beginFrame(frame: number): void;
  /** Called after frame `frame`'s update: the host presents what was drawn. */
  endFrame(frame: number): void | Promise<void>;
}

/**
 * Calls `update` once per frame of `loop`, between `beginFrame` and `endFrame`. `update`
 * resolves to `false` when the program ended (an exit), which stops the loop.
 *
 * @example
 * ```ts
 * import { runFrames } from "@pxos/core";
 * let calls = 0;
 * await runFrames(
 *   { frames: 3, beginFrame: () => {}, endFrame: () => {} },
 *   () => Promise.resolve(++calls < 2),
 * );
 * console.log(calls); // 2
 * ```
 */
export async function runFrames(
  loop: FrameLoop,
  update: (frame: number) => Promise<boolean>,
): Promise<void> {
  for (let frame = 0; frame < loop.frames; frame++) {
    loop.beginFrame(frame);
    const goOn = await update(frame);
    await loop.endFrame(frame);
    if (!goOn) return;
  }
}
