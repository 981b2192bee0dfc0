/**
 * Our own PNG decoder for 8-bit RGB or RGBA images, not interlaced (`decodePng`).
 *
 * Why not the label library: this path inflates straight into one pre-sized buffer with the
 * native inflater, undoes filters in place and never inflates past the size IHDR implies — fast,
 * and memory bounded by the image size even for a zip bomb. Any other PNG kind (palette,
 * grayscale, 16-bit, interlaced) falls back to the general decoder in `label_decode.ts`.
 * Cartridge images do not come through here: `cartridge_decode.ts` reads their rows as they
 * inflate, without a buffer for the whole image.
 *
 * @module
 */

import { preloadNativeZlibFor } from "../native_modules.ts";
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
  const rows = await decodePngRows(bytes, options);
  const { width, height, channels, data, offset, stride } = rows;
  const rowBytes = width * channels;
  if (offset === 0 && stride === rowBytes) {
    return { width, height, channels, pixels: data.subarray(0, rowBytes * height) };
  }
  // Drop the filter bytes by sliding each row left; rows only ever move towards the start.
  for (let y = 0; y < height; y++) {
    const from = offset + y * stride;
    data.copyWithin(y * rowBytes, from, from + rowBytes);
  }
  return { width, height, channels, pixels: data.subarray(0, rowBytes * height) };
}

/** Decoded pixels left where the decoder put them: row `y` starts at `offset + y * stride`. */
export interface PngRows {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** 3 (RGB) or 4 (RGBA) bytes per pixel. */
  channels: 3 | 4;
  /** The buffer holding the rows. */
  data: Uint8Array;
  /** Offset of row 0. */
  offset: number;
  /** Distance between rows in bytes. */
  stride: number;
}

/**
 * Like {@link decodePng} but skips compacting the rows: they stay where the decoder put them,
 * each after its filter byte.
 *
 * @param bytes the PNG file
 * @param options size budget
 * @returns the rows in place
 */
export async function decodePngRows(
  bytes: Uint8Array,
  options: DecodePngOptions = {},
): Promise<PngRows> {
  await preloadNativeZlibFor(bytes.length); // native CRC-32 for a large image
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
    return {
      width: rgba.width,
      height: rgba.height,
      channels: 4,
      data: rgba.data,
      offset: 0,
      stride: rgba.width * 4,
    };
  }
  return await decodeTruecolor8(chunks);
}

async function decodeTruecolor8(chunks: PngChunks): Promise<PngRows> {
  const { header } = chunks;
  const channels = header.channels as 3 | 4;
  const rowBytes = scanlineBytes(header);
  const raw = await zlibInflateExact(chunks.idat, inflatedSize(header), {
    code: "E_PNG_CORRUPT",
    what: "IDAT data",
    offset: chunks.idatOffset,
  });
  unfilterScanlines(raw, 0, header.height, rowBytes, channels, "E_PNG_CORRUPT", chunks.idatOffset);
  return {
    width: header.width,
    height: header.height,
    channels,
    data: raw,
    offset: 1,
    stride: rowBytes + 1,
  };
}
