/**
 * What packing checks about a cartridge's files before any member is packed, kept apart from
 * `cartridge.ts` so that `pxos pack` does not load the reading side (the image decoder, the
 * archive reader) just to check a manifest.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { CartridgeLabel } from "../pixel/label.ts";
import { type Manifest, MANIFEST_PATH, parseManifest } from "./manifest.ts";
import type { ArchiveInput } from "./writer.ts";

/**
 * What packing checks before any member is packed: a valid `pxos.json` whose entry is one of the
 * files. Returns the manifest and the label to draw (`options.label`, or one made from the
 * manifest).
 *
 * @example
 * ```ts
 * import { checkCartridgeFiles } from "@pxos/core";
 * const text = (s: string) => new TextEncoder().encode(s);
 * const { manifest } = checkCartridgeFiles([
 *   { path: "pxos.json", data: text('{"name":"demo","version":"1.0.0","entry":"main.pxasm"}') },
 *   { path: "main.pxasm", data: text("HALT\n") },
 * ]);
 * console.log(manifest.entry); // "main.pxasm"
 * ```
 */
export function checkCartridgeFiles(
  files: readonly ArchiveInput[],
  options: { label?: Uint8Array } = {},
): { manifest: Manifest; label: CartridgeLabel } {
  const manifestFile = files.find((f) => f.path === MANIFEST_PATH);
  if (!manifestFile || manifestFile.directory) {
    throw new PxosError("E_MANIFEST", `expected a ${MANIFEST_PATH} file at the root, found none`);
  }
  const manifest = parseManifest(decodeUtf8(manifestFile.data, MANIFEST_PATH), MANIFEST_PATH);
  checkEntry(manifest, (path) => files.some((f) => f.path === path && !f.directory));
  const label = options.label ??
    { title: manifest.title, subtitle: `${manifest.name} ${manifest.version}` };
  return { manifest, label };
}

/** Refuses a manifest whose entry is not a file that `exists`. */
export function checkEntry(manifest: Manifest, exists: (path: string) => boolean): void {
  if (!exists(manifest.entry)) {
    throw new PxosError(
      "E_MANIFEST",
      `entry: expected a file of the cartridge, found no ${JSON.stringify(manifest.entry)}`,
    );
  }
}

function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new PxosError("E_MANIFEST", "expected UTF-8 text, found invalid bytes", { file: where });
  }
}
