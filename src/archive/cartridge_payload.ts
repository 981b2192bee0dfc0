/**
 * Opening a cartridge from its archive payload (the bytes its pixels carry, already decoded): the
 * archive's header, index and digest checked, the manifest validated, its entry present. Kept
 * apart from `cartridge.ts` so that a process handed the payload (the sandbox process, see
 * `src/cli/sandbox_plan_payload.ts`) does not load the pixel layer.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { Cartridge } from "./cartridge.ts";
import { MANIFEST_PATH, parseManifest } from "./manifest.ts";
import { readArchive } from "./reader.ts";
import { checkEntry } from "./cartridge_check.ts";

/**
 * Opens the archive `payload` of a cartridge whose image is described by `image`.
 *
 * @param name used in error messages (e.g. the file name)
 * @throws {PxosError} `E_ARCHIVE_*` for a bad archive, `E_MANIFEST` for a missing or invalid
 *   manifest or a missing entry
 */
export async function openCartridgePayload(
  payload: Uint8Array,
  image: Cartridge["image"],
  options: { name: string; maxUnpackedBytes?: number },
): Promise<Cartridge> {
  const { name } = options;
  const archive = await readArchive(payload, {
    name,
    maxUnpackedBytes: options.maxUnpackedBytes,
  });
  if (!archive.has(MANIFEST_PATH)) {
    throw new PxosError(
      "E_MANIFEST",
      `expected a ${MANIFEST_PATH} at the cartridge root, found none`,
      { file: name },
    );
  }
  const manifest = parseManifest(await archive.readText(MANIFEST_PATH), `${name}:${MANIFEST_PATH}`);
  checkEntry(manifest, (path) => archive.has(path));
  return { archive, manifest, image, payload };
}
