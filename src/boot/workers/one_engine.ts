/**
 * A sandbox Worker made for one engine (`workers/<engine>.ts`, chosen by `sandboxWorkerUrl` when
 * the cartridge's engine is known). The entry for any cartridge imports the list of every engine,
 * and Deno reads the module graph behind each literal import of a module it loads, run or not:
 * in a Worker that list measured 25–45 ms of its start, as much as loading the PixelVM engine
 * itself. These entries import their engine only; what they run is `sandbox_worker_core.ts`, the
 * same as the entry for any cartridge.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { Engine } from "../../engines/engine.ts";
import { takesProgram } from "../../engines/engine_ids.ts";
import { PxosError } from "../../errors.ts";
import { type EngineLoader, runLoadedWithEngine } from "../run_loaded.ts";
import { serveSandbox } from "../sandbox_worker_core.ts";

/** Serves sandbox runs on `engine` (or an embedder's engine the start message names). */
export function serveOneEngine(engine: Engine): void {
  const load: EngineLoader = (path, id, extra = []) => {
    const takes = takesProgram(path, id);
    const chosen = extra.find(takes) ?? (takes(engine) ? engine : undefined);
    if (chosen) return Promise.resolve(chosen);
    return Promise.reject(
      new PxosError(
        "E_ENGINE",
        `this sandbox Worker runs ${engine.id} programs; found ${JSON.stringify(path)}${
          id === undefined ? "" : ` for engine ${JSON.stringify(id)}`
        }`,
      ),
    );
  };
  serveSandbox({
    run: (loaded, options) => runLoadedWithEngine(loaded, options, load),
    prepare: () => {}, // the engine is loaded with this entry
  });
}
