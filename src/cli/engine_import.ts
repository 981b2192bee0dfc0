/**
 * Importing the engine for a program in `pxos run`, which runs it in its own process: only that
 * engine's module graph is read (`lazy_import.ts`), where `loadEngineFor`'s literal imports make
 * Deno read every engine's when `lazy_registry.ts` loads. The sandbox Worker keeps
 * `loadEngineFor`: it may not read pxOS's files, and a computed import needs that.
 *
 * @module
 */
import type { Engine } from "../engines/engine.ts";
import { ENGINE_IDS, takesProgram } from "../engines/engine_ids.ts";
import { importLazily } from "../lazy_import.ts";

/** Where `ENGINE_IDS`' module paths are relative to. */
const ENGINES_DIR = new URL("../engines/", import.meta.url);

/**
 * The engine for a program as `loadEngineFor` picks it (by `id` when given, else by the extension
 * of `path`), importing only that engine (and for Python its runtime, which installs the
 * interpreter provider); a program no engine takes gets `loadEngineFor`'s own `E_ENGINE` error.
 */
export async function importEngineFor(path: string, id?: string): Promise<Engine> {
  const listed = ENGINE_IDS.find(takesProgram(path, id));
  if (!listed) {
    const registry = await importLazily<typeof import("../engines/lazy_registry.ts")>(
      new URL("lazy_registry.ts", ENGINES_DIR),
    );
    return await registry.loadEngineFor(path, id); // throws E_ENGINE
  }
  const module = await importLazily<Record<string, unknown>>(
    new URL(listed.module.path, ENGINES_DIR),
  );
  // Python's interpreter provider lives in the boot layer (it knows where Pyodide and the
  // snapshot cache are); importing it installs it.
  if (listed.id === "python") {
    await importLazily(new URL("../boot/python_runtime.ts", import.meta.url));
  }
  return module[listed.module.exportName] as Engine;
}
