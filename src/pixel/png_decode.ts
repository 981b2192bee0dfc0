/**
 * Our own PNG decoder for cartridge images (8-bit RGB or RGBA, not interlaced).
 *
 * Why not the label library: a cartridge can carry a 64 MiB payload, and this path inflates
 * straight into one pre-sized buffer with the native inflater, undoes filters in place and never
 * inflates past the size IHDR implies — fast, and memory bounded by the image size even for a
 * zip bomb. Any other PNG kind (a cartridge that another tool re-saved as palette, grayscale or
 * 16-bit) falls back to the general decoder in `label_decode.ts`.
 *
 * @module
 */

import { PxosError } from "../errors.ts";
import type { PixelImage } from "./image.ts";
import { decodeChunksToRgba } from "./label_decode.ts";
import {
  ColorType,
  inflatedSize,
  type PngChunks,
  readPngChunks,
  scanlineBytes,
} from "./png_chunks.ts";
import { unfilterScanlines } from "./png_filters.ts";
import { zlibInflateExact } from "./zlib.ts";

/** Options for {@link decodePng}. */
export interface DecodePngOptions {
  /** Refuse images whose decoded pixels would exceed this many bytes (default 256 MiB). */
  maxDecodedBytes?: number;
}

/**
 * Decodes any standard PNG to 8-bit pixels: RGB and RGBA 8-bit images keep their channel count
 * (fast path); every other kind (palette, grayscale, 16-bit, interlaced) becomes RGBA.
 *
 * @example
 * ```ts
 * import { decodePng, encodePng } from "@pxos/core";
 * const png = await encodePng({ width: 1, height: 1, channels: 3, pixels: Uint8Array.of(1, 2, 3) });
 * const image = await decodePng(png);
 * console.log(image.width, image.channels, image.pixels); // 1 3 Uint8Array [1, 2, 3]
 * ```
 *
 * @param bytes the PNG file
 * @param options size budget
 * @returns the pixels
 * @throws {PxosError} `E_PNG_CORRUPT` with the offset and chunk for anything malformed
 */
export async function decodePng(
  bytes: Uint8Array,
  options: DecodePngOptions = {},
): Promise<PixelImage> {
  const chunks = readPngChunks(bytes, {
    code: "E_PNG_CORRUPT",
    maxDecodedBytes: options.maxDecodedBytes,
  });
  const { header } = chunks;
  const fastPath = header.bitDepth === 8 && header.interlace === 0 &&
    (header.colorType === ColorType.RGB || header.colorType === ColorType.RGBA) &&
    chunks.transparency === undefined;
  if (!fastPath) {
    const rgba = await decodeChunksToRgba(chunks, "E_PNG_CORRUPT");
    return { width: rgba.width, height: rgba.height, channels: 4, pixels: rgba.data };
  }
  return await decodeTruecolor8(chunks);
}

async function decodeTruecolor8(chunks: PngChunks): Promise<PixelImage> {
  const { header } = chunks;
  const channels = header.channels as 3 | 4;
  const rowBytes = scanlineBytes(header);
  const raw = await zlibInflateExact(chunks.idat, inflatedSize(header), {
    code: "E_PNG_CORRUPT",
    what: "IDAT data",
    offset: chunks.idatOffset,
  });
  unfilterScanlines(raw, 0, header.height, rowBytes, channels, "E_PNG_CORRUPT", chunks.idatOffset);
  // Drop the filter bytes by sliding each row left; rows only ever move towards the start.
  for (let y = 0; y < header.height; y++) {
    const from = y * (rowBytes + 1) + 1;
    raw.copyWithin(y * rowBytes, from, from + rowBytes);
  }
  const pixels = raw.subarray(0, rowBytes * header.height);
  if (pixels.length !== header.width * header.height * channels) {
    throw new PxosError("E_PNG_CORRUPT", "internal size mismatch after unfiltering");
  }
  return { width: header.width, height: header.height, channels, pixels };
}
