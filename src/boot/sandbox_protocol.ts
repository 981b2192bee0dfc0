/**
 * Messages between `pxos boot` and its sandbox Worker. Everything is plain, structured-cloneable
 * data; errors travel as their JSON form and are rebuilt as `PxosError` on the other side.
 *
 * @module
 */
import type { Manifest } from "../archive/manifest.ts";
import type { RunResult } from "../engines/engine.ts";
import { PxosError, type PxosErrorCode } from "../errors.ts";
import type { AuditEntry } from "../host/audit.ts";
import type { DrawOp } from "../host/gfx_sink.ts";
import type { Grant } from "../host/grant.ts";
import type { Limits } from "../host/limits.ts";
import type { ToneEvent } from "../host/play_host.ts";
import type { PlayPlan } from "./play.ts";

/** The one message that starts a run. */
export interface StartMessage {
  /** Message kind. */
  type: "start";
  /** The validated manifest. */
  manifest: Manifest;
  /** The cartridge's files (copied when small, else their buffers are transferred: `startTransfer`). */
  files: [string, Uint8Array][];
  /** PRNG seed. */
  seed: Uint8Array;
  /** The grant. */
  grant: Grant;
  /** Real root for file paths. */
  root: string;
  /**
   * For Python cartridges: the Pyodide package folder (the Worker may read it) and the start-up
   * snapshot checked outside (its buffer is transferred), or `null` to start cold.
   */
  python?: { dir: string; snapshot: Uint8Array | null };
  /** Effective limits. */
  limits: Limits;
  /** Whether to send trace lines. */
  trace: boolean;
  /** Whether to collect a profile. */
  profile: boolean;
  /** Engine switches. */
  flags: Record<string, string | boolean | number>;
  /** Program arguments from the command line (`null`: the manifest's). */
  args: string[] | null;
  /** Granted environment variables. */
  env: Record<string, string>;
  /** Initial canvas size when drawing goes somewhere, else `null` (drawing is discarded). */
  gfx: { width: number; height: number } | null;
  /** Whether to send audit entries. */
  audit: boolean;
  /** Modules whose `engine` export is registered before the built-in engines (embedders, tests). */
  engineModules: string[];
  /**
   * Output flow control: one `Int32` counting the UTF-16 units of guest output sent but not yet
   * written by `pxos boot`. The Worker waits while it is over {@link OUTPUT_WINDOW}.
   */
  outputFlow: SharedArrayBuffer;
  /** The play plan (`null`: no frame loop). */
  play: PlayPlan | null;
  /** Whether to send tones. */
  sound: boolean;
}

/**
 * Sent to a Worker started before the plan is known (`sandbox_prestart.ts`): load the engine that
 * will run `entry`, and for a Python cartridge start the interpreter, so that their start-up
 * overlaps the wait for the plan. Runs no guest code; the {@link StartMessage} that may follow
 * finds them ready (its `python.snapshot` may then be `null`: the one given here is used).
 */
export interface PrepareMessage {
  /** Message kind. */
  type: "prepare";
  /** The manifest's `entry`. */
  entry: string;
  /** The manifest's `engine`, if it names one. */
  engine: string | null;
  /** As {@link StartMessage.python}, or `null`. */
  python: { dir: string; snapshot: Uint8Array | null } | null;
}

/**
 * Guest output (UTF-16 units) that may be on its way to the terminal at once. A guest printing
 * faster than the reader reads waits in its print call instead of growing a queue.
 */
export const OUTPUT_WINDOW = 1 << 20;

/** Messages from `pxos boot` to the Worker. */
export type ToWorker =
  | StartMessage
  | PrepareMessage
  | { type: "line"; line: string | null }
  | { type: "presented"; error: SerializedError | null };

/** Messages from the Worker to `pxos boot`. */
export type FromWorker =
  | { type: "running" }
  | { type: "out"; text: string }
  | { type: "err"; text: string }
  | { type: "trace"; line: string }
  | { type: "readLine" }
  | { type: "draw"; ops: DrawOp[] }
  | { type: "present"; ops: DrawOp[] }
  | { type: "audit"; entry: AuditEntry }
  | { type: "tone"; tone: ToneEvent }
  | { type: "done"; result: RunResult }
  | { type: "failed"; error: SerializedError };

/** An error as it crosses the boundary. */
export interface SerializedError {
  /** `PxosError` code, or `null` for any other error. */
  code: PxosErrorCode | null;
  /** The message (with its location already in it). */
  message: string;
  /** Extra facts. */
  details?: Record<string, unknown>;
}

/** Turns any thrown value into its boundary form. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof PxosError) return { code: e.code, message: e.message, details: e.details };
  return { code: null, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

/** Rebuilds an error on this side; non-pxOS errors become `E_TRAP` (the guest side failed). */
export function reviveError(e: SerializedError): PxosError {
  return new PxosError(e.code ?? "E_TRAP", e.message, { details: e.details });
}
