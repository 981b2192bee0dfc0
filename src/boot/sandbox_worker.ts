/**
 * The sandbox Worker's entry for any cartridge (see `sandbox_worker_core.ts`): every built-in
 * engine, an embedder's engine modules, and Python's interpreter. A Worker for a cartridge whose
 * engine is known starts from that engine's own entry instead (`workers/`), which loads less.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { loadEngineFor } from "../engines/lazy_registry.ts";
import { runLoadedCartridge } from "./boot.ts";
import type { PrepareMessage } from "./sandbox_protocol.ts";
import { serveSandbox } from "./sandbox_worker_core.ts";

let pythonReady: Promise<void> | undefined;

/**
 * Starts the Python interpreter once: on a {@link PrepareMessage} (before the plan came) or at
 * the start. Loaded only for a Python cartridge: Pyodide's modules cost every other boot.
 */
function preparePython(python: NonNullable<PrepareMessage["python"]>): Promise<void> {
  pythonReady ??= (async () => {
    // Python's mount makes synchronous file calls (`Host.prepareSync` loads their modules): load
    // them while the interpreter starts rather than after.
    void Promise.all([import("../host/fs_access.ts"), import("../host/fs_sync.ts")]).catch(
      () => {},
    );
    const { acquireInterpreter, setPythonRuntimeProvider } = await import(
      "../engines/python/interpreter.ts"
    );
    const { pythonRuntime } = await import("./python_runtime.ts");
    setPythonRuntimeProvider(
      pythonRuntime({ dir: python.dir, snapshot: python.snapshot, cachePath: null }),
    );
    await acquireInterpreter();
  })();
  return pythonReady;
}

serveSandbox({
  run: runLoadedCartridge,
  prepare: (entry, engine) => void loadEngineFor(entry, engine).catch(() => {}),
  preparePython,
});
