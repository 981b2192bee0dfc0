/**
 * Starting the sandbox Worker, and starting it early. A Worker's start-up (its module graph, its
 * engine, and for a Python cartridge the interpreter, ≈ 0.5 s) does not depend on the plan, only
 * on the Deno permissions it is created with. So the sandbox process starts one as soon as it
 * starts, while `pxos boot` is still deciding — with the permissions the plan will most likely
 * give, an empty grant's — and uses it only if the plan's permissions turn out to be exactly
 * those; otherwise it is ended and a new one is started. It never receives the start message
 * (the guest's code) before the plan has come.
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import { builtInEngineIdFor } from "../engines/engine_ids.ts";
import { NO_GRANT } from "../host/grant.ts";
import { importLazily } from "../lazy_import.ts";
import type { PrepareMessage } from "./sandbox_protocol.ts";
import { workerPermissions } from "./sandbox_permissions.ts";

/** The sandbox Worker's entry module. */
export const SANDBOX_WORKER_URL: URL = new URL("./sandbox_worker.ts", import.meta.url);

/** Creates a sandbox Worker for the cartridge `name` with exactly `permissions`. */
export function createSandboxWorker(
  name: string,
  permissions: Deno.PermissionOptionsObject,
): Worker {
  return new Worker(SANDBOX_WORKER_URL, {
    type: "module",
    name: `pxos sandbox: ${name}`,
    deno: { permissions },
  });
}

/**
 * Python's runtime module, imported only for a Python cartridge (it costs every other boot) and
 * without Deno reading its graph when this module loads (`lazy_import.ts`).
 */
export function importPythonRuntime(): Promise<typeof import("./python_runtime.ts")> {
  return importLazily(new URL("./python_runtime.ts", import.meta.url));
}

/** A Worker started before the plan, see {@link prestartSandboxWorker}. */
export interface PrestartedWorker {
  /**
   * Tells it the cartridge: it loads the engine; for a Python cartridge it is replaced by one that
   * may read Pyodide's folder, whose interpreter starts from the cached snapshot (if there is one).
   */
  prepare(cart: Cartridge): Promise<void>;
  /**
   * The Worker, if it was created with exactly `permissions` (then it is handed over once);
   * otherwise it is ended and the result is `undefined`. `pythonPrepared`: the interpreter was
   * already asked to start from the cached snapshot.
   */
  claim(
    permissions: Deno.PermissionOptionsObject,
  ): { worker: Worker; pythonPrepared: boolean } | undefined;
  /** Ends the Worker unless it was claimed (the plan never came, or took another path). */
  discard(): void;
}

/** Starts a sandbox Worker with an empty grant's permissions, before the cartridge is known. */
export function prestartSandboxWorker(): PrestartedWorker {
  let permissions = workerPermissions(NO_GRANT, "/", SANDBOX_WORKER_URL);
  let worker = createSandboxWorker("(starting)", permissions);
  let pythonPrepared = false;
  let taken = false;
  return {
    async prepare(cart) {
      const { entry, engine } = cart.manifest;
      const message: PrepareMessage = {
        type: "prepare",
        entry,
        engine: engine ?? null,
        python: null,
      };
      if (builtInEngineIdFor(entry, engine) !== "python") {
        if (!taken) worker.postMessage(message);
        return;
      }
      if (taken) return;
      worker.terminate(); // at once: it would only compete with the one below for the CPU
      const python = await importPythonRuntime();
      const dir = python.pyodideDir();
      if (taken) return;
      permissions = workerPermissions(NO_GRANT, "/", SANDBOX_WORKER_URL, [], [dir]);
      worker = createSandboxWorker(cart.manifest.name, permissions);
      worker.postMessage(message); // its modules load while the snapshot is read
      // Only a snapshot already cached: making one is `pxos boot`'s job, before it sends the plan.
      const cache = python.snapshotPath();
      const snapshot = cache ? await python.readSnapshot(cache).catch(() => null) : null;
      if (!snapshot || taken) return;
      worker.postMessage({ ...message, python: { dir, snapshot } }, [
        snapshot.buffer as ArrayBuffer,
      ]);
      pythonPrepared = true;
    },
    claim(wanted) {
      if (taken) return undefined;
      taken = true;
      if (JSON.stringify(wanted) === JSON.stringify(permissions)) return { worker, pythonPrepared };
      worker.terminate();
      return undefined;
    },
    discard() {
      if (taken) return;
      taken = true;
      worker.terminate();
    },
  };
}
