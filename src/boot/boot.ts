/**
 * Booting a cartridge: check the runtime range, pick the engine, load (verify) the entry, run it
 * with its limits on a host that sees the cartridge's own files.
 *
 * The permission prompt, the Worker sandbox and signatures build on this (DESIGN.md §4).
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import { runtimeSatisfies } from "../archive/manifest.ts";
import type { RunOptions, RunResult } from "../engines/engine.ts";
import { engineFor } from "../engines/registry.ts";
import { PxosError } from "../errors.ts";
import type { Permission } from "../host/calls.ts";
import { createHost, type HostOptions } from "../host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../host/limits.ts";
import { PXOS_VERSION } from "../version.ts";
import { runPxtermEntry } from "./pxterm_entry.ts";
import { runProgram } from "./run_program.ts";

/** Options for {@link bootCartridge}. */
export interface BootOptions extends Pick<HostOptions, "stdout" | "stderr" | "readLine" | "gfx"> {
  /** Caps from the command line: the run gets the smaller of these and the manifest's. */
  limitCaps?: Partial<Limits>;
  /** Permissions granted (never more than the manifest requests; the caller decides). */
  grants?: ReadonlySet<Permission>;
  /** PRNG seed; defaults to the archive digest, so runs are reproducible. */
  seed?: Uint8Array;
  /** Trace/profile/engine switches. */
  runOptions?: RunOptions;
}

/**
 * Boots an opened cartridge and resolves to the run's result (the guest's exit code).
 *
 * @example
 * ```ts ignore
 * import { bootCartridge, openCartridge } from "@pxos/core";
 * const cart = await openCartridge(await Deno.readFile("countdown.pxa"));
 * const { exitCode } = await bootCartridge(cart, { stdout: (t) => console.log(t) });
 * ```
 */
export async function bootCartridge(cart: Cartridge, options: BootOptions): Promise<RunResult> {
  const { manifest, archive } = cart;
  if (!runtimeSatisfies(manifest.pxos, PXOS_VERSION)) {
    throw new PxosError(
      "E_RUNTIME",
      `cartridge needs pxOS ${manifest.pxos}, this is pxOS ${PXOS_VERSION}`,
    );
  }
  const files = await archive.readAll();
  if (manifest.engine === undefined && manifest.entry.toLowerCase().endsWith(".pxterm")) {
    const text = new TextDecoder().decode(files.get(manifest.entry)!);
    return await runPxtermEntry(text, manifest.entry, {
      stdout: options.stdout,
      stderr: options.stderr ?? options.stdout,
      gfx: options.gfx,
    });
  }
  const engine = engineFor(manifest.entry, manifest.engine);
  const program = await engine.load(files.get(manifest.entry)!, { path: manifest.entry, files });
  const host = createHost({
    stdout: options.stdout,
    stderr: options.stderr,
    readLine: options.readLine,
    gfx: options.gfx,
    cartFiles: files,
    grants: options.grants,
    seed: options.seed ?? archive.digest,
  });
  const limits = effectiveLimits(manifest.limits, options.limitCaps);
  return await runProgram(engine, program, host, limits, options.runOptions);
}

/**
 * The limits a run gets: the manifest's request (or the default), capped by the caller's caps.
 *
 * @example
 * ```ts
 * import { effectiveLimits } from "@pxos/core";
 * console.log(effectiveLimits({ fuel: 1000 }, { fuel: 10 }).fuel); // 10
 * ```
 */
export function effectiveLimits(requested: Partial<Limits>, caps: Partial<Limits> = {}): Limits {
  const pick = (key: keyof Limits) =>
    Math.min(requested[key] ?? DEFAULT_LIMITS[key], caps[key] ?? Infinity);
  return { fuel: pick("fuel"), timeoutMs: pick("timeoutMs"), memoryBytes: pick("memoryBytes") };
}
