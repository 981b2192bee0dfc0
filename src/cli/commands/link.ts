/**
 * `pxos link a.pxi b.pxi … -o app.pxi`: joins PixelVM modules into one program.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { linkPxi } from "../../engines/pixelvm/linker.ts";
import { type Command, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT, EXIT_CODES_HELP } from "../exit_codes.ts";
import { writeFileAtomic } from "../../archive/directory.ts";
import { readInputFile } from "../files.ts";

/** `pxos link`. */
export const linkCommand: Command = {
  name: "link",
  summary: "link PixelVM modules (.pxi) into one program",
  help: `pxos link — link PixelVM modules into one .pxi

Usage: pxos link <main.pxi> [<module.pxi>…] -o <output.pxi>

The first module is the entry (its code offset 0 runs first). Every import of a module given
here is resolved to that module's export; imports of modules not given stay imports (they are
resolved from sibling files at load time). Names clash → error.

Options:
  -o, --output <file>  where to write the linked program (required; written atomically)

Example:
  pxos link main.pxi math.pxi -o app.pxi

${EXIT_CODES_HELP}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("link", args, {
      output: { type: "string", short: "o" },
    });
    const output = stringOption(values, "output");
    if (positionals.length === 0 || output === undefined) {
      throw new PxosError(
        "E_USAGE",
        "pxos link: expected <main.pxi> [<module.pxi>…] -o <output.pxi> (see: pxos link --help)",
      );
    }
    const inputs = [];
    for (const file of positionals) inputs.push({ bytes: await readInputFile(file), file });
    const bytes = linkPxi(inputs);
    await writeFileAtomic(output, bytes);
    if (!values.quiet) {
      io.out(`linked ${positionals.length} modules → ${output} (${bytes.length} bytes)\n`);
    }
    return EXIT.OK;
  },
};
