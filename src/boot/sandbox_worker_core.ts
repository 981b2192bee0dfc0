/**
 * What every sandbox Worker does, whichever entry started it (`sandbox_worker.ts` for any engine,
 * `workers/<engine>.ts` for one): it receives one {@link StartMessage}, runs the cartridge (the
 * host's checks, layer 1) under Deno permissions equal to the grant (layer 2), and reports back.
 * Output, input, drawing and audit entries travel as messages; the frames are rendered and
 * written by `pxos boot`, never here.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { Engine, RunResult } from "../engines/engine.ts";
import { PxosError } from "../errors.ts";
import { Scene } from "../gfx/scene.ts";
import type { DrawOp, GfxSink } from "../host/gfx_sink.ts";
import type { BootOptions } from "./boot.ts";
import type { LoadedCartridge } from "./cartridge_load.ts";
import {
  type FromWorker,
  OUTPUT_WINDOW,
  type PrepareMessage,
  reviveError,
  serializeError,
  type StartMessage,
  type ToWorker,
} from "./sandbox_protocol.ts";

/** Draw operations are sent in batches of at most this many (and before any other message). */
const DRAW_BATCH = 4096;

let pendingOps: DrawOp[] = [];
let lineWaiter: ((line: string | null) => void) | undefined;
let presentWaiter: ((error: Error | null) => void) | undefined;

/**
 * Sends guest output, first waiting (blocking this thread: the guest is in a synchronous call)
 * while more than {@link OUTPUT_WINDOW} units are still unwritten on the other side. A guest still
 * waiting at its deadline ends with `E_TIMEOUT` there; `pxos boot`'s thread is never blocked by
 * the reader, so its hard timeout ends a guest that catches even that.
 */
function sendOutput(flow: Int32Array, deadline: number, type: "out" | "err", text: string): void {
  for (;;) {
    const inFlight = Atomics.load(flow, 0);
    if (inFlight === 0 || inFlight + text.length <= OUTPUT_WINDOW) break;
    const left = deadline - performance.now();
    if (left <= 0) {
      throw new PxosError(
        "E_TIMEOUT",
        "expected the program to finish within its time limit; it was still waiting for its output to be read",
      );
    }
    Atomics.wait(flow, 0, inFlight, Math.min(left, 1000));
  }
  Atomics.add(flow, 0, text.length);
  send({ type, text });
}

function send(message: FromWorker): void {
  if (pendingOps.length > 0 && message.type !== "present") {
    const ops = pendingOps;
    pendingOps = [];
    self.postMessage({ type: "draw", ops } satisfies FromWorker);
  }
  self.postMessage(message);
}

/**
 * A sink that checks each operation against a mirror scene (so a bad one fails in the guest's
 * call, where the engine can handle it) and forwards it to `pxos boot`.
 */
function forwardingSink(size: { width: number; height: number }): GfxSink {
  const mirror = new Scene();
  mirror.apply({ op: "canvas", width: size.width, height: size.height });
  return {
    draw(op) {
      mirror.apply(op);
      pendingOps.push(op);
      if (pendingOps.length >= DRAW_BATCH) send({ type: "draw", ops: pendingOps.splice(0) });
    },
    present() {
      const ops = pendingOps;
      pendingOps = [];
      send({ type: "present", ops });
      return new Promise<void>((resolve, reject) => {
        presentWaiter = (error) => (error ? reject(error) : resolve());
      });
    },
  };
}

/** What differs between the sandbox Worker's entries: which engines they can load and run. */
export interface SandboxRunner {
  /** Runs a loaded cartridge's entry (see `runLoadedCartridge`). */
  run(loaded: LoadedCartridge, options: BootOptions): Promise<RunResult>;
  /** Starts loading the engine a {@link PrepareMessage} names; failures are the start's to report. */
  prepare(entry: string, engine: string | undefined): void;
  /** Starts the Python interpreter once (only the entry that runs every engine has one). */
  preparePython?(python: NonNullable<PrepareMessage["python"]>): Promise<void>;
}

let runner: SandboxRunner;

async function start(message: StartMessage): Promise<void> {
  const engines: Engine[] = [];
  for (const url of message.engineModules) {
    const mod = await import(url);
    engines.push(mod.engine as Engine);
  }
  // Start the interpreter before the run's clock starts: its start-up is not the guest's time.
  if (message.python) {
    if (!runner.preparePython) throw new PxosError("E_TRAP", "this sandbox Worker runs no Python");
    await runner.preparePython(message.python);
  }
  send({ type: "running" });
  const flow = new Int32Array(message.outputFlow);
  const deadline = performance.now() + message.limits.timeoutMs;
  const result = await runner.run(
    { manifest: message.manifest, files: new Map(message.files), digest: message.seed },
    {
      stdout: (text) => sendOutput(flow, deadline, "out", text),
      stderr: (text) => sendOutput(flow, deadline, "err", text),
      readLine: () =>
        new Promise((resolve) => {
          lineWaiter = resolve;
          send({ type: "readLine" });
        }),
      gfx: message.gfx ? forwardingSink(message.gfx) : undefined,
      grant: message.grant,
      root: message.root,
      limitCaps: message.limits,
      seed: message.seed,
      audit: message.audit ? (entry) => send({ type: "audit", entry }) : undefined,
      runOptions: {
        trace: message.trace ? (line) => send({ type: "trace", line }) : undefined,
        profile: message.profile,
        flags: message.flags,
        env: message.env,
        ...(message.args ? { args: message.args } : {}),
      },
      engines,
      play: message.play ?? undefined,
      sound: message.sound ? (tone) => send({ type: "tone", tone }) : undefined,
    },
  );
  send({ type: "done", result });
}

/**
 * Makes this Worker a sandbox Worker that runs cartridges with `using`: handles the messages of
 * `sandbox_protocol.ts` until the Worker is ended.
 */
export function serveSandbox(using: SandboxRunner): void {
  runner = using;
  self.onmessage = onMessage;
}

function onMessage(event: MessageEvent<ToWorker>): void {
  const message = event.data;
  switch (message.type) {
    case "start":
      start(message).catch((e) => send({ type: "failed", error: serializeError(e) }));
      break;
    case "prepare":
      // Only loading: a failure here is reported by the start that needs the same thing.
      runner.prepare(message.entry, message.engine ?? undefined);
      if (message.python) runner.preparePython?.(message.python).catch(() => {});
      break;
    case "line": {
      const waiter = lineWaiter;
      lineWaiter = undefined;
      waiter?.(message.line);
      break;
    }
    case "presented": {
      const waiter = presentWaiter;
      presentWaiter = undefined;
      waiter?.(message.error ? reviveError(message.error) : null);
      break;
    }
  }
}
