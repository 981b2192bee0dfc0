/**
 * Booting a cartridge in this thread: check the environment, apply the limits, pick the engine,
 * load (verify) the entry and run it on a host that enforces the grant (layer 1). `pxos boot`
 * runs the same code inside a permission-scoped Worker (`sandbox.ts`, layer 2).
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import type { Engine, RunOptions, RunResult } from "../engines/engine.ts";
import { loadEngineWithRuntime } from "./engine_runtime.ts";
import type { AuditSink } from "../host/audit.ts";
import type { Grant } from "../host/grant.ts";
import type { HostOptions } from "../host/host.ts";
import type { Limits } from "../host/limits.ts";
import type { ToneSink } from "../host/play_host.ts";
import type { PlayPlan } from "./play.ts";
import { loadCartridge, type LoadedCartridge } from "./cartridge_load.ts";
import { runLoadedWithEngine } from "./run_loaded.ts";

export { effectiveLimits, loadCartridge, type LoadedCartridge } from "./cartridge_load.ts";

/** Options for {@link bootCartridge} and {@link runLoadedCartridge}. */
export interface BootOptions extends Pick<HostOptions, "stdout" | "stderr" | "readLine" | "gfx"> {
  /** Limits from the command line; each wins over the manifest's (see {@link effectiveLimits}). */
  limitCaps?: Partial<Limits>;
  /** What the run is granted (never more than the manifest requests; see `decideGrant`). */
  grant?: Grant;
  /** Real path of the directory guest file paths are relative to (see `realRoot`). */
  root?: string;
  /** PRNG seed; defaults to the archive digest, so runs are reproducible. */
  seed?: Uint8Array;
  /** Receives one entry per permission-checked call. */
  audit?: AuditSink;
  /** Trace/profile/engine switches. */
  runOptions?: RunOptions;
  /** An embedder's own engines, tried before the built-in ones. */
  engines?: readonly Engine[];
  /** Play the `update` entry for this many frames with this input (see `play.ts`). */
  play?: PlayPlan;
  /** Where `sound.tone` calls go. */
  sound?: ToneSink;
}

/**
 * Boots an opened cartridge in this thread and resolves to the run's result (the guest's exit
 * code). Only the host's checks stand between the guest and the grant here; `bootSandboxed`
 * adds the Worker.
 *
 * @example
 * ```ts ignore
 * import { bootCartridge, openCartridge } from "@pxos/core";
 * const cart = await openCartridge(await Deno.readFile("countdown.pxa"));
 * const { exitCode } = await bootCartridge(cart, { stdout: (t) => console.log(t) });
 * ```
 */
export async function bootCartridge(cart: Cartridge, options: BootOptions): Promise<RunResult> {
  const loaded = await loadCartridge(cart, options.limitCaps);
  return await runLoadedCartridge(loaded, options);
}

/** Runs a loaded cartridge's entry in this thread (the sandbox Worker calls this too). */
export async function runLoadedCartridge(
  loaded: LoadedCartridge,
  options: BootOptions,
): Promise<RunResult> {
  const { manifest, files } = loaded;
  const entryBytes = files.get(manifest.entry);
  if (
    entryBytes && manifest.engine === undefined &&
    manifest.entry.toLowerCase().endsWith(".pxterm")
  ) {
    const { runPxtermEntry } = await import("./pxterm_entry.ts"); // scenes only
    return await runPxtermEntry(new TextDecoder().decode(entryBytes), manifest.entry, {
      stdout: options.stdout,
      stderr: options.stderr ?? options.stdout,
      gfx: options.gfx,
    });
  }
  return await runLoadedWithEngine(loaded, options, loadEngineWithRuntime);
}

export { grantedDirs } from "./run_loaded.ts";
