/**
 * `pxos replay <cart> <session.pxin>`: plays a recording back — `pxos boot` with the recording
 * as its input, its frame count and its seed — so the run repeats byte for byte: the same frames
 * (compare `--frame-digests`), the same sound, the same output.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { parseInputScript } from "../../host/input_script.ts";
import type { Command } from "../command.ts";
import { readInputFile } from "../files.ts";
import type { CliIO } from "../io.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { bootCommand } from "./boot.ts";

/** `pxos replay`. */
export const replayCommand: Command = {
  name: "replay",
  summary: "play a recorded session (.pxin) of a cartridge back, byte for byte",
  help: `Usage: pxos replay <cart.pxa> <session.pxin> [pxos boot options]

Boots the cartridge with the recording's input, frame count and seed (what pxos boot --record
wrote). Every other option is pxos boot's (--frame-digests, --wav, --frames DIR, permissions…).
Without --allow-clock and --allow-random the run sees the same virtual clock and seeded random
numbers as the recorded one, so its frames, sound and output are identical.

Example:
  pxos boot game.pxa --frames 600 --input moves.pxin --record run.pxin --frame-digests a.txt
  pxos replay game.pxa run.pxin --frame-digests b.txt && cmp a.txt b.txt

${EXIT_CODES_HELP}`,
  async run(args: string[], io: CliIO): Promise<number> {
    // Program arguments (after `--`) stay last and are never read as ours.
    const dashes = args.indexOf("--");
    const options = dashes < 0 ? args : args.slice(0, dashes);
    const programArgs = dashes < 0 ? [] : args.slice(dashes);
    const positional = options.filter((a, i) => !a.startsWith("-") && !takesValue(options[i - 1]));
    if (positional.length < 2) {
      throw new PxosError(
        "E_USAGE",
        "pxos replay: expected a cartridge and a recording (pxos replay cart.pxa session.pxin)",
      );
    }
    const session = positional[1];
    const script = parseInputScript(
      new TextDecoder().decode(await readInputFile(session)),
      session,
    );
    if (script.frames === undefined) {
      throw new PxosError(
        "E_USAGE",
        `${session}: expected a "frames N" line (a recording from pxos boot --record), found none`,
      );
    }
    return await bootCommand.run([
      ...options.filter((a) => a !== session),
      // The recording's own "frames" line sets the count, so --frames DIR stays free.
      "--input",
      session,
      ...(script.seed === undefined ? [] : ["--seed", script.seed]),
      ...programArgs,
    ], io);
  },
};

/** Boot options that take a separate value (`--audit FILE`): that value is not a positional. */
function takesValue(option: string | undefined): boolean {
  if (option === undefined || !option.startsWith("--") || option.includes("=")) return false;
  return [
    "--audit",
    "--seed",
    "--root",
    "--trust",
    "--frames",
    "--renderer",
    "--apng",
    "--frame-digests",
    "--wav",
    "--record",
    "--input",
    "--fuel",
    "--timeout",
    "--memory",
    "--output",
  ].includes(option);
}
