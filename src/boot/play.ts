/**
 * Setting up a played run: the input state the host answers from, and the frame loop that
 * advances it and presents each frame. Plain data in ({@link PlayPlan}), so it crosses into the
 * sandbox Worker unchanged.
 *
 * @module
 */
import type { FrameLoop } from "../engines/frame_loop.ts";
import type { GfxSink } from "../host/gfx_sink.ts";
import { type InputEvent, InputState, ScriptedInput } from "../host/input.ts";

/** How to play a run: frames and their input (a parsed `--input` script or recording). */
export interface PlayPlan {
  /** Frames to run. */
  frames: number;
  /** The input events, by frame. */
  events: InputEvent[];
}

/** The live pieces of a played run. */
export interface PlaySetup {
  /** Pass as `HostOptions.input`. */
  input: InputState;
  /** Pass as `RunOptions.frameLoop`. */
  loop: FrameLoop;
}

/**
 * Builds the input state and frame loop for `plan` (`undefined` when there is no plan): each
 * frame applies its input first and presents to `gfx` after the update.
 *
 * @example
 * ```ts
 * import { playSetup } from "@pxos/core";
 * const setup = playSetup({ frames: 2, events: [{ frame: 1, kind: "keys", text: "a" }] });
 * setup?.loop.beginFrame(1);
 * console.log(setup?.input.keys); // "a"
 * ```
 */
export function playSetup(plan: PlayPlan | undefined, gfx?: GfxSink): PlaySetup | undefined {
  if (!plan) return undefined;
  const input = new InputState();
  const script = new ScriptedInput(plan.events, input);
  return {
    input,
    loop: {
      frames: plan.frames,
      beginFrame: (frame) => script.advance(frame),
      endFrame: () => gfx?.present(),
    },
  };
}
