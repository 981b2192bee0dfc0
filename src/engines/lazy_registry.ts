/**
 * The engines listed without loading them: each engine's id and extensions, and how to import it.
 * `boot` and `run` pick an engine here and import only that one, so a program on one engine never
 * pays for the start-up of the others (the WebAssembly toolchain, PXI's back ends, Poh's
 * compiler). `registry.ts` keeps the loaded list for callers that need every engine; a test checks
 * the two lists agree.
 *
 * @module
 */
import type { Engine } from "./engine.ts";

/** An engine's identity and extensions, and its loader. */
export interface EngineListing {
  /** The engine's id (`Engine.id`). */
  readonly id: string;
  /** Bytecode extensions (`Engine.extensions`). */
  readonly extensions: readonly string[];
  /** Source extensions (`Engine.sourceExtensions`). */
  readonly sourceExtensions: readonly string[];
  /** Imports the engine's module and returns the engine. */
  load(): Promise<Engine>;
}

/** Every registered engine, in `registry.ts`'s order. */
export const ENGINE_LISTINGS: readonly EngineListing[] = [
  {
    id: "pixelvm",
    extensions: [".pxi", ".pxasm"],
    sourceExtensions: [".pxasm"],
    load: async () => (await import("./pixelvm/engine.ts")).pixelvmEngine as Engine,
  },
  {
    id: "pxvm",
    extensions: [".pxvm"],
    sourceExtensions: [".pxvmasm"],
    load: async () => (await import("./pxvm/engine.ts")).pxvmEngine as Engine,
  },
  {
    id: "poh",
    extensions: [".poh", ".pbc"],
    sourceExtensions: [".poh"],
    load: async () => (await import("./poh/engine.ts")).pohEngine as Engine,
  },
  {
    id: "pxi",
    extensions: [],
    sourceExtensions: [".pxs", ".pxi.json"],
    load: async () => (await import("../pxi/engine.ts")).pxiEngine as Engine,
  },
  {
    id: "wasm",
    extensions: [".wasm"],
    sourceExtensions: [],
    load: async () => (await import("./wasm/engine.ts")).wasmEngine as Engine,
  },
  {
    id: "python",
    extensions: [".pyc"],
    sourceExtensions: [".py"],
    load: async () => (await import("./python/engine.ts")).pythonEngine as Engine,
  },
];

/**
 * The engine for a program, as `engineFor` picks it (by `id` when given, else by the extension of
 * `path`; `extra` engines first), importing only that engine. A program no engine takes gets
 * `engineFor`'s own `E_ENGINE` error.
 *
 * @example
 * ```ts ignore
 * import { loadEngineFor } from "@pxos/core";
 * const engine = await loadEngineFor("main.pxasm");
 * console.log(engine.id); // "pixelvm"
 * ```
 */
export async function loadEngineFor(
  path: string,
  id?: string,
  extra: readonly Engine[] = [],
): Promise<Engine> {
  const takes = takesProgram(path, id);
  const own = extra.find(takes);
  if (own) return own;
  const listed = ENGINE_LISTINGS.find(takes);
  if (listed) return await listed.load();
  return (await import("./registry.ts")).engineFor(path, id, extra); // throws E_ENGINE
}

/**
 * The id of the built-in engine that would run a program (as {@link loadEngineFor} picks it),
 * without importing any engine; `undefined` when none takes it.
 *
 * @example
 * ```ts
 * import { builtInEngineIdFor } from "@pxos/core";
 * console.log(builtInEngineIdFor("main.py")); // "python"
 * ```
 */
export function builtInEngineIdFor(path: string, id?: string): string | undefined {
  return ENGINE_LISTINGS.find(takesProgram(path, id))?.id;
}

/** Whether an engine (by its id and extensions) takes the program `path` / engine `id`. */
function takesProgram(path: string, id: string | undefined) {
  const lower = path.toLowerCase();
  return (
    e: { id: string; extensions: readonly string[]; sourceExtensions?: readonly string[] },
  ): boolean =>
    id !== undefined
      ? e.id === id
      : [...e.extensions, ...(e.sourceExtensions ?? [])].some((x) => lower.endsWith(x));
}
