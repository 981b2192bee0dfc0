/**
 * The host side of the play rows (`input.*`, `frame.count`, `sound.tone`): answers from the
 * run's {@link InputState} and hands tones to the run's {@link ToneSink}. No grant decides them,
 * but each call is audited when an audit sink is set (the "recorded like any call").
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { AuditSink } from "./audit.ts";
import type { HostValue } from "./calls.ts";
import { type InputState, PLAYERS } from "./input.ts";

/** One `sound.tone` call, stamped with the frame it was made in. */
export interface ToneEvent {
  /** Frame number (see {@link InputState.frame}). */
  readonly frame: number;
  /** WASM-4 packed frequency: start Hz in the low 16 bits, end Hz in the high 16 bits. */
  readonly frequency: number;
  /** WASM-4 packed duration in frames: sustain, release, decay, attack (low to high byte). */
  readonly duration: number;
  /** WASM-4 packed volume: sustain 0–100 in the low byte, attack peak in the next byte. */
  readonly volume: number;
  /** WASM-4 flags: channel (bits 0–1), pulse duty (2–3), pan (4–5). */
  readonly flags: number;
}

/** Receives tones as they are played. */
export type ToneSink = (tone: ToneEvent) => void;

/** What the play calls need from the host. */
export interface PlayContext {
  /** The input this run sees (a fresh, idle state when the run has none). */
  input: InputState;
  /** Where tones go; discarded without one. */
  sound?: ToneSink;
  /** The audit sink, when `--audit` is on. */
  audit?: AuditSink;
  /** Cartridge name for audit entries. */
  cartridge: string;
}

/** Whether `name` is one of the play rows. */
export function isPlayCall(name: string): boolean {
  return name.startsWith("input.") || name === "frame.count" || name === "sound.tone";
}

/** Performs one play call. */
export function invokePlay(
  name: string,
  args: readonly HostValue[],
  ctx: PlayContext,
): HostValue {
  const state = ctx.input;
  ctx.audit?.({
    time: new Date().toISOString(),
    cartridge: ctx.cartridge,
    call: name,
    target: name === "input.gamepad" ? `player ${args[0]}` : "",
    allowed: true,
    reason: "play input and sound need no grant",
  });
  const int = (i: number): number => {
    const v = args[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new PxosError(
        "E_TRAP",
        `${name}: expected a number for argument ${i + 1}, found ${typeof v}`,
      );
    }
    return Math.trunc(v) | 0;
  };
  switch (name) {
    case "input.gamepad": {
      const player = int(0);
      if (player < 0 || player >= PLAYERS) {
        throw new PxosError(
          "E_TRAP",
          `input.gamepad: expected a player 0–${PLAYERS - 1}, found ${player}`,
        );
      }
      return state.gamepads[player];
    }
    case "input.mouseX":
      return state.mouseX;
    case "input.mouseY":
      return state.mouseY;
    case "input.mouseButtons":
      return state.mouseButtons;
    case "input.keys":
      return state.keys;
    case "frame.count":
      return state.frame;
    case "sound.tone":
      ctx.sound?.({
        frame: state.frame,
        frequency: int(0) >>> 0,
        duration: int(1) >>> 0,
        volume: int(2) >>> 0,
        flags: int(3) >>> 0,
      });
      return null;
    default:
      throw new PxosError("E_TRAP", `host call ${name} is not available in this host`);
  }
}
