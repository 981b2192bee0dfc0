/**
 * The play switches shared by `pxos boot`, `pxos run` and `pxos replay`: how many frames to play
 * (`--frames N`), the scripted input (`--input FILE`), and what a played run leaves behind — the
 * canonical recording (`--record FILE`), one SHA-256 per frame (`--frame-digests FILE`) and the
 * mixed sound (`--wav FILE`). Every file is written through a temporary sibling and a rename.
 *
 * @module
 */
import { toHex } from "../archive/hash.ts";
import { encodeWav } from "../audio/wav.ts";
import { mixTones, SAMPLE_RATE } from "../audio/mixer.ts";
import type { PlayPlan } from "../boot/play.ts";
import { PxosError } from "../errors.ts";
import { writeFileAtomic } from "../gfx/frames_writer.ts";
import type { Frame } from "../gfx/render_cpu.ts";
import { formatInputScript, type InputScript, parseInputScript } from "../host/input_script.ts";
import type { ToneEvent, ToneSink } from "../host/play_host.ts";
import { parseSeed } from "./boot_support.ts";
import { type OptionSpec, type ParsedArgs, stringOption } from "./command.ts";
import { readInputFile } from "./files.ts";
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
  const inputPath = given("input");
  const script: InputScript = inputPath === undefined
    ? { events: [] }
    : parseInputScript(new TextDecoder().decode(await readInputFile(inputPath)), inputPath);
  const frames = count ?? script.frames;
  if (frames === undefined && (inputPath !== undefined || given("record") !== undefined)) {
    throw new PxosError(
      "E_USAGE",
      `pxos ${command}: expected --frames N (how many frames to play), found none` +
        (inputPath ? ` (and ${inputPath} has no "frames" line)` : ""),
    );
  }
  const plan = frames === undefined ? undefined : { frames, events: script.events };
  const tones: ToneEvent[] = [];
  const digests: string[] = [];
  const seed = given("seed");
  return {
    plan,
    sound: (tone) => void tones.push(tone),
    async onFrame(frame, index) {
      const hash = await crypto.subtle.digest("SHA-256", frame.rgba as Uint8Array<ArrayBuffer>);
      digests[index] = `${index} ${toHex(new Uint8Array(hash))}`;
    },
    async finish(io) {
      const write = async (option: string, bytes: Uint8Array) => {
        const path = given(option);
        if (path === undefined) return;
        await writeFileAtomic(path, bytes);
        io.err(`${option}: ${path}\n`);
      };
      const text = (s: string) => new TextEncoder().encode(s);
      const samples = mixTones(tones, plan?.frames ?? 0);
      if (plan) {
        await write(
          "record",
          text(formatInputScript({
            frames: plan.frames,
            seed: seed === undefined ? undefined : toHex(parseSeed(seed)),
            events: plan.events,
          })),
        );
      }
      const sound = new Uint8Array(
        await crypto.subtle.digest("SHA-256", new Uint8Array(samples.buffer as ArrayBuffer)),
      );
      await write("frame-digests", text([...digests, `sound ${toHex(sound)}`].join("\n") + "\n"));
      await write("wav", encodeWav(samples, SAMPLE_RATE));
    },
  };
}
