/**
 * The pxVM engine: `.pxvm` bytecode, `.pxvmasm` assembly source.
 *
 * Flags (`RunOptions.flags`): `strict: true` turns every imperfection (unknown opcode or
 * syscall, bad register, unknown id, out-of-memory access, division by zero, running off the end)
 * into `E_TRAP`; without it each prints `# WARNING: …` and continues with a safe default.
 *
 * @module
 */
import type { CompiledFile, Engine, SourceInfo } from "../engine.ts";
import { assemblePxvm } from "./assembler.ts";
import { loadProgram, type PxvmProgram } from "./decode.ts";
import { disassemblePxvm } from "./disassembler.ts";
import { runProgram } from "./vm.ts";

const decoder = new TextDecoder();

/** The pxVM engine's type: loading, compiling and disassembling are synchronous. */
export interface PxvmEngine extends Engine<PxvmProgram> {
  /** Loads and verifies a `.pxvm` file. */
  load(bytes: Uint8Array, source: SourceInfo): PxvmProgram;
  /** Assembles `.pxvmasm` source to `.pxvm` bytes. */
  compile(source: Uint8Array, info: SourceInfo): CompiledFile;
  /** Disassembles `.pxvm` bytes to assembly that compiles back to the same bytes. */
  disassemble(bytes: Uint8Array, info: SourceInfo): string;
}

/**
 * The pxVM engine.
 *
 * @example
 * ```ts
 * import { assemblePxvm, createHost, DEFAULT_LIMITS, pxvmEngine } from "@pxos/core";
 * const program = pxvmEngine.load(assemblePxvm("IMM8 R1, 2\nSYSCALL PRINT_ID\nHALT\n"), {
 *   path: "demo.pxvm",
 * });
 * let out = "";
 * await pxvmEngine.run(program, createHost({ stdout: (t) => (out += t) }), DEFAULT_LIMITS);
 * console.log(out); // "PXVM ready.\n"
 * ```
 */
export const pxvmEngine: PxvmEngine = {
  id: "pxvm",
  extensions: [".pxvm"],
  sourceExtensions: [".pxvmasm"],
  load(bytes, source) {
    return loadProgram(bytes, source.path);
  },
  run(program, host, limits, options) {
    return runProgram(program, host, limits, options);
  },
  compile(source, info) {
    const bytes = assemblePxvm(decoder.decode(source), info.path, {
      debug: info.debugInfo ?? true,
    });
    return { path: info.path.replace(/\.pxvmasm$/i, "") + ".pxvm", bytes };
  },
  disassemble(bytes) {
    return disassemblePxvm(bytes);
  },
};
