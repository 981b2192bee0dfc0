/**
 * Cartridges: an archive (with its `pxos.json` manifest) stored in the pixels of a PNG image.
 * This module joins layer 0 (pixels) and layer 1 (archive).
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { decodeCartridgeImage } from "../pixel/cartridge_decode.ts";
import { BYTES_PER_DATA_PIXEL } from "../pixel/layout.ts";
import type { Manifest } from "./manifest.ts";
import type { Archive } from "./reader.ts";
import { openCartridgePayload } from "./cartridge_payload.ts";
import { checkCartridgeFiles } from "./cartridge_check.ts";
import { type ArchiveInput, packArchive } from "./writer.ts";

export { checkCartridgeFiles } from "./cartridge_check.ts";

/** Options for {@link packCartridge}. */
export interface PackCartridgeOptions {
  /** PNG bytes of the label image shown beside the data; generated from the manifest if absent. */
  label?: Uint8Array;
  /** Deflate members when smaller (default `true`). */
  compress?: boolean;
  /** Signature block to carry (see the signing API). */
  trailer?: Uint8Array;
  /** Progress callback (content bytes processed, total). */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link packCartridge} made. */
export interface PackedCartridge {
  /** The cartridge: PNG bytes. */
  png: Uint8Array;
  /** The validated manifest. */
  manifest: Manifest;
  /** Size of the archive payload stored in the pixels. */
  payloadBytes: number;
}

/**
 * Packs files (which must include a valid `pxos.json` whose entry is one of the files) into a
 * cartridge PNG.
 *
 * @example
 * ```ts
 * import { openCartridge, packCartridge } from "@pxos/core";
 * const text = (s: string) => new TextEncoder().encode(s);
 * const { png } = await packCartridge([
 *   { path: "pxos.json", data: text('{"name":"demo","version":"1.0.0","entry":"main.pxasm"}') },
 *   { path: "main.pxasm", data: text("PUSH 42\nPRINT\nHALT\n") },
 * ]);
 * const cart = await openCartridge(png);
 * console.log(cart.manifest.name); // "demo"
 * ```
 */
export async function packCartridge(
  files: readonly ArchiveInput[],
  options: PackCartridgeOptions = {},
): Promise<PackedCartridge> {
  const { manifest, payload, label } = await cartridgePayload(files, options);
  // The image encoder (label font, PNG writer) is loaded only by what packs: reading needs none.
  const { encodeCartridgeImage } = await import("../pixel/cartridge_image.ts");
  const png = await encodeCartridgeImage(payload, { label });
  return { png, manifest, payloadBytes: payload.length };
}

/**
 * Packs files into a cartridge PNG handed to `sink` piece by piece ({@link packCartridge}'s bytes
 * exactly): no image-sized buffer beside the archive payload, so packing a large tree needs
 * about the payload's size in memory, not several times it.
 *
 * @example
 * ```ts
 * import { packCartridgeToSink } from "@pxos/core";
 * const text = (s: string) => new TextEncoder().encode(s);
 * let size = 0;
 * await packCartridgeToSink([
 *   { path: "pxos.json", data: text('{"name":"demo","version":"1.0.0","entry":"main.pxasm"}') },
 *   { path: "main.pxasm", data: text("PUSH 42\nPRINT\nHALT\n") },
 * ], async (bytes) => { size += bytes.length; });
 * console.log(size > 0);
 * ```
 */
export async function packCartridgeToSink(
  files: readonly ArchiveInput[],
  sink: (bytes: Uint8Array) => Promise<void>,
  options: PackCartridgeOptions = {},
): Promise<{ manifest: Manifest; payloadBytes: number; imageBytes: number }> {
  const { manifest, payload, label } = await cartridgePayload(files, options);
  const { streamCartridgeImage } = await import("../pixel/cartridge_image_stream.ts");
  let imageBytes = 0;
  await streamCartridgeImage(payload, (bytes) => {
    imageBytes += bytes.length;
    return sink(bytes);
  }, { label });
  return { manifest, payloadBytes: payload.length, imageBytes };
}

/** The manifest checked, the archive payload packed, and the label to draw. */
async function cartridgePayload(files: readonly ArchiveInput[], options: PackCartridgeOptions) {
  const { manifest, label } = checkCartridgeFiles(files, options);
  const payload = await packArchive(files, {
    compress: options.compress,
    trailer: options.trailer,
    onProgress: options.onProgress,
  });
  return { manifest, payload, label };
}

/** An opened cartridge: its archive (header, index and digest checked) and its manifest. */
export interface Cartridge {
  /** The archive; member contents are hash-checked as they are read. */
  archive: Archive;
  /** The validated manifest. */
  manifest: Manifest;
  /** Facts about the image that carried it. */
  image: {
    width: number;
    height: number;
    payloadBytes: number;
    dataPixels: number;
    regionPixels: number;
  };
  /**
   * The archive payload as the pixels carried it (the archive's data is a view of it, so keeping
   * it costs no memory): `pxos boot` hands a small one to its sandbox process with the plan.
   */
  payload?: Uint8Array;
}

/** Options for {@link openCartridge}. */
export interface OpenCartridgeOptions {
  /** Name used in error messages (e.g. the file name). */
  name?: string;
  /** Largest total content size the archive may declare (default 1 GiB). */
  maxUnpackedBytes?: number;
  /**
   * Check the pixel layer's SHA-256 of the whole payload (default `true`). Callers that read
   * every member anyway (unpack, boot) may skip it: the archive digest covers header and index,
   * each member's hash covers its data, and the signature check covers the trailer, so every
   * payload byte that is used is still checked — once instead of twice.
   */
  verifyPayloadHash?: boolean;
  /**
   * The caller gives up `png`: the payload may be decoded over its bytes instead of into fresh
   * memory (see `decodeCartridgeImage`'s `consumeInput`; an image that needs the general decoder
   * after that is refused with `E_PNG_CORRUPT`: open a fresh copy without this option).
   */
  consumeInput?: boolean;
}

/**
 * Opens a cartridge PNG: decodes the pixel payload (checking its SHA-256), parses the archive and
 * validates the manifest.
 *
 * @param name used in error messages (e.g. the file name)
 * @example
 * ```ts ignore
 * import { openCartridge } from "@pxos/core";
 * const cart = await openCartridge(await Deno.readFile("hello.pxa"), { name: "hello.pxa" });
 * console.log(cart.manifest.entry);
 * ```
 */
export async function openCartridge(
  png: Uint8Array,
  options: OpenCartridgeOptions = {},
): Promise<Cartridge> {
  const name = options.name ?? "cartridge";
  const decoded = await decodeCartridgeImage(png, {
    verifyHash: options.verifyPayloadHash ?? true,
    consumeInput: options.consumeInput,
  })
    .catch((e) => {
      throw e instanceof PxosError && e.file === undefined
        ? new PxosError(e.code, e.message, { file: name, cause: e })
        : e;
    });
  return await openCartridgePayload(decoded.payload, {
    width: decoded.width,
    height: decoded.height,
    payloadBytes: decoded.payload.length,
    dataPixels: Math.ceil(decoded.payload.length / BYTES_PER_DATA_PIXEL),
    regionPixels: decoded.dataRegion.width * decoded.dataRegion.height,
  }, { name, maxUnpackedBytes: options.maxUnpackedBytes });
}
