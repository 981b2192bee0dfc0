/**
 * The PixelVM engine object: what the registry, `pxos run`, `pxos asm` and `pxos boot` use.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { Host } from "../../host/host.ts";
import type { Limits } from "../../host/limits.ts";
import type { CompiledFile, Engine, RunOptions, RunResult, SourceInfo } from "../engine.ts";
import { assembleModule, assemblePxasm } from "./assembler.ts";
import { type DecodedProgram, predecode } from "./decode.ts";
import { disassemblePxi } from "./disassembler.ts";
import { attachNativeTier } from "./jit.ts";
import { linkModules } from "./linker.ts";
import { decodeModule, type PixelModule } from "./module.ts";
import { verifyModule } from "./verifier.ts";
import { execute } from "./vm.ts";

/** A loaded PixelVM program: linked, verified and pre-decoded, ready to run many times. */
export type PixelProgram = DecodedProgram;

const SOURCE_EXT = ".pxasm";
const BYTECODE_EXT = ".pxi";

function sourceText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
}

function isSource(path: string): boolean {
  return path.toLowerCase().endsWith(SOURCE_EXT);
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
  const file = source.path;
  const main = loadModule(bytes, file);
  let linked = main;
  if (main.imports.length > 0) {
    const modules = resolveImports(main, source);
    linked = linkModules(modules.map((m) => m.module), modules.map((m) => m.file));
    const open = linked.imports[0];
    if (open) {
      throw new PxosError(
        "E_VERIFY",
        `unresolved import ${open.module}.${open.name}: no module "${open.module}" (looked for ${
          siblingPath(file, open.module, BYTECODE_EXT)
        } and ${siblingPath(file, open.module, SOURCE_EXT)})`,
        { file, offset: open.sites[0] },
      );
    }
  }
  const program = predecode(linked, verifyModule(linked, file), file);
  if (options.compiledTier !== false) attachNativeTier(program);
  return program;
}

/** Options for {@link loadPixelProgram}. */
export interface PixelLoadOptions {
  /**
   * Compile frame-based functions and loops to JavaScript (default `true`). `false` keeps the
   * program on the interpreter, which gives the same results (used to test that it does).
   */
  compiledTier?: boolean;
}

function loadModule(bytes: Uint8Array, file: string): PixelModule {
  const m = isSource(file)
    ? assembleModule(sourceText(bytes), { file })
    : decodeModule(bytes, file);
  verifyModule(m, file);
  return m;
}

function siblingPath(entry: string, module: string, ext: string): string {
  const slash = entry.lastIndexOf("/");
  return `${slash >= 0 ? entry.slice(0, slash + 1) : ""}${module}${ext}`;
}

/** The entry module, then every module it needs (transitively), each loaded once. */
function resolveImports(
  main: PixelModule,
  source: SourceInfo,
): { module: PixelModule; file: string }[] {
  const out = [{ module: main, file: source.path }];
  const seen = new Set([main.name]);
  for (let i = 0; i < out.length; i++) {
    for (const imp of out[i].module.imports) {
      if (seen.has(imp.module)) continue;
      seen.add(imp.module);
      for (const ext of [BYTECODE_EXT, SOURCE_EXT]) {
        const path = siblingPath(source.path, imp.module, ext);
        const bytes = source.files?.get(path);
        if (bytes) {
          out.push({ module: loadModule(bytes, path), file: path });
          break;
        }
      }
    }
  }
  return out;
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
  run(
    program: PixelProgram,
    host: Host,
    limits: Limits,
    options?: RunOptions,
  ): Promise<RunResult> {
    return execute(program, host, limits, options);
  },
  compile(source: Uint8Array, info: SourceInfo): CompiledFile {
    const path = isSource(info.path)
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
