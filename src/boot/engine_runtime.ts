/**
 * The engine for a program together with whatever runtime it needs from the boot layer: the
 * Python engine's interpreter provider lives here (`python_runtime.ts`, layer 5) because it knows
 * where Pyodide and the snapshot cache are, which an engine may not. `boot`, `run` and a
 * project's run all load engines through this one function, so none of them can forget it.
 *
 * @module
 */
import type { Engine } from "../engines/engine.ts";
import { loadEngineFor } from "../engines/lazy_registry.ts";

/**
 * {@link loadEngineFor}, and for Python the interpreter provider installed. The provider's module
 * graph (Pyodide's location, the snapshot cache) is imported only when Python runs.
 *
 * @example
 * ```ts ignore
 * import { loadEngineWithRuntime } from "@pxos/core";
 * const engine = await loadEngineWithRuntime("main.py");
 * console.log(engine.id); // "python"
 * ```
 */
export async function loadEngineWithRuntime(
  path: string,
  id?: string,
  extra: readonly Engine[] = [],
): Promise<Engine> {
  const engine = await loadEngineFor(path, id, extra);
  if (engine.id === "python") await import("./python_runtime.ts");
  return engine;
}
