/**
 * The environment check at boot: the manifest's `pxos` range against this runtime, and its
 * `requires` list against what this machine has. A mismatch is one line saying what is needed.
 *
 * @module
 */
import { type Manifest, runtimeSatisfies } from "../archive/manifest.ts";
import { PxosError } from "../errors.ts";
import { PXOS_VERSION } from "../version.ts";

/** Capabilities a manifest's `requires` may name, and how each is checked. */
export const REQUIREMENTS: Readonly<
  Record<string, { doc: string; check: () => Promise<boolean> }>
> = {
  webgpu: {
    doc: "a WebGPU adapter (a GPU, or a software adapter such as llvmpipe)",
    // The renderer module is loaded only for a cartridge that requires a GPU.
    check: async () => (await import("../gfx/render_webgpu.ts")).webGpuAdapterAvailable(),
  },
  tty: {
    doc: "an interactive terminal on standard input",
    check: () => Promise.resolve(Deno.stdin.isTerminal()),
  },
};

/**
 * Throws `PxosError` `E_RUNTIME` when this runtime or machine cannot run the cartridge.
 *
 * @example
 * ```ts ignore
 * import { checkEnvironment, openCartridge } from "@pxos/core";
 * const cart = await openCartridge(await Deno.readFile("game.pxa"));
 * await checkEnvironment(cart.manifest);
 * ```
 */
export async function checkEnvironment(
  manifest: Pick<Manifest, "name" | "pxos" | "requires">,
): Promise<void> {
  if (!runtimeSatisfies(manifest.pxos, PXOS_VERSION)) {
    throw new PxosError(
      "E_RUNTIME",
      `${manifest.name} needs pxOS ${manifest.pxos}; this is pxOS ${PXOS_VERSION}`,
    );
  }
  for (const name of manifest.requires ?? []) {
    const requirement = REQUIREMENTS[name];
    if (!requirement) {
      throw new PxosError(
        "E_RUNTIME",
        `${manifest.name} requires ${JSON.stringify(name)}, which this pxOS does not know (known: ${
          Object.keys(REQUIREMENTS).join(", ")
        })`,
      );
    }
    if (!(await requirement.check())) {
      throw new PxosError(
        "E_RUNTIME",
        `${manifest.name} requires ${name}: ${requirement.doc}, which this machine does not have`,
      );
    }
  }
}
