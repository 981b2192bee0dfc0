/**
 * `pxos run <dir>`: a project folder runs in this process like a bare program, packed in memory
 * under the same rules as `pxos pack` (so it sees exactly the files its cartridge would hold),
 * with its manifest's entry, engine, permissions and limits.
 *
 * @module
 */
import type { Manifest } from "../archive/manifest.ts";
import { effectiveLimits } from "../boot/cartridge_load.ts";
import type { Engine } from "../engines/engine.ts";
import { importEngineFor } from "./engine_import.ts";
import { importLazily } from "../lazy_import.ts";
import { PxosError } from "../errors.ts";
import { DEFAULT_LIMITS, type Limits } from "../host/limits.ts";
import type { ParsedArgs } from "./command.ts";
import { limitOverrides, raisedLimits, userLimits } from "./limit_options.ts";

/** A project folder ready to run. */
export interface ProjectRun {
  /** The engine of its entry. */
  engine: Engine;
  /** The entry's bytes. */
  bytes: Uint8Array;
  /** The entry's archive path. */
  path: string;
  /** Every file of the project, by archive path. */
  files: Map<string, Uint8Array>;
  /** Its manifest. */
  manifest: Manifest;
}

/** Packs `dir` in memory and picks out what the run needs. */
export async function openProjectRun(dir: string): Promise<ProjectRun> {
  const project = await importLazily<typeof import("./project.ts")>(
    new URL("./project.ts", import.meta.url),
  );
  const cart = await project.openProjectFolder(dir);
  const { manifest } = cart;
  if (manifest.engine === undefined && manifest.entry.toLowerCase().endsWith(".pxterm")) {
    throw new PxosError(
      "E_USAGE",
      `pxos run: ${dir} is a PXTERM scene; boot it (pxos boot ${dir}) or render it`,
    );
  }
  const files = await cart.archive.readAll();
  return {
    engine: await importEngineFor(manifest.entry, manifest.engine),
    bytes: files.get(manifest.entry)!,
    path: manifest.entry,
    files,
    manifest,
  };
}

/**
 * The limits of a run: the options', else the manifest's, else the defaults. A manifest asking
 * for more than a default gets it only with `--yes` or `--allow-limits`, as with `pxos boot`.
 */
export function runLimits(values: ParsedArgs["values"], manifest?: Manifest): Limits {
  const user = userLimits("run", values);
  if (manifest === undefined) return { ...DEFAULT_LIMITS, ...user };
  const granted = values.yes === true || values["allow-limits"] === true;
  const overrides = limitOverrides(user, raisedLimits(manifest.limits, user), granted);
  return effectiveLimits(manifest.limits, overrides);
}
