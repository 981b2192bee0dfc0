/**
 * Starting the sandbox Worker, and starting it early. A Worker's start-up (its module graph, its
 * engine, and for a Python cartridge the interpreter, ≈ 0.5 s) does not depend on the plan, only
 * on the Deno permissions it is created with. So the sandbox process starts one as soon as it has
 * read the cartridge, while `pxos boot` is still deciding — with the permissions the plan will
 * most likely give, an empty grant's — and uses it only if the plan's permissions turn out to be
 * exactly those; otherwise it is ended and a new one is started. When the plan comes before the
 * cartridge is open (`pxos boot --yes` decides while the sandbox process is still starting), the
 * Worker is started from the plan instead, with the plan's own permissions. It never receives
 * the start message (the guest's code) before the plan has come. (Started before the cartridge was read, a
 * guess Worker had to be replaced for every Python cartridge: +50 ms of CPU under load.)
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import { builtInEngineIdFor } from "../engines/engine_ids.ts";
import { type Grant, NO_GRANT, requestedGrant } from "../host/grant.ts";
import { importLazily } from "../lazy_import.ts";
import type { PrepareMessage } from "./sandbox_protocol.ts";
import { workerPermissions } from "./sandbox_permissions.ts";

/** The sandbox Worker's entry module for any cartridge. */
export const SANDBOX_WORKER_URL: URL = new URL("./sandbox_worker.ts", import.meta.url);

/** The engines with a sandbox Worker entry of their own (`workers/<id>.ts`). */
const ONE_ENGINE_WORKERS: readonly string[] = ["pixelvm", "pxvm", "poh", "pxi", "wasm"];

/**
 * The sandbox Worker's entry for a cartridge whose entry is `entry` (and manifest `engine`): the
 * entry made for its engine (`workers/one_engine.ts`: it loads only that engine), or
 * {@link SANDBOX_WORKER_URL} for Python, a PXTERM scene, an embedder's engine modules, and a
 * compiled `pxos` (whose binary holds the entries it was built with).
 */
export function sandboxWorkerUrl(
  entry: string,
  engine: string | null | undefined,
  engineModules: readonly URL[] = [],
): URL {
  const id = builtInEngineIdFor(entry, engine ?? undefined);
  if (Deno.build.standalone || engineModules.length > 0) return SANDBOX_WORKER_URL;
  if (id === undefined || !ONE_ENGINE_WORKERS.includes(id)) return SANDBOX_WORKER_URL;
  return new URL(`./workers/${id}.ts`, import.meta.url);
}

/**
 * Creates a sandbox Worker for the cartridge `name` with exactly `permissions`, from the entry
 * `url` ({@link sandboxWorkerUrl}).
 */
export function createSandboxWorker(
  name: string,
  permissions: Deno.PermissionOptionsObject,
  url: URL = SANDBOX_WORKER_URL,
): Worker {
  return new Worker(url, {
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
 * files and no hosts (then the plan's Worker permissions will almost surely be an empty grant's),
 * and has it load the cartridge's engine; for a Python cartridge with a cached snapshot, the
 * interpreter starts too. `undefined` when nothing was started.
 */
export async function prestartSandboxWorker(
  cart: Cartridge,
): Promise<PrestartedWorker | undefined> {
  const { entry, engine, permissions: requested } = cart.manifest;
  const request = requestedGrant(requested);
  if (request.read.length + request.write.length + request.net.length > 0) return undefined;
  const message: PrepareMessage = { type: "prepare", entry, engine: engine ?? null, python: null };
  const python = builtInEngineIdFor(entry, engine) === "python"
    ? await importPythonRuntime()
    : undefined;
  const dir = python?.pyodideDir();
  // Only a snapshot already cached (making one is `pxos boot`'s job, before it sends the plan);
  // its reading starts before the Worker, whose creation holds this thread for a while.
  const cache = python?.snapshotPath();
  const reading = python && cache ? python.readSnapshot(cache).catch(() => null) : null;
  const permissions = workerPermissions(NO_GRANT, "/", SANDBOX_WORKER_URL, [], dir ? [dir] : []);
  const worker = createSandboxWorker(
    cart.manifest.name,
    permissions,
    sandboxWorkerUrl(entry, engine),
  );
  worker.postMessage(message); // the engine's modules load while the snapshot is read
  const snapshot = await reading;
  if (dir && snapshot) {
    worker.postMessage({ ...message, python: { dir, snapshot } }, [
      snapshot.buffer as ArrayBuffer,
    ]);
  }
  return claimable(worker, permissions, dir !== undefined && snapshot !== null);
}

/** What the plan says about the Worker to prepare (see `SandboxPlan.worker`). */
export interface PlannedWorker {
  /** The decided grant. */
  grant: Grant;
  /** Real path of the root. */
  root: string;
  /** The cartridge's name, entry and engine, as its manifest gives them. */
  cartridge: { name: string; entry: string; engine: string | null };
}

/**
 * Starts the sandbox Worker from the plan, before the cartridge is open: with exactly the
 * permissions the plan's grant gives it (so it is used, whatever the cartridge asks for), and
 * has it load the engine. Not for Python, whose Worker also needs Pyodide's folder and the
 * snapshot: that one starts from the opened cartridge (`undefined` here).
 */
export function prestartPlannedWorker(plan: PlannedWorker): PrestartedWorker | undefined {
  const { name, entry, engine } = plan.cartridge;
  if (builtInEngineIdFor(entry, engine ?? undefined) === "python") return undefined;
  const permissions = workerPermissions(plan.grant, plan.root, SANDBOX_WORKER_URL);
  const worker = createSandboxWorker(name, permissions, sandboxWorkerUrl(entry, engine));
  worker.postMessage({ type: "prepare", entry, engine, python: null } satisfies PrepareMessage);
  return claimable(worker, permissions, false);
}

function claimable(
  worker: Worker,
  permissions: Deno.PermissionOptionsObject,
  pythonPrepared: boolean,
): PrestartedWorker {
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
