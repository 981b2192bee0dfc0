/**
 * PixelVM for bytecode only: the engine of a compiled cartridge's sandbox Worker
 * (`src/boot/workers/pixelvm_bytecode.ts`). It runs `.pxi` programs exactly as `pixelvmEngine`
 * does and loads no assembler, disassembler or lexer; a `.pxasm` module is `E_ENGINE` (the boot
 * gives a source entry the full engine's Worker).
 *
 * @module
 */
import type { Host } from "../../host/host.ts";
import type { Limits } from "../../host/limits.ts";
import type { Engine, RunOptions, RunResult, SourceInfo } from "../engine.ts";
import { loadProgramWith, type PixelProgram, PIXELVM_BYTECODE_EXT } from "./program_load.ts";
import { execute } from "./vm.ts";

/** Runs a loaded PixelVM program (the same for both engine objects). */
export function runPixelProgram(
  program: PixelProgram,
  host: Host,
  limits: Limits,
  options?: RunOptions,
): Promise<RunResult> {
  return execute(program, host, limits, options);
}

/** The PixelVM engine for `.pxi` bytecode only (no source form, no compiler). */
export const pixelvmBytecodeEngine: Engine<PixelProgram> = {
  id: "pixelvm",
  extensions: [PIXELVM_BYTECODE_EXT],
  load(bytes: Uint8Array, source: SourceInfo): PixelProgram {
    return loadProgramWith(bytes, source, {}, undefined);
  },
  run: runPixelProgram,
};
