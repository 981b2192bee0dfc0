/**
 * `pxos disasm <file> [-o out]`: bytecode → text, through the engine contract's `disassemble`
 * hook. Assembling the text gives the same bytes back.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { engineFor, ENGINES } from "../../engines/registry.ts";
import { type Command, expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT, EXIT_CODES_HELP } from "../exit_codes.ts";
import { writeFileAtomic } from "../../archive/directory.ts";
import { readInputFile } from "../files.ts";

/** `pxos disasm`. */
export const disasmCommand: Command = {
  name: "disasm",
  summary: "disassemble bytecode to assembly text",
  help: `pxos disasm — disassemble bytecode to text that assembles back to the same bytes

Usage: pxos disasm <file> [-o <output>]

The engine is chosen by the file's extension (${
    ENGINES.filter((e) => e.disassemble).flatMap((e) => e.extensions).join(", ") ||
    "none registered"
  }). Bytecode is verified first; bytes the verifier refuses are reported, not printed.

Options:
  -o, --output <file>  write the text to a file (atomically) instead of standard output

Example:
  pxos disasm countdown.pxi -o countdown.pxasm

${EXIT_CODES_HELP}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("disasm", args, {
      output: { type: "string", short: "o" },
    });
    const [file] = expectPositionals("disasm", positionals, ["file"]);
    const engine = engineFor(file);
    const lower = file.toLowerCase();
    if ((engine.sourceExtensions ?? []).some((x) => lower.endsWith(x))) {
      throw new PxosError(
        "E_USAGE",
        `pxos disasm: ${JSON.stringify(file)} is source; disassemble its bytecode (pxos asm first)`,
      );
    }
    if (!engine.disassemble) {
      throw new PxosError("E_ENGINE", `engine ${engine.id} has no disassembler (${file})`);
    }
    const text = await engine.disassemble(await readInputFile(file), { path: file });
    const output = stringOption(values, "output");
    if (output === undefined) io.out(text);
    else {
      await writeFileAtomic(output, new TextEncoder().encode(text));
      if (!values.quiet) io.err(`${file} → ${output}\n`);
    }
    return EXIT.OK;
  },
};
