/**
 * Play input: the state the `input.*` host calls answer from, and the scripted input that drives
 * it frame by frame. A headless run, a recording and a replay all feed the same
 * {@link InputState}, so the guest cannot tell them apart.
 *
 * @module
 */

/** WASM-4's gamepad bits, shared by every engine. */
export const BUTTONS: Readonly<Record<string, number>> = Object.freeze({
  x: 1,
  z: 2,
  left: 16,
  right: 32,
  up: 64,
  down: 128,
});

/** Mouse button bits. */
export const MOUSE_BUTTONS: Readonly<Record<string, number>> = Object.freeze({
  left: 1,
  right: 2,
  middle: 4,
});

/** Players a gamepad call may name. */
export const PLAYERS = 4;

/** One change of input, taking effect at the start of `frame` (0-based). */
export type InputEvent =
  | { readonly frame: number; readonly kind: "pad"; readonly player: number; buttons: number }
  | {
    readonly frame: number;
    readonly kind: "mouse";
    readonly x: number;
    readonly y: number;
    readonly buttons: number;
  }
  | { readonly frame: number; readonly kind: "keys"; readonly text: string };

/** What the host sees of the players this frame. */
export class InputState {
  /** Frames completed so far (the frame being built is this number). */
  frame = 0;
  /** Buttons held per player. */
  readonly gamepads: Uint8Array = new Uint8Array(PLAYERS);
  /** Mouse x in canvas pixels. */
  mouseX = 0;
  /** Mouse y in canvas pixels. */
  mouseY = 0;
  /** Mouse buttons held. */
  mouseButtons = 0;
  /** Text typed during this frame. */
  keys = "";
}

/**
 * Feeds a list of events into an {@link InputState}: pads and the mouse hold their last state,
 * typed text lasts one frame.
 *
 * @example
 * ```ts
 * import { InputState, ScriptedInput } from "@pxos/core";
 * const state = new InputState();
 * const input = new ScriptedInput([{ frame: 2, kind: "pad", player: 0, buttons: 1 }], state);
 * input.advance(2);
 * console.log(state.gamepads[0]); // 1
 * ```
 */
export class ScriptedInput {
  readonly #events: readonly InputEvent[];
  readonly #state: InputState;
  #next = 0;

  /**
   * Creates the feeder.
   *
   * @param events the script's events (any order; equal frames keep their order)
   * @param state the state the host reads
   */
  constructor(events: readonly InputEvent[], state: InputState) {
    this.#events = [...events].sort((a, b) => a.frame - b.frame);
    this.#state = state;
  }

  /** Sets the state for `frame`: applies every event up to it. */
  advance(frame: number): void {
    const s = this.#state;
    s.frame = frame;
    s.keys = "";
    while (this.#next < this.#events.length && this.#events[this.#next].frame <= frame) {
      const e = this.#events[this.#next++];
      if (e.kind === "pad") s.gamepads[e.player] = e.buttons;
      else if (e.kind === "mouse") {
        s.mouseX = e.x;
        s.mouseY = e.y;
        s.mouseButtons = e.buttons;
      } else if (e.frame === frame) s.keys += e.text;
    }
  }
}
