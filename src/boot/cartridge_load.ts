/**
 * What happens before a guest runs, without running it: the limits a run gets, and loading a
 * cartridge's files under them. Split from `boot.ts` so the side that only decides (the CLI,
 * the sandbox process) does not load the host runtime the guest runs on.
 *
 * @module
 */
import type { Cartridge } from "../archive/cartridge.ts";
import type { Manifest } from "../archive/manifest.ts";
import { PxosError } from "../errors.ts";
import { DEFAULT_LIMITS, type Limits } from "../host/limits.ts";
import { checkEnvironment } from "./environment.ts";

/** What a run needs of a cartridge once it is opened and verified. */
export interface LoadedCartridge {
  /** The validated manifest. */
  manifest: Manifest;
  /** Every file, by archive path. */
  files: ReadonlyMap<string, Uint8Array>;
  /** The archive digest (the default PRNG seed). */
  digest: Uint8Array;
}

/**
 * The checks before any guest code runs, and the files: the environment (runtime range,
 * `requires`), then the decoded size of every file against the run's memory limit.
 */
export async function loadCartridge(
  cart: Cartridge,
  limitCaps?: Partial<Limits>,
): Promise<LoadedCartridge> {
  const { manifest, archive } = cart;
  await checkEnvironment(manifest);
  const limits = effectiveLimits(manifest.limits, limitCaps);
  const decoded = archive.entries.reduce((sum, e) => sum + e.size, 0);
  if (decoded > limits.memoryBytes) {
    throw new PxosError(
      "E_MEMORY",
      `${manifest.name}'s files decode to ${decoded} bytes, over the ${limits.memoryBytes}-byte memory limit`,
    );
  }
  return { manifest, files: await archive.readAll(), digest: archive.digest };
}

/**
 * The limits a run gets: the caller's value where it gives one (the user's `--fuel`, `--timeout`,
 * `--memory`, `--output` win, up or down), else the manifest's request, else the default. Whether
 * a request above the default is granted is the caller's decision (`pxos boot` shows it and
 * passes the default when it is not granted).
 *
 * @example
 * ```ts
 * import { effectiveLimits } from "@pxos/core";
 * console.log(effectiveLimits({ fuel: 1000 }, { fuel: 10 }).fuel); // 10
 * console.log(effectiveLimits({ fuel: 1000 }).fuel); // 1000
 * ```
 */
export function effectiveLimits(
  requested: Partial<Limits>,
  overrides: Partial<Limits> = {},
): Limits {
  const pick = (key: keyof Limits) => overrides[key] ?? requested[key] ?? DEFAULT_LIMITS[key];
  return {
    fuel: pick("fuel"),
    timeoutMs: pick("timeoutMs"),
    memoryBytes: pick("memoryBytes"),
    outputBytes: pick("outputBytes"),
  };
}
