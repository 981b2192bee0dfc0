/**
 * `bootSandboxed`: runs a cartridge in a Deno Worker whose permissions are exactly the grant
 * (DESIGN.md §4, layer 2), with the host's own checks inside it (layer 1). This side keeps what
 * the guest must not touch: the terminal, the renderer and the frame files, the audit file.
 *
 * Deno's `worker.terminate()` cannot stop a Worker stuck in synchronous JavaScript, so a guest
 * that does not yield by its deadline gets a hard timeout: the promise rejects with `E_TIMEOUT`
 * and `hardTimeout: true` in the error's details, and the embedder must end the process (`pxos`
 * exits with 124).
 *
 * Needs Deno's `worker-options` unstable feature (`--unstable-worker-options`).
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import type { RunResult } from "../engines/engine.ts";
import { builtInEngineIdFor } from "../engines/engine_ids.ts";
import { PxosError } from "../errors.ts";
import { NO_GRANT } from "../host/grant.ts";
import type { BootOptions } from "./boot.ts";
import { effectiveLimits, loadCartridge } from "./cartridge_load.ts";
import type { FromWorker, StartMessage, ToWorker } from "./sandbox_protocol.ts";
import { reviveError, serializeError } from "./sandbox_protocol.ts";
import { workerPermissions } from "./sandbox_permissions.ts";
import { startTransfer } from "./sandbox_start_transfer.ts";
import { startTimer, type Timer } from "../timers.ts";
import {
  createSandboxWorker,
  importPythonRuntime,
  SANDBOX_WORKER_URL,
  sandboxWorkerUrl,
} from "./sandbox_prestart.ts";

/** Options for {@link bootSandboxed}. */
export interface SandboxOptions
  extends Omit<BootOptions, "engines" | "runOptions" | "stdout" | "stderr"> {
  /**
   * Receives the guest's standard output. When it returns a promise, the guest is held back
   * (at most `OUTPUT_WINDOW` units ahead, see `sandbox_protocol.ts`) until it settles: a slow reader slows the guest
   * instead of filling memory.
   */
  stdout: (text: string) => unknown;
  /** Receives standard error text; defaults to `stdout`. Same back-pressure. */
  stderr?: (text: string) => unknown;
  /** Trace lines (one per instruction), when wanted. */
  trace?: (line: string) => void;
  /** Collect a profile. */
  profile?: boolean;
  /** Engine switches. */
  flags?: Record<string, string | boolean | number>;
  /** Program arguments (`pxos boot cart -- args`); the manifest's `args` otherwise. */
  args?: string[];
  /** Granted environment variables (never more than the manifest lists). */
  env?: Record<string, string>;
  /** Canvas size for drawing; defaults to the manifest's canvas (or 800×600) when `gfx` is set. */
  canvas?: { width: number; height: number };
  /**
   * Module URLs whose `engine` export the Worker registers before the built-in engines (an
   * embedder's own engines; tests use it for a deliberately misbehaving one).
   */
  engineModules?: readonly (string | URL)[];
  /** Extra time after the deadline before a non-yielding guest is declared hung (default 500). */
  graceMs?: number;
  /** Longest the Worker may take to start before `E_TIMEOUT` (default 30 s). */
  startupMs?: number;
  /**
   * A Worker started before the plan was known (`sandbox_prestart.ts`): used if it was created
   * with exactly the permissions this run's Worker gets, else ended and a new one started.
   */
  prestarted?: {
    /** The Worker if its permissions are `permissions` (see `PrestartedWorker.claim`). */
    claim(
      permissions: Deno.PermissionOptionsObject,
    ): { worker: Worker; pythonPrepared: boolean } | undefined;
  };
}

/**
 * Boots an opened cartridge in a permission-scoped Worker and resolves to its result. With an
 * `audit` sink, the outcome is audited too (`boot.run`: the exit code, or the error).
 *
 * @example
 * ```ts ignore
 * import { bootSandboxed, decideGrant, openCartridge, realRoot, requestedGrant } from "@pxos/core";
 * const cart = await openCartridge(await Deno.readFile("wordcount.pxa"));
 * const grant = decideGrant(requestedGrant(cart.manifest.permissions), { allowRead: true });
 * const result = await bootSandboxed(cart, {
 *   stdout: (t) => console.log(t), grant, root: await realRoot("."),
 * });
 * ```
 */
export async function bootSandboxed(cart: Cartridge, options: SandboxOptions): Promise<RunResult> {
  const outcome = (allowed: boolean, reason: string) =>
    options.audit?.({
      time: new Date().toISOString(),
      cartridge: cart.manifest.name,
      call: "boot.run",
      target: cart.manifest.entry,
      allowed,
      reason,
    });
  try {
    const result = await bootInWorker(cart, options);
    outcome(true, `exit code ${result.exitCode}`);
    return result;
  } catch (e) {
    outcome(false, e instanceof PxosError ? `${e.code}: ${e.message}` : String(e));
    throw e;
  }
}

async function bootInWorker(cart: Cartridge, options: SandboxOptions): Promise<RunResult> {
  const loaded = await loadCartridge(cart, options.limitCaps);
  const limits = effectiveLimits(cart.manifest.limits, options.limitCaps);
  const grant = options.grant ?? NO_GRANT;
  const root = options.root ?? "/nonexistent-root";
  const files = [...loaded.files.entries()].map(([p, b]): [string, Uint8Array] => [p, b.slice()]);
  const engineModules = (options.engineModules ?? []).map((u) => new URL(u));
  const canvas = options.canvas ?? cart.manifest.canvas ?? { width: 800, height: 600 };
  const start: StartMessage = {
    type: "start",
    manifest: cart.manifest,
    files,
    seed: options.seed ?? loaded.digest,
    grant,
    root,
    limits,
    trace: options.trace !== undefined,
    profile: options.profile === true,
    flags: options.flags ?? {},
    args: options.args ?? null,
    env: options.env ?? {},
    gfx: options.gfx ? { width: canvas.width, height: canvas.height } : null,
    audit: options.audit !== undefined,
    engineModules: engineModules.map(String),
    outputFlow: new SharedArrayBuffer(4),
    play: options.play ?? null,
    sound: options.sound !== undefined,
  };
  // Python's runtime module is loaded only for a Python cartridge (it costs every other boot).
  const python = builtInEngineIdFor(cart.manifest.entry, cart.manifest.engine) === "python"
    ? await importPythonRuntime()
    : undefined;
  const pythonDir = python?.pyodideDir();
  const permissions = workerPermissions(grant, root, SANDBOX_WORKER_URL, engineModules, [
    ...(pythonDir ? [pythonDir] : []),
  ]);
  const early = options.prestarted?.claim(permissions);
  const worker = early?.worker ??
    createSandboxWorker(
      cart.manifest.name,
      permissions,
      sandboxWorkerUrl(cart.manifest.entry, cart.manifest.engine, engineModules),
    );
  try {
    if (python && pythonDir) {
      // Read (or make) the snapshot while the Worker loads its modules, unless the early Worker
      // has it already.
      const snapshot = early?.pythonPrepared
        ? null
        : await python.snapshotForSandbox(options.stderr ?? options.stdout);
      start.python = { dir: pythonDir, snapshot };
    }
    return await supervise(worker, start, limits.timeoutMs, options);
  } finally {
    worker.terminate();
  }
}

/** Relays messages until the run ends, and enforces the start-up and hard deadlines. */
function supervise(
  worker: Worker,
  start: StartMessage,
  timeoutMs: number,
  options: SandboxOptions,
): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    let settled = false;
    let timer: Timer | undefined;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      timer?.cancel();
      f();
    };
    const arm = (ms: number, message: string) => {
      timer?.cancel();
      // Not setTimeout: its first call loads Node's timers, before the start message goes out.
      timer = startTimer(
        ms,
        () =>
          finish(() =>
            reject(new PxosError("E_TIMEOUT", message, { details: { hardTimeout: true } }))
          ),
      );
    };
    const post = (message: ToWorker) => {
      if (!settled) worker.postMessage(message);
    };
    // Presents are applied in order, one after the other (rendering is asynchronous).
    let gfxQueue: Promise<void> = Promise.resolve();
    // Output is written in order too; each write hands its units back to the Worker's window.
    let outQueue: Promise<void> = Promise.resolve();
    const flow = new Int32Array(start.outputFlow);
    let readerGone = false;
    const write = (to: (text: string) => unknown, text: string) => {
      outQueue = outQueue.then(async () => {
        if (!readerGone) await to(text);
      }).catch(() => {
        // The reader went away (a closed pipe): the rest of the output has nowhere to go.
        readerGone = true;
      }).finally(() => {
        Atomics.sub(flow, 0, text.length);
        Atomics.notify(flow, 0);
      });
    };
    const onMessage = async (message: FromWorker) => {
      switch (message.type) {
        case "running":
          // The deadline counts from here; the audit says when, so a run's length can be checked.
          options.audit?.({
            time: new Date().toISOString(),
            cartridge: start.manifest.name,
            call: "boot.start",
            target: start.manifest.entry,
            allowed: true,
            reason: `running with a ${timeoutMs} ms limit`,
          });
          arm(
            timeoutMs + (options.graceMs ?? 500),
            `the guest did not yield within its ${timeoutMs} ms limit; stopped`,
          );
          return;
        case "out":
          return write(options.stdout, message.text);
        case "err":
          return write(options.stderr ?? options.stdout, message.text);
        case "trace":
          return options.trace?.(message.line);
        case "audit":
          return options.audit?.(message.entry);
        case "tone":
          return options.sound?.(message.tone);
        case "readLine": {
          const line = options.readLine ? await options.readLine() : null;
          return post({ type: "line", line });
        }
        case "draw":
        case "present": {
          const sink = options.gfx;
          gfxQueue = gfxQueue.then(async () => {
            for (const op of message.ops) sink?.draw(op);
            if (message.type !== "present") return;
            try {
              await sink?.present();
              post({ type: "presented", error: null });
            } catch (e) {
              post({ type: "presented", error: serializeError(e) });
            }
          });
          return;
        }
        case "done":
          await gfxQueue;
          await outQueue;
          return finish(() => resolve(message.result));
        case "failed":
          await gfxQueue.catch(() => {});
          // A guest stopped at its deadline does not wait for a slow reader to take its output.
          if (message.error.code !== "E_TIMEOUT") await outQueue;
          return finish(() => reject(reviveError(message.error)));
      }
    };
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      onMessage(event.data).catch((e) => finish(() => reject(e)));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish(() => reject(new PxosError("E_TRAP", `sandbox worker failed: ${event.message}`)));
    };
    arm(options.startupMs ?? 30_000, "the sandbox worker did not start within its time limit");
    const transfer = startTransfer(start);
    // Not even an empty list: any transfer list takes the slow path (sandbox_start_transfer.ts).
    if (transfer.length > 0) worker.postMessage(start, transfer);
    else worker.postMessage(start);
  });
}
