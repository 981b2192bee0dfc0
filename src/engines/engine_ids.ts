/**
 * Each built-in engine's id, extensions and module, with no import of it: what the deciding side
 * of `pxos boot` and the sandbox process need to tell which engine a cartridge runs on, and what
 * `pxos run` imports an engine by (`src/cli/engine_import.ts`). They must not import
 * `lazy_registry.ts`: Deno reads and parses the whole module graph behind every literal
 * `import("…")` of a module it loads, even one never called, so its engine loaders would cost
 * them the start-up of every engine (about 190 modules). The sandbox Worker, which may not read
 * pxOS's files, needs exactly those literal imports (`lazy_registry.ts`); a test checks that both
 * name the same modules.
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
  /** The engine's module, relative to this folder, and the name it exports the engine as. */
  readonly module: { readonly path: string; readonly exportName: string };
}

/** Every registered engine, in `registry.ts`'s order. */
export const ENGINE_IDS: readonly EngineId[] = [
  {
    id: "pixelvm",
    extensions: [".pxi", ".pxasm"],
    sourceExtensions: [".pxasm"],
    module: { path: "./pixelvm/engine.ts", exportName: "pixelvmEngine" },
  },
  {
    id: "pxvm",
    extensions: [".pxvm"],
    sourceExtensions: [".pxvmasm"],
    module: { path: "./pxvm/engine.ts", exportName: "pxvmEngine" },
  },
  {
    id: "poh",
    extensions: [".poh", ".pbc"],
    sourceExtensions: [".poh"],
    module: { path: "./poh/engine.ts", exportName: "pohEngine" },
  },
  {
    id: "pxi",
    extensions: [],
    sourceExtensions: [".pxs", ".pxi.json"],
    module: { path: "../pxi/engine.ts", exportName: "pxiEngine" },
  },
  {
    id: "wasm",
    extensions: [".wasm"],
    sourceExtensions: [],
    module: { path: "./wasm/engine.ts", exportName: "wasmEngine" },
  },
  {
    id: "python",
    extensions: [".pyc"],
    sourceExtensions: [".py"],
    module: { path: "./python/engine.ts", exportName: "pythonEngine" },
  },
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
