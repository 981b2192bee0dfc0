/**
 * `pxos asm <source> [-o out]` (also `pxos compile`): turns a source file into bytecode with the
 * engine whose `sourceExtensions` match, through the engine contract's `compile` hook.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { Engine } from "../../engines/engine.ts";
import { ENGINES } from "../../engines/registry.ts";
import "../../boot/python_runtime.ts"; // installs the Python engine's compiler (its interpreter provider)
import { type Command, expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT, EXIT_CODES_HELP } from "../exit_codes.ts";
import { writeFileAtomic } from "../../archive/directory.ts";
import { readInputFile } from "../files.ts";
import type { CliIO } from "../io.ts";

/** The engine that compiles `path`, chosen by its source extension; `E_ENGINE` when none does. */
export function engineForSource(path: string): Engine {
  const lower = path.toLowerCase();
  const engine = ENGINES.find((e) =>
    e.compile !== undefined && (e.sourceExtensions ?? []).some((x) => lower.endsWith(x))
  );
  if (!engine) {
    const known = ENGINES.flatMap((e) => (e.compile ? e.sourceExtensions ?? [] : []));
    throw new PxosError(
      "E_ENGINE",
      `no engine compiles ${JSON.stringify(path)}: expected a source extension (${
        known.join(" ") || "none registered"
      })`,
    );
  }
  return engine;
}

function help(name: string): string {
  return `pxos ${name} — compile (assemble) a source file to bytecode

Usage: pxos ${name} <source> [-o <output>]

The engine is chosen by the source's extension (${
    ENGINES.flatMap((e) => e.sourceExtensions ?? []).join(", ") || "none registered"
  }). The output is written atomically; by default it goes next to the source with the
bytecode extension (e.g. hello.pxasm → hello.pxi).${
    name === "compile" ? "\nThe same command as pxos asm." : "\nAlso available as pxos compile."
  }

Options:
  -o, --output <file>  where to write the bytecode
  -g, --debug-info     keep a source map, so errors and traces name source lines (pxos run and
                       pack --compile always do); without it a plain PixelVM/pxVM source gives the
                       bare bytes the seed's tools read
  -q, --quiet          print nothing on success

Example:
  pxos ${name} examples/countdown/main.pxasm -o countdown.pxi

${EXIT_CODES_HELP}
`;
}

async function run(name: string, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(name, args, {
    output: { type: "string", short: "o" },
    "debug-info": { type: "boolean", short: "g" },
  });
  const [source] = expectPositionals(name, positionals, ["source"]);
  const engine = engineForSource(source);
  const bytes = await readInputFile(source);
  await engine.prepare?.();
  const compiled = engine.compile!(bytes, {
    path: source,
    debugInfo: values["debug-info"] === true,
  });
  const output = stringOption(values, "output") ?? compiled.path;
  await writeFileAtomic(output, compiled.bytes);
  if (!values.quiet) {
    io.out(`${source} → ${output} (${compiled.bytes.length} bytes, ${engine.id})\n`);
  }
  return EXIT.OK;
}

/** `pxos asm`. */
export const asmCommand: Command = {
  name: "asm",
  summary: "assemble/compile a source file to bytecode (same as compile)",
  help: help("asm"),
  run: (args, io) => run("asm", args, io),
};

/** `pxos compile`: the same command as `pxos asm`. */
export const compileCommand: Command = {
  name: "compile",
  summary: "compile/assemble a source file to bytecode (same as asm)",
  help: help("compile"),
  run: (args, io) => run("compile", args, io),
};
