/**
 * Loading a PixelVM program (decode, link, verify, pre-decode) with the assembler handed in, so
 * that what runs bytecode only (`bytecode_engine.ts`, the sandbox Worker of a compiled cartridge)
 * does not load the assembler, its lexer and value parser: in a Worker every module of the graph
 * is read and compiled at each start.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { SourceInfo } from "../engine.ts";
import { type DecodedProgram, predecode } from "./decode.ts";
import { attachNativeTier } from "./jit.ts";
import { linkModules } from "./linker.ts";
import { decodeModule, type PixelModule } from "./module.ts";
import { verifyModule } from "./verifier.ts";

/** A loaded PixelVM program: linked, verified and pre-decoded, ready to run many times. */
export type PixelProgram = DecodedProgram;

/** Options for loading a PixelVM program. */
export interface PixelLoadOptions {
  /**
   * Compile frame-based functions and loops to JavaScript (default `true`). `false` keeps the
   * program on the interpreter, which gives the same results (used to test that it does).
   */
  compiledTier?: boolean;
}

/** Turns `.pxasm` text of `file` into a module; absent where only bytecode is run. */
export type PixelAssembler = (text: string, file: string) => PixelModule;

/** PixelVM's source extension. */
export const PIXELVM_SOURCE_EXT = ".pxasm";
/** PixelVM's bytecode extension. */
export const PIXELVM_BYTECODE_EXT = ".pxi";

/** Whether `path` names a `.pxasm` source (any case). */
export function isPixelSource(path: string): boolean {
  return path.toLowerCase().endsWith(PIXELVM_SOURCE_EXT);
}

/**
 * Decodes the entry (assembling it with `assemble` when it is a source), links the modules it
 * imports from `source.files` (`<dir>/<module>.pxi`, else `<module>.pxasm`), verifies and
 * pre-decodes. Without `assemble`, a source module is `E_ENGINE`.
 */
export function loadProgramWith(
  bytes: Uint8Array,
  source: SourceInfo,
  options: PixelLoadOptions,
  assemble: PixelAssembler | undefined,
): PixelProgram {
  const file = source.path;
  const main = loadModule(bytes, file, assemble);
  let linked = main;
  if (main.imports.length > 0) {
    const modules = resolveImports(main, source, assemble);
    linked = linkModules(modules.map((m) => m.module), modules.map((m) => m.file));
    const open = linked.imports[0];
    if (open) {
      throw new PxosError(
        "E_VERIFY",
        `unresolved import ${open.module}.${open.name}: no module "${open.module}" (looked for ${
          siblingPath(file, open.module, PIXELVM_BYTECODE_EXT)
        } and ${siblingPath(file, open.module, PIXELVM_SOURCE_EXT)})`,
        { file, offset: open.sites[0] },
      );
    }
  }
  const program = predecode(linked, verifyModule(linked, file), file);
  if (options.compiledTier !== false) attachNativeTier(program);
  return program;
}

function loadModule(
  bytes: Uint8Array,
  file: string,
  assemble: PixelAssembler | undefined,
): PixelModule {
  let m: PixelModule;
  if (!isPixelSource(file)) m = decodeModule(bytes, file);
  else if (assemble) m = assemble(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ""), file);
  else {
    throw new PxosError(
      "E_ENGINE",
      `${file}: this PixelVM engine runs bytecode (${PIXELVM_BYTECODE_EXT}) only; found a ${PIXELVM_SOURCE_EXT} source (the full engine assembles it)`,
      { file },
    );
  }
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
  assemble: PixelAssembler | undefined,
): { module: PixelModule; file: string }[] {
  const out = [{ module: main, file: source.path }];
  const seen = new Set([main.name]);
  for (let i = 0; i < out.length; i++) {
    for (const imp of out[i].module.imports) {
      if (seen.has(imp.module)) continue;
      seen.add(imp.module);
      for (const ext of [PIXELVM_BYTECODE_EXT, PIXELVM_SOURCE_EXT]) {
        const path = siblingPath(source.path, imp.module, ext);
        const bytes = source.files?.get(path);
        if (bytes) {
          out.push({ module: loadModule(bytes, path, assemble), file: path });
          break;
        }
      }
    }
  }
  return out;
}
