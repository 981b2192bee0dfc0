/**
 * The `poh` engine: PohLang source (`.poh`) and its bytecode (`.pbc`) behind the pxOS
 * {@link Engine} contract, plus helpers for embedding (compile, disassemble, run either engine).
 *
 * @module
 */
import type { CompiledFile, Engine, RunOptions, RunResult, SourceInfo } from "../engine.ts";
import type { Host } from "../../host/host.ts";
import type { Limits } from "../../host/limits.ts";
import { compileProgram } from "./compiler.ts";
import { disassembleModule } from "./disasm.ts";
import { interpretPoh } from "./interpreter.ts";
import { decodeSource, loadPohProgram } from "./loader.ts";
import type { PohModule } from "./module.ts";
import { isPbc, readPbc, writePbc } from "./pbc.ts";
import { verifyModule } from "./verifier.ts";
import { OP_BY_CODE } from "./isa.ts";
import type { LoadedFunction, LoadedPohModule } from "./vm_support.ts";
import { PxosError } from "../../errors.ts";
import { runPohVm } from "./vm.ts";
import type { Value } from "./values.ts";
import type { Program } from "./ast.ts";

/**
 * A loaded PohLang program, as returned by {@link pohEngine}'s `load`: verified bytecode, plus
 * the syntax tree when it was loaded from source. Its insides are private to the engine.
 */
export interface PohProgram {
  /** The source path it was loaded from. */
  readonly path: string;
  /** True when it was loaded from `.poh` source (so the AST interpreter can run it too). */
  readonly fromSource: boolean;
}

/** The engine's private view of a {@link PohProgram}. */
interface LoadedProgram extends PohProgram {
  readonly loaded: LoadedPohModule;
  readonly ast?: Program;
}

/*
 * Verifies a module and prepares it for the VM.
 *
 * Throws `PxosError` `E_VERIFY` when the code is unsafe.
 */
function prepareModule(module: PohModule): LoadedPohModule {
  const facts = verifyModule(module);
  const total = module.functions.reduce((n, f) => n + f.code.length, 0);
  const code = new Int32Array(total);
  let entry = 0;
  const functions = module.functions.map((proto, index) => {
    code.set(proto.code, entry);
    // Relocate jump targets (verified to be instruction starts) to whole-module offsets.
    for (let pc = 0; pc < proto.code.length;) {
      const spec = OP_BY_CODE[proto.code[pc]]!;
      spec.operands.forEach((kind, k) => {
        if (kind === "target") code[entry + pc + 1 + k] += entry;
      });
      pc += 1 + spec.operands.length;
    }
    const loaded: LoadedFunction = {
      proto,
      index,
      code: proto.code,
      entry,
      localCount: proto.localNames.length,
      maxStack: facts[index].maxStack,
      required: proto.requiredCount,
      params: proto.paramCount,
      frameSize: proto.localNames.length + facts[index].maxStack,
      depths: facts[index].depths,
      jit: undefined,
      deopts: 0,
      loops: undefined,
      generic: new Uint8Array(proto.code.length),
      recompiles: 0,
    };
    entry += proto.code.length;
    return loaded;
  });
  return {
    module,
    consts: module.consts as Value[],
    functions,
    code,
    loopHeat: new Int32Array(code.length),
  };
}

/**
 * False when the caller turned the compiling tier off (`--flag jit=off`); `"eager"` with
 * `--flag jit=eager` (loops compiled at their first turn, for tests).
 */
function jitWanted(options: RunOptions | undefined): boolean | "eager" {
  const v = options?.flags?.jit;
  if (v === "eager") return v;
  return v !== "off" && v !== false;
}

/**
 * Compiles PohLang source to `.pbc` bytes (imports come from `info.files`).
 *
 * @example
 * ```ts
 * import { compilePoh } from "@pxos/core";
 * const bytes = compilePoh(new TextEncoder().encode('Write "Hi"'), { path: "hi.poh" });
 * console.log(new TextDecoder().decode(bytes.subarray(0, 4))); // "POHC"
 * ```
 *
 * @param source the `.poh` file bytes (UTF-8)
 * @param info where the source came from, and the cartridge's files for `Import`
 * @returns the `.pbc` bytes; throws `PxosError` `E_ASSEMBLE` with `file:line:col` on bad syntax
 */
export function compilePoh(source: Uint8Array, info: SourceInfo): Uint8Array {
  const program = loadPohProgram(decodeSource(source, info.path), info.path, info.files);
  return writePbc(compileProgram(program));
}

/**
 * Renders `.pbc` bytes as a listing (constants, then each function's code with offsets, lines
 * and names). The bytes are verified first, so a listing never shows unverified code as valid.
 *
 * @param bytes the `.pbc` file
 * @param info where it came from (for error messages)
 * @returns the listing text
 */
export function disassemblePoh(bytes: Uint8Array, info: SourceInfo): string {
  const module = readPbc(bytes, info.path);
  verifyModule(module);
  return disassembleModule(module);
}

/** Options for {@link runPohSource}. */
export interface RunPohSourceOptions extends RunOptions {
  /** `"vm"` (default) compiles and runs bytecode; `"ast"` runs the reference interpreter. */
  engine?: "vm" | "ast";
  /** Cartridge files for `Import` and `read file at`. */
  files?: ReadonlyMap<string, Uint8Array>;
}

/**
 * Compiles and runs PohLang source text in one call.
 *
 * @example
 * ```ts
 * import { createHost, DEFAULT_LIMITS, runPohSource } from "@pxos/core";
 * let out = "";
 * const host = createHost({ stdout: (t) => (out += t) });
 * await runPohSource("Write 6 times 7", "calc.poh", host, DEFAULT_LIMITS);
 * console.log(out); // "42\n"
 * ```
 *
 * @param source program text
 * @param path file name for messages
 * @param host the host for I/O
 * @param limits fuel, time and memory limits
 * @param options engine choice, files, trace and profile
 * @returns the run result
 */
export async function runPohSource(
  source: string,
  path: string,
  host: Host,
  limits: Limits,
  options: RunPohSourceOptions = {},
): Promise<RunResult> {
  const program = loadPohProgram(source, path, options.files);
  if (options.engine === "ast") {
    const r = await interpretPoh(program, host, limits, { frameLoop: options.frameLoop });
    return { exitCode: 0, fuelUsed: r.fuelUsed };
  }
  const loaded = prepareModule(compileProgram(program));
  const r = await runPohVm(loaded, host, limits, { ...options, jit: jitWanted(options) });
  return { exitCode: 0, fuelUsed: r.fuelUsed, profile: options.profile ? r.profile : undefined };
}

/**
 * The PohLang engine. `load` accepts `.poh` source or `.pbc` bytecode (told apart by the
 * `POHC` magic); `run` executes the verified bytecode on the VM. `RunOptions.flags.engine =
 * "ast"` runs source on the reference AST interpreter instead; `flags.jit = "off"` keeps the VM
 * from compiling functions to JavaScript (everything is interpreted).
 *
 * @example
 * ```ts
 * import { createHost, DEFAULT_LIMITS, pohEngine } from "@pxos/core";
 * const src = new TextEncoder().encode('Set n to 3\nWrite "n is " plus n');
 * const program = pohEngine.load(src, { path: "main.poh" });
 * await pohEngine.run(program, createHost({ stdout: (t) => console.log(t.trim()) }), DEFAULT_LIMITS);
 * ```
 */
export const pohEngine: Engine<PohProgram> = {
  id: "poh",
  extensions: [".poh", ".pbc"],
  sourceExtensions: [".poh"],
  load(bytes: Uint8Array, source: SourceInfo): PohProgram {
    const path = source.path;
    if (isPbc(bytes)) {
      const program: LoadedProgram = {
        path,
        fromSource: false,
        loaded: prepareModule(readPbc(bytes, path)),
      };
      return program;
    }
    const ast = loadPohProgram(decodeSource(bytes, path), path, source.files);
    const program: LoadedProgram = {
      path,
      fromSource: true,
      loaded: prepareModule(compileProgram(ast)),
      ast,
    };
    return program;
  },
  async run(
    loadedProgram: PohProgram,
    host: Host,
    limits: Limits,
    options?: RunOptions,
  ): Promise<RunResult> {
    const program = loadedProgram as LoadedProgram;
    if (!program || !("loaded" in program)) {
      throw new PxosError("E_USAGE", "expected a program from pohEngine.load");
    }
    if (options?.flags?.engine === "ast") {
      if (!program.ast) {
        throw new PxosError("E_USAGE", "the AST interpreter needs .poh source, found bytecode");
      }
      const r = await interpretPoh(program.ast, host, limits, { frameLoop: options.frameLoop });
      return { exitCode: 0, fuelUsed: r.fuelUsed };
    }
    const r = await runPohVm(program.loaded, host, limits, {
      trace: options?.trace,
      profile: options?.profile,
      jit: jitWanted(options),
      frameLoop: options?.frameLoop,
    });
    return { exitCode: 0, fuelUsed: r.fuelUsed, profile: options?.profile ? r.profile : undefined };
  },
  compile(source: Uint8Array, info: SourceInfo): CompiledFile {
    return { path: info.path.replace(/\.poh$/i, "") + ".pbc", bytes: compilePoh(source, info) };
  },
  disassemble(bytes: Uint8Array, info: SourceInfo): string {
    return disassemblePoh(bytes, info);
  },
};
