/**
 * Loading a `.wasm` file: validate with the runtime's own `WebAssembly.validate`, read the
 * outline, check every import against what the engine provides, rewrite for the limits
 * (`rewrite.ts`, `instrument.ts`) and compile once. Everything refused is `PxosError` `E_VERIFY`
 * naming the import or section.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { SourceInfo } from "../engine.ts";
import { instrument, type InstrumentOptions } from "./instrument.ts";
import { type MemoryLimits, readWasmOutline, type WasmOutline } from "./module.ts";
import { pxosImports } from "./pxos_abi.ts";
import { importEdits, LIMITED_MEMORY, rewriteSections } from "./rewrite.ts";
import { wasiFunctionNames } from "./wasi.ts";
import { isWasm4Module } from "./wasm4_abi.ts";

/** A loaded, checked and compiled module. */
export interface WasmProgram {
  /** Where it came from. */
  path: string;
  /** The module as given (for `inspect`/`disasm`). */
  bytes: Uint8Array;
  /** Its outline. */
  outline: WasmOutline;
  /** Compiled variants by instrumentation (`charge`/`profile`), filled on demand. */
  modules: Map<string, WebAssembly.Module>;
  /** The memory the run supplies (the module's own, made an import), if it has one. */
  memory?: { module: string; name: string; limits: MemoryLimits };
  /** The cartridge's files (pre-opened read-only at `/cart`). */
  files: ReadonlyMap<string, Uint8Array>;
  /** Names of the defined functions (from the name section, else `func[i]`), for profiles. */
  functionNames: string[];
  /** `wasi`: a WASI command (`_start`); `wasm4`: a WASM-4 cartridge (see `wasm4_abi.ts`). */
  profile: "wasi" | "wasm4";
}

/** Module name of WASI preview 1 imports. */
export const WASI_MODULE = "wasi_snapshot_preview1";
/** Module name of the pxOS host-call imports. */
export const PXOS_MODULE = "pxos";

/**
 * Validates, checks, rewrites and compiles `bytes`.
 *
 * @example
 * ```ts ignore
 * import { loadWasm } from "@pxos/core";
 * declare const bytes: Uint8Array; // a .wasm file
 * const program = loadWasm(bytes, { path: "hello.wasm" });
 * ```
 */
export function loadWasm(bytes: Uint8Array, source: SourceInfo): WasmProgram {
  const path = source.path;
  if (!WebAssembly.validate(bytes as BufferSource)) {
    let why = "it does not validate";
    try {
      new WebAssembly.Module(bytes as BufferSource);
    } catch (e) {
      why = (e as Error).message.replace(/^WebAssembly\.Module\(\): /, "");
    }
    // The outline reader names the section when the structure itself is broken.
    readWasmOutline(bytes, path);
    throw new PxosError("E_VERIFY", `${path}: expected a valid WebAssembly module: ${why}`, {
      file: path,
    });
  }
  const outline = readWasmOutline(bytes, path);
  const wasm4 = isWasm4Module(outline);
  const memory = wasm4 ? wasm4Memory(outline, path) : checkImports(outline, path);
  if (!wasm4 && !outline.exports.some((e) => e.name === "_start" && e.kind === "func")) {
    throw new PxosError(
      "E_VERIFY",
      `${path}: expected an exported function _start (a WASI command module) or a WASM-4 ` +
        `cartridge's update/start; found exports ${
          outline.exports.map((e) => e.name).join(", ") || "none"
        }`,
      { file: path },
    );
  }
  const program: WasmProgram = {
    path,
    bytes,
    outline,
    modules: new Map(),
    memory,
    files: source.files ?? new Map(),
    functionNames: [],
    profile: wasm4 ? "wasm4" : "wasi",
  };
  // The usual variant is compiled now, so a module the rewriter cannot handle fails at load.
  moduleFor(program, { charge: true, profile: false });
  return program;
}

/**
 * The compiled variant of `program` for `options` (rewritten: memory import, fuel, profile
 * hooks), compiled once and kept.
 */
export function moduleFor(program: WasmProgram, options: InstrumentOptions): WebAssembly.Module {
  const key = `${options.charge}/${options.profile}`;
  const known = program.modules.get(key);
  if (known) return known;
  const { bytes, outline, path } = program;
  const plan = instrument(bytes, outline, path, options);
  const edits = importEdits(outline, plan.extraImports);
  for (const [id, edit] of plan.edits) edits.set(id, edit);
  const rewritten = rewriteSections(bytes, outline, edits);
  try {
    const module = new WebAssembly.Module(rewritten as BufferSource);
    program.modules.set(key, module);
    if (options.profile) program.functionNames = plan.functionNames;
    return module;
  } catch (e) {
    throw new PxosError(
      "E_VERIFY",
      `${path}: the module did not compile after instrumentation: ${(e as Error).message}`,
      { file: path },
    );
  }
}

/** A WASM-4 cartridge's memory: at most one page, imported as `env.memory` or its own. */
function wasm4Memory(outline: WasmOutline, path: string): WasmProgram["memory"] {
  const imported = outline.imports.find((i) => i.kind === "memory");
  const memory = imported
    ? { module: imported.module, name: imported.name, limits: imported.memory! }
    : outline.memory
    ? { ...LIMITED_MEMORY, limits: outline.memory }
    : undefined;
  if (memory && memory.limits.min > 1) {
    throw new PxosError(
      "E_VERIFY",
      `${path}: expected a WASM-4 cartridge's memory of one 64 KiB page, found a minimum of ${memory.limits.min} pages`,
      { file: path },
    );
  }
  return memory;
}

/** Refuses imports the engine does not provide; returns the memory the run must supply. */
function checkImports(outline: WasmOutline, path: string): WasmProgram["memory"] {
  const wasi = new Set(wasiFunctionNames());
  const pxos = new Set(pxosImports().map((i) => i.name));
  let memory: WasmProgram["memory"];
  const refuse = (why: string): never => {
    throw new PxosError("E_VERIFY", `${path}: ${why}`, { file: path });
  };
  for (const imp of outline.imports) {
    const label = `import ${imp.module}.${imp.name} (${imp.kind})`;
    if (imp.kind === "memory") {
      if (memory) refuse(`${label}: expected at most one memory`);
      memory = { module: imp.module, name: imp.name, limits: imp.memory! };
      continue;
    }
    const known = imp.kind === "func" &&
      ((imp.module === WASI_MODULE && wasi.has(imp.name)) ||
        (imp.module === PXOS_MODULE && pxos.has(imp.name)));
    if (!known) {
      refuse(
        `${label} is not provided by pxOS: expected a function of ${WASI_MODULE} or ${PXOS_MODULE} (see docs/engines/wasm.md)`,
      );
    }
  }
  if (outline.memory) {
    if (memory) refuse("memory section: expected at most one memory (one is also imported)");
    memory = { ...LIMITED_MEMORY, limits: outline.memory };
  }
  if (memory?.limits.shared) refuse("memory: shared memory (threads) is not supported");
  return memory;
}
