/**
 * Each built-in engine's id and extensions, with no loader: what the deciding side of `pxos boot`
 * and the sandbox process need to tell which engine a cartridge runs on. They must not import
 * `lazy_registry.ts`: Deno reads and parses the whole module graph behind every literal
 * `import("…")` of a module it loads, even one never called, so its engine loaders would cost
 * them the start-up of every engine (about 190 modules).
 *
 * @module
 */

/** An engine's identity and extensions. */
export interface EngineId {
  /** The engine's id (`Engine.id`). */
  readonly id: string;
  /** Bytecode extensions (`Engine.extensions`). */
  readonly extensions: readonly string[];
  /** Source extensions (`Engine.sourceExtensions`). */
  readonly sourceExtensions: readonly string[];
}

/** Every registered engine, in `registry.ts`'s order. */
export const ENGINE_IDS: readonly EngineId[] = [
  { id: "pixelvm", extensions: [".pxi", ".pxasm"], sourceExtensions: [".pxasm"] },
  { id: "pxvm", extensions: [".pxvm"], sourceExtensions: [".pxvmasm"] },
  { id: "poh", extensions: [".poh", ".pbc"], sourceExtensions: [".poh"] },
  { id: "pxi", extensions: [], sourceExtensions: [".pxs", ".pxi.json"] },
  { id: "wasm", extensions: [".wasm"], sourceExtensions: [] },
  { id: "python", extensions: [".pyc"], sourceExtensions: [".py"] },
];

/**
 * The id of the built-in engine that would run a program (as `loadEngineFor` picks it), without
 * importing any engine; `undefined` when none takes it.
 *
 * @example
 * ```ts
 * import { builtInEngineIdFor } from "@pxos/core";
 * console.log(builtInEngineIdFor("main.py")); // "python"
 * ```
 */
export function builtInEngineIdFor(path: string, id?: string): string | undefined {
  return ENGINE_IDS.find(takesProgram(path, id))?.id;
}

/** Whether an engine (by its id and extensions) takes the program `path` / engine `id`. */
export function takesProgram(path: string, id: string | undefined) {
  const lower = path.toLowerCase();
  return (
    e: { id: string; extensions: readonly string[]; sourceExtensions?: readonly string[] },
  ): boolean =>
    id !== undefined
      ? e.id === id
      : [...e.extensions, ...(e.sourceExtensions ?? [])].some((x) => lower.endsWith(x));
}
