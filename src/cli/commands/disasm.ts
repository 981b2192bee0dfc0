/**
 * `pxos disasm <file> [-o out]`: bytecode → text, through the engine contract's `disassemble`
 * hook. Assembling the text gives the same bytes back.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { engineFor, ENGINES } from "../../engines/registry.ts";
import {
  type Command,
  expectPositionals,
  integerOption,
  parseCommandArgs,
  type ParsedArgs,
  stringOption,
} from "../command.ts";
import type { CliIO } from "../io.ts";
import { EXIT, EXIT_CODES_HELP } from "../exit_codes.ts";
import { writeFileAtomic } from "../../archive/directory.ts";
import { readInputFile } from "../files.ts";
import { listX86, parseSourceMap } from "../../pxi/x86/listing.ts";
import "../../boot/python_runtime.ts"; // installs the Python engine's interpreter (its disassembler)

/** `pxos disasm`. */
export const disasmCommand: Command = {
  name: "disasm",
  summary: "disassemble bytecode to assembly text",
  help: `pxos disasm — disassemble bytecode to text that assembles back to the same bytes

Usage: pxos disasm <file> [-o <output>]
       pxos disasm --x86 <binary> [--map <binary>.map.json]

The engine is chosen by the file's extension (${
    ENGINES.filter((e) => e.disassemble).flatMap((e) => e.extensions).join(", ") ||
    "none registered"
  }). Bytecode is verified first; bytes the verifier refuses are reported, not printed.

Options:
  -o, --output <file>  write the text to a file (atomically) instead of standard output
  --x86                list an x86 binary built by pxos pxi build, with the IR line (and the
                       higher-level source line) of every byte range, from its source map
  --map <file>         the source map (default: <binary>.map.json, used when it exists); without
                       one the whole binary is decoded
  --org <address>      load address when there is no source map (default 0)

Example:
  pxos disasm countdown.pxi -o countdown.pxasm

${EXIT_CODES_HELP}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("disasm", args, {
      output: { type: "string", short: "o" },
      x86: { type: "boolean" },
      map: { type: "string" },
      org: { type: "string" },
    });
    const [file] = expectPositionals("disasm", positionals, ["file"]);
    if (values.x86) {
      const mapPath = stringOption(values, "map") ?? `${file}.map.json`;
      const mapBytes = await Deno.readFile(mapPath).catch(() => undefined);
      if (mapBytes === undefined && stringOption(values, "map") !== undefined) {
        await readInputFile(mapPath);
      }
      const map = mapBytes
        ? parseSourceMap(new TextDecoder().decode(mapBytes), mapPath)
        : undefined;
      const origin = integerOption("disasm", values, "org");
      return await writeText(io, values, file, listX86(await readInputFile(file), map, origin));
    }
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
    return await writeText(
      io,
      values,
      file,
      await engine.disassemble(await readInputFile(file), { path: file }),
    );
  },
};

async function writeText(
  io: CliIO,
  values: ParsedArgs["values"],
  file: string,
  text: string,
): Promise<number> {
  const output = stringOption(values, "output");
  if (output === undefined) io.out(text);
  else {
    await writeFileAtomic(output, new TextEncoder().encode(text));
    if (!values.quiet) io.err(`${file} → ${output}\n`);
  }
  return EXIT.OK;
}
