/**
 * `pxos pack`'s writing path: a cartridge made from files straight into a file on disk, holding
 * one member at a time rather than the payload. The archive's data goes to a temporary file beside
 * the output as it is packed (`payload_spill.ts`); once the head and the payload's SHA-256 are
 * known, the PNG is streamed from that file, through reused buffers, into the output's own
 * temporary file, which is renamed into place. The bytes are exactly {@link packCartridge}'s.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { PackCartridgeOptions } from "./cartridge.ts";
import { checkCartridgeFiles } from "./cartridge_check.ts";
import { releaseDeflateEngine } from "./deflate_engine.ts";
import type { Manifest } from "./manifest.ts";
import { writeFileAtomicStreamed } from "./directory.ts";
import { describeFsError } from "./fs_checks.ts";
import { PayloadSpill } from "./payload_spill.ts";
import { type ArchiveInput, packArchiveTo } from "./writer.ts";

/** What {@link packCartridgeToFile} wrote. */
export interface PackedCartridgeFile {
  /** The validated manifest. */
  manifest: Manifest;
  /** Size of the archive payload stored in the pixels. */
  payloadBytes: number;
  /** Size of the PNG written. */
  imageBytes: number;
}

/**
 * Packs `files` into a cartridge written to `output` (complete or not at all). Every temporary
 * file is removed on success, on failure, and on Ctrl-C.
 *
 * @example
 * ```ts ignore
 * import { collectDirectory } from "./directory.ts";
 * await packCartridgeToFile(await collectDirectory("examples/hello"), "hello.pxa");
 * ```
 */
export async function packCartridgeToFile(
  files: readonly ArchiveInput[],
  output: string,
  options: PackCartridgeOptions = {},
): Promise<PackedCartridgeFile> {
  const { manifest, label } = checkCartridgeFiles(files, options);
  const spill = await PayloadSpill.create(output);
  try {
    const { head, length } = await packArchiveTo(files, spill, {
      compress: options.compress,
      trailer: options.trailer,
      onProgress: options.onProgress,
    }).catch(asIoError(spill.path));
    releaseDeflateEngine(); // every member is packed: its memory serves the image instead
    const payloadSha256 = await spill.finish(head, length).catch(asIoError(spill.path));
    const { streamCartridgeImageFrom } = await import("../pixel/cartridge_image_stream.ts");
    let imageBytes = 0;
    await writeFileAtomicStreamed(output, async (write) => {
      await streamCartridgeImageFrom(spill, payloadSha256, (bytes) => {
        imageBytes += bytes.length;
        return write(bytes);
      }, { label });
    });
    return { manifest, payloadBytes: length, imageBytes };
  } finally {
    spill.remove();
  }
}

/** A failure of the temporary file itself (a full disk, say) as `E_IO` naming it. */
function asIoError(path: string): (e: unknown) => never {
  return (e) => {
    if (e instanceof PxosError) throw e;
    throw new PxosError("E_IO", `could not write a temporary file: ${describeFsError(e)}`, {
      file: path,
      cause: e,
    });
  };
}
