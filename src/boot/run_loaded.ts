/**
 * Running a loaded cartridge on an engine that the caller loads: everything `runLoadedCartridge`
 * does but the choice of the engine. Apart from `boot.ts` because that choice, the list of every
 * built-in engine, is what a sandbox Worker made for one engine must not load (Deno reads the
 * module graph behind every literal import of a module it loads, each engine's included).
 *
 * @module
 */
import type { Engine, RunResult } from "../engines/engine.ts";
import { PxosError } from "../errors.ts";
import { type Grant, NO_GRANT } from "../host/grant.ts";
import { createHost } from "../host/host.ts";
import type { BootOptions } from "./boot.ts";
import type { LoadedCartridge } from "./cartridge_load.ts";
import { effectiveLimits } from "./effective_limits.ts";
import { playSetup } from "./play.ts";
import { runProgram } from "./run_program.ts";

/** Loads the engine for a program: its path, the manifest's `engine`, an embedder's engines. */
export type EngineLoader = (
  path: string,
  id: string | undefined,
  extra: readonly Engine[] | undefined,
) => Promise<Engine>;

/**
 * Runs a loaded cartridge's entry in this thread on the engine `loadEngine` gives for it
 * (`runLoadedCartridge` passes the loader of every built-in engine; a sandbox Worker made for one
 * engine passes that engine only).
 *
 * @param loaded the cartridge's manifest and files
 * @param options the run's options
 * @param loadEngine the engine for the entry (its path, the manifest's engine, extra engines)
 */
export async function runLoadedWithEngine(
  loaded: LoadedCartridge,
  options: BootOptions,
  loadEngine: EngineLoader,
): Promise<RunResult> {
  const { manifest, files } = loaded;
  const entryBytes = files.get(manifest.entry);
  if (!entryBytes) {
    throw new PxosError("E_MANIFEST", `entry ${manifest.entry} is not a file of the cartridge`);
  }
  const limits = effectiveLimits(manifest.limits, options.limitCaps);
  const engine = await loadEngine(manifest.entry, manifest.engine, options.engines);
  const program = await engine.load(entryBytes, { path: manifest.entry, files });
  const play = playSetup(options.play, options.gfx);
  const host = createHost({
    stdout: options.stdout,
    stderr: options.stderr,
    readLine: options.readLine,
    gfx: options.gfx,
    cartFiles: files,
    grant: options.grant,
    root: options.root,
    maxBytes: limits.memoryBytes,
    maxOutputBytes: limits.outputBytes,
    signal: AbortSignal.timeout(limits.timeoutMs),
    audit: options.audit,
    cartridge: manifest.name,
    seed: options.seed ?? loaded.digest,
    input: play?.input,
    sound: options.sound,
  });
  return await runProgram(engine, program, host, limits, {
    args: manifest.args,
    dirs: grantedDirs(options.grant ?? NO_GRANT),
    ...options.runOptions,
    frameLoop: play?.loop,
  });
}

/**
 * The granted directories as engines pre-open them (wasm's WASI): each read or write root once.
 *
 * @example
 * ```ts
 * import { grantedDirs, NO_GRANT } from "@pxos/core";
 * console.log(grantedDirs({ ...NO_GRANT, read: ["data"], write: ["out"] }));
 * ```
 */
export function grantedDirs(grant: Grant): { path: string; write: boolean }[] {
  return [...new Set([...grant.read, ...grant.write])].map((path) => ({
    path,
    write: grant.write.includes(path),
  }));
}
