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
import type { Limits } from "../host/limits.ts";
import { effectiveLimits } from "./effective_limits.ts";
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

export { effectiveLimits } from "./effective_limits.ts";
