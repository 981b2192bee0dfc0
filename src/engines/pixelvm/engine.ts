/**
 * The PixelVM engine object: what the registry, `pxos run`, `pxos asm` and `pxos boot` use.
 *
 * @module
 */
import type { CompiledFile, Engine, SourceInfo } from "../engine.ts";
import { assembleModule, assemblePxasm } from "./assembler.ts";
import { runPixelProgram } from "./bytecode_engine.ts";
import { disassemblePxi } from "./disassembler.ts";
import type { PixelModule } from "./module.ts";
import {
  isPixelSource,
  loadProgramWith,
  type PixelLoadOptions,
  type PixelProgram,
  PIXELVM_BYTECODE_EXT,
  PIXELVM_SOURCE_EXT,
} from "./program_load.ts";

export type { PixelLoadOptions, PixelProgram } from "./program_load.ts";

const SOURCE_EXT = PIXELVM_SOURCE_EXT;
const BYTECODE_EXT = PIXELVM_BYTECODE_EXT;

function sourceText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
}

function assembleSource(text: string, file: string): PixelModule {
  return assembleModule(text, { file });
}

/**
 * Loads a program: assembles it when the path ends in `.pxasm`, decodes the module, links the
 * modules it imports from `source.files` (`<dir>/<module>.pxi`, else `<module>.pxasm`, next to the
 * program), verifies the result and pre-decodes it. Throws `E_VERIFY`/`E_ASSEMBLE`.
 *
 * @example
 * ```ts
 * import { assemblePxasm, loadPixelProgram } from "@pxos/core";
 * const program = loadPixelProgram(assemblePxasm("PUSH 1\nPRINT\nHALT\n"), { path: "a.pxi" });
 * console.log(program.count); // 3 instructions
 * ```
 */
export function loadPixelProgram(
  bytes: Uint8Array,
  source: SourceInfo,
  options: PixelLoadOptions = {},
): PixelProgram {
  return loadProgramWith(bytes, source, options, assembleSource);
}

/**
 * The PixelVM engine: runs `.pxi` (and `.pxasm`, assembled on load); compiles `.pxasm`.
 * It takes no `RunOptions.flags`.
 *
 * @example
 * ```ts
 * import { createHost, DEFAULT_LIMITS, pixelvmEngine } from "@pxos/core";
 * const source = new TextEncoder().encode("PUSH 42\nPRINT\nHALT\n");
 * const program = pixelvmEngine.load(source, { path: "hello.pxasm" });
 * const host = createHost({ stdout: (t) => console.log(t.trim()) });
 * const result = await pixelvmEngine.run(program, host, DEFAULT_LIMITS);
 * console.log(result.exitCode); // 0
 * ```
 */
export const pixelvmEngine: Engine<PixelProgram> = {
  id: "pixelvm",
  extensions: [BYTECODE_EXT, SOURCE_EXT],
  sourceExtensions: [SOURCE_EXT],
  load(bytes: Uint8Array, source: SourceInfo): PixelProgram {
    return loadPixelProgram(bytes, source);
  },
  run: runPixelProgram,
  compile(source: Uint8Array, info: SourceInfo): CompiledFile {
    const path = isPixelSource(info.path)
      ? info.path.slice(0, -SOURCE_EXT.length) + BYTECODE_EXT
      : `${info.path}${BYTECODE_EXT}`;
    const bytes = assemblePxasm(sourceText(source), {
      file: info.path,
      debug: info.debugInfo ?? true,
    });
    return { path, bytes };
  },
  disassemble(bytes: Uint8Array, info: SourceInfo): string {
    return disassemblePxi(bytes, info.path);
  },
};
