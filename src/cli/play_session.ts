/**
 * A played run's session (see `play_options.ts`, which loads this module only when a play switch
 * is given): the scripted input read, the frame digests and tones collected, and the recording,
 * digests and WAV written at the end.
 *
 * @module
 */
import { toHex } from "../archive/hash.ts";
import { encodeWav } from "../audio/wav.ts";
import { mixTones, SAMPLE_RATE } from "../audio/mixer.ts";
import { PxosError } from "../errors.ts";
import { writeFileAtomic } from "../gfx/frames_writer.ts";
import { formatInputScript, type InputScript, parseInputScript } from "../host/input_script.ts";
import type { ToneEvent } from "../host/play_host.ts";
import { parseSeed } from "./boot_support.ts";
import { type ParsedArgs, stringOption } from "./command.ts";
import { readInputFile } from "./files.ts";
import type { PlaySession } from "./play_options.ts";

/**
 * Starts the play session for `values` (at least one play switch is given).
 *
 * @param command the command name, for messages
 * @param values the parsed options
 * @param count `--frames N`, when given as a number
 */
export async function startPlaySession(
  command: string,
  values: ParsedArgs["values"],
  count: number | undefined,
): Promise<PlaySession> {
  const given = (name: string) => stringOption(values, name);
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
