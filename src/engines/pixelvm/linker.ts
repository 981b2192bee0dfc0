/**
 * The linker: joins PixelVM modules into one. Code is concatenated (the first module first, so
 * its offset 0 stays the entry), every jump/call target is moved by its module's base, data is
 * concatenated at 4-byte-aligned bases with the `PUSH` relocations moved to match, and each import
 * site is patched with the exporting module's address. Imports of modules not given stay imports,
 * so linking can be done in steps.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { opByCode } from "./isa.ts";
import { decodeModule, encodeModule, type PixelImport, type PixelModule } from "./module.ts";
import { shiftSourceMap, type SourceMap } from "../source_map.ts";
import { readI32, verifyModule } from "./verifier.ts";

/** A module to link and the file it came from (for messages). */
export interface LinkInput {
  /** The module's `.pxi` bytes. */
  bytes: Uint8Array;
  /** Where they came from. */
  file?: string;
}

/**
 * Links `.pxi` modules into one `.pxi` (the first input is the program's entry module).
 *
 * @example
 * ```ts
 * import { assemblePxasm, linkPxi } from "@pxos/core";
 * const main = assemblePxasm(".import lib.hello\nCALL lib.hello\nHALT\n", { file: "main.pxasm" });
 * const lib = assemblePxasm(".export hello\nhello:\nPRINT_STR \"hi\"\nRET\n", { file: "lib.pxasm" });
 * console.log(linkPxi([{ bytes: main }, { bytes: lib }]).length > 0);
 * ```
 */
export function linkPxi(inputs: readonly LinkInput[]): Uint8Array {
  const modules = inputs.map((i) => decodeModule(i.bytes, i.file));
  return encodeModule(linkModules(modules, inputs.map((i) => i.file)));
}

function writeI32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

const align4 = (n: number) => (n + 3) & ~3;

/** Links decoded modules (see {@link linkPxi}); `files` name them in error messages. */
export function linkModules(
  modules: readonly PixelModule[],
  files: readonly (string | undefined)[] = [],
): PixelModule {
  if (modules.length === 0) throw new PxosError("E_USAGE", "link: expected at least one module");
  const fail = (i: number, message: string): never => {
    throw new PxosError("E_VERIFY", `link: ${message}`, { file: files[i] });
  };
  const layouts = modules.map((m, i) => verifyModule(m, files[i]));
  const byName = new Map<string, number>();
  modules.forEach((m, i) => {
    if (m.headerless && i > 0) fail(i, "only the first module may be a plain (headerless) program");
    if (byName.has(m.name)) fail(i, `two modules are named "${m.name}"`);
    byName.set(m.name, i);
  });
  // The linked program keeps the one convention its modules declare (if any declares one); an
  // undeclared module adopts it, so a library of plain helpers links into either kind.
  const declared = new Set(modules.map((m) => m.callStack).filter((c) => c !== undefined));
  if (declared.size > 1) {
    const single = modules.findIndex((m) => m.callStack === "single");
    fail(
      single,
      `module "${
        modules[single].name || "main"
      }" declares the seed's single stack, another module the separate call stack`,
    );
  }
  const [callStack] = declared;
  const codeBase: number[] = [];
  const dataBase: number[] = [];
  let codeLength = 0, dataLength = 0;
  for (const m of modules) {
    codeBase.push(codeLength);
    codeLength += m.code.length;
    dataLength = align4(dataLength);
    dataBase.push(dataLength);
    dataLength += m.data.length;
  }
  const code = new Uint8Array(codeLength);
  const data = new Uint8Array(dataLength);
  const relocs: number[] = [];
  const unresolved = new Map<string, PixelImport>();
  let memoryBytes = align4(dataLength);

  modules.forEach((m, i) => {
    const base = codeBase[i];
    code.set(m.code, base);
    data.set(m.data, dataBase[i]);
    memoryBytes = Math.max(memoryBytes, m.memoryBytes);
    const importSites = new Set(m.imports.flatMap((imp) => imp.sites));
    for (const pc of layouts[i].starts) {
      if (opByCode(m.code[pc])!.operands[0] !== "addr" || importSites.has(pc)) continue;
      writeI32(code, base + pc + 1, readI32(m.code, pc + 1) + base);
    }
    for (const site of m.relocs) {
      writeI32(code, base + site + 1, readI32(m.code, site + 1) + dataBase[i]);
      relocs.push(base + site);
    }
    for (const imp of m.imports) {
      const target = byName.get(imp.module);
      if (target === undefined) {
        const key = `${imp.module}.${imp.name}`;
        const entry = unresolved.get(key) ?? { module: imp.module, name: imp.name, sites: [] };
        entry.sites.push(...imp.sites.map((s) => s + base));
        unresolved.set(key, entry);
        continue;
      }
      const exp = modules[target].exports.find((e) => e.name === imp.name);
      if (!exp) {
        return fail(
          i,
          `module "${imp.module}" has no export "${imp.name}" (imported by "${m.name || "main"}")`,
        );
      }
      for (const s of imp.sites) writeI32(code, base + s + 1, exp.offset + codeBase[target]);
    }
  });
  for (const imp of unresolved.values()) imp.sites.sort((a, b) => a - b);
  const first = modules[0];
  const linked: PixelModule = {
    headerless: false,
    name: first.name || "main",
    memoryBytes,
    code,
    data,
    exports: first.exports.map((e) => ({ ...e })),
    imports: [...unresolved.values()],
    relocs,
  };
  if (callStack) linked.callStack = callStack;
  const debug = linkedSourceMap(modules, codeBase);
  if (debug) linked.debug = debug;
  verifyModule(linked, files[0]);
  return linked;
}

/** The modules' source maps, moved to their code bases, as one (none when no module has one). */
function linkedSourceMap(
  modules: readonly PixelModule[],
  codeBase: readonly number[],
): SourceMap | undefined {
  if (!modules.some((m) => m.debug)) return undefined;
  const out: SourceMap = { files: [], lines: [], labels: [] };
  modules.forEach((m, i) => {
    if (!m.debug) return;
    const moved = shiftSourceMap(m.debug, codeBase[i], out.files.length);
    out.files.push(...moved.files);
    out.lines.push(...moved.lines);
    out.labels.push(...moved.labels);
  });
  return out;
}
