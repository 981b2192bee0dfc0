/**
 * The play switches shared by `pxos boot`, `pxos run` and `pxos replay`: how many frames to play
 * (`--frames N`), the scripted input (`--input FILE`), and what a played run leaves behind — the
 * canonical recording (`--record FILE`), one SHA-256 per frame (`--frame-digests FILE`) and the
 * mixed sound (`--wav FILE`). Every file is written through a temporary sibling and a rename.
 * The session itself (`play_session.ts`: the input script, the mixer, the WAV writer) is loaded
 * only when one of these switches is given: most runs play no frames, and `pxos boot`'s sandbox
 * process parses these options before it starts its Worker.
 *
 * @module
 */
import type { PlayPlan } from "../boot/play.ts";
import type { Frame } from "../gfx/render_cpu.ts";
import type { ToneSink } from "../host/play_host.ts";
import { importLazily } from "../lazy_import.ts";
import { type OptionSpec, type ParsedArgs, stringOption } from "./command.ts";
import type { CliIO } from "./io.ts";

/** Option specs to spread into a command's `parseCommandArgs` options. */
export const PLAY_OPTIONS: OptionSpec = {
  input: { type: "string" },
  record: { type: "string" },
  "frame-digests": { type: "string" },
  wav: { type: "string" },
};

/** The play options that name files this run writes. */
export const PLAY_OUTPUTS: readonly string[] = ["record", "frame-digests", "wav"];

/** The `--help` lines for {@link PLAY_OPTIONS}. */
export const PLAY_HELP = `Play (programs with an update entry; see docs/PLAY.md):
  --frames N          call update N times, one frame each (60 per second of play)
  --input FILE        scripted input (.pxin: "frame p1 left x", "frame mouse x y left", …)
  --record FILE       write the run's input as a .pxin recording (pxos replay plays it back)
  --frame-digests FILE
                      one line per frame: its number and the SHA-256 of its RGBA pixels, then
                      "sound" and the SHA-256 of the mixed samples
  --wav FILE          write the tones the run played as a 44.1 kHz mono WAV`;

/** A played run's inputs and outputs. */
export interface PlaySession {
  /** The frame loop's plan, when the run plays frames (`--frames N` or a script's `frames`). */
  plan?: PlayPlan;
  /** Collects tones. */
  sound: ToneSink;
  /** Digests each rendered frame (pass as the frame output's `onRendered`). */
  onFrame(frame: Frame, index: number): Promise<void>;
  /** Writes the recording, digests and WAV that were asked for. */
  finish(io: CliIO): Promise<void>;
}

/**
 * Opens the play session the switches ask for; `undefined` when none of them was given.
 *
 * @param command the command name, for messages
 * @param values the parsed options
 */
export async function openPlay(
  command: string,
  values: ParsedArgs["values"],
): Promise<PlaySession | undefined> {
  const given = (name: string) => stringOption(values, name);
  const framesText = given("frames");
  const count = framesText !== undefined && /^\d+$/.test(framesText)
    ? Number(framesText)
    : undefined;
  if (count === undefined && PLAY_OUTPUTS.concat("input").every((o) => given(o) === undefined)) {
    return undefined;
  }
  const session = await importLazily<typeof import("./play_session.ts")>(
    new URL("./play_session.ts", import.meta.url),
  );
  return await session.startPlaySession(command, values, count);
}
