/**
 * Starting the sandbox Worker, and starting it early. A Worker's start-up (its module graph, and
 * for a Python cartridge the interpreter, ≈ 0.5 s) does not depend on the plan, only on the
 * Deno permissions it is created with. So the sandbox process may start one while `pxos boot` is
 * still deciding — with the permissions the plan will most likely give (those of an empty grant,
 * for a cartridge that asks for no files or hosts) — and use it only if the plan's permissions
 * turn out to be exactly those; otherwise it is ended and a new one is started. It never receives
 * the start message (the guest's code) before the plan has come.
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import { builtInEngineIdFor } from "../engines/engine_ids.ts";
import { NO_GRANT, requestedGrant } from "../host/grant.ts";
import type { PrepareMessage } from "./sandbox_protocol.ts";
import { workerPermissions } from "./sandbox_permissions.ts";
import { importLazily } from "../lazy_import.ts";

/** The sandbox Worker's entry module. */
export const SANDBOX_WORKER_URL: URL = new URL("./sandbox_worker.ts", import.meta.url);

/**
 * Creates a sandbox Worker for the cartridge `name` with exactly `permissions`.
 */
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

/**
 * Starts the sandbox Worker for `cart` before the plan is known, when the cartridge asks for no
 * files and no hosts (so the plan's Worker permissions will almost surely be an empty grant's);
 * for a Python cartridge with a cached snapshot, its interpreter starts too. `undefined` when
 * nothing was started.
 */
export async function prestartSandboxWorker(
  cart: Cartridge,
): Promise<PrestartedWorker | undefined> {
  const request = requestedGrant(cart.manifest.permissions);
  if (request.read.length + request.write.length + request.net.length > 0) return undefined;
  const isPython = builtInEngineIdFor(cart.manifest.entry, cart.manifest.engine) === "python";
  const python = isPython ? await importPythonRuntime() : undefined;
  const pythonDir = python?.pyodideDir();
  const permissions = workerPermissions(
    NO_GRANT,
    "/",
    SANDBOX_WORKER_URL,
    [],
    pythonDir ? [pythonDir] : [],
  );
  const worker = createSandboxWorker(cart.manifest.name, permissions);
  let pythonPrepared = false;
  if (python && pythonDir) {
    // Only a snapshot already cached: making one is `pxos boot`'s job, before it sends the plan.
    const cache = python.snapshotPath();
    const snapshot = cache ? await python.readSnapshot(cache).catch(() => null) : null;
    if (snapshot) {
      const prepare: PrepareMessage = { type: "prepare", python: { dir: pythonDir, snapshot } };
      worker.postMessage(prepare, [snapshot.buffer as ArrayBuffer]);
      pythonPrepared = true;
    }
  }
  let taken = false;
  return {
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
