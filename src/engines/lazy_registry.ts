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
import { ENGINE_IDS, type EngineId, takesProgram } from "./engine_ids.ts";

export { builtInEngineIdFor, type EngineId } from "./engine_ids.ts";

/** An engine's identity and extensions (see `engine_ids.ts`), and its loader. */
export interface EngineListing extends EngineId {
  /** Imports the engine's module and returns the engine. */
  load(): Promise<Engine>;
}

/** How each engine is imported, by id. */
const LOADERS: Readonly<Record<string, () => Promise<Engine>>> = {
  pixelvm: async () => (await import("./pixelvm/engine.ts")).pixelvmEngine as Engine,
  pxvm: async () => (await import("./pxvm/engine.ts")).pxvmEngine as Engine,
  poh: async () => (await import("./poh/engine.ts")).pohEngine as Engine,
  pxi: async () => (await import("../pxi/engine.ts")).pxiEngine as Engine,
  wasm: async () => (await import("./wasm/engine.ts")).wasmEngine as Engine,
  python: async () => (await import("./python/engine.ts")).pythonEngine as Engine,
};

/** Every registered engine, in `registry.ts`'s order. */
export const ENGINE_LISTINGS: readonly EngineListing[] = ENGINE_IDS.map((e) => ({
  ...e,
  load: LOADERS[e.id],
}));

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
