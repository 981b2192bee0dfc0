/**
 * Our own PNG encoder for 8-bit RGB/RGBA images: filter type 0 (None) on every row — cartridge
 * data rows are mostly compressed or random bytes where no filter helps, and None costs nothing —
 * then one native `CompressionStream("deflate")` pass, split into IDAT chunks.
 *
 * @module
 */

import { PxosError } from "../errors.ts";
import { crc32 } from "./crc32.ts";
import type { PixelImage } from "./image.ts";
import { ColorType, ihdrBody, MAX_PNG_DIMENSION, PNG_SIGNATURE, pngChunk } from "./png_chunks.ts";
import { zlibDeflate, zlibStoreThenDeflate } from "./zlib.ts";

/** IDAT chunk body size the encoder writes (readers accept any; 1 MiB keeps CRCs cheap). */
export const IDAT_CHUNK_BYTES = 1 << 20;

/**
 * Encodes an 8-bit RGB or RGBA image as a PNG.
 *
 * @example
 * ```ts
 * import { encodePng } from "@pxos/core";
 * const red = { width: 2, height: 1, channels: 4 as const, pixels: Uint8Array.of(255, 0, 0, 255, 255, 0, 0, 255) };
 * const png = await encodePng(red);
 * console.log(png.length > 50);
 * ```
 *
 * @param image pixels to encode
 * @returns the PNG file bytes
 * @throws {PxosError} `E_USAGE` when sizes and buffer length disagree
 */
export async function encodePng(image: PixelImage): Promise<Uint8Array> {
  const { width, height, channels, pixels } = image;
  checkSize(width, height, channels);
  const rowBytes = width * channels;
  if (pixels.length !== rowBytes * height) {
    throw new PxosError(
      "E_USAGE",
      `expected ${rowBytes * height} pixel bytes for ${width}x${height}x${channels}, ` +
        `found ${pixels.length}`,
    );
  }
  const scanlines = new Uint8Array((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    scanlines.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }
  return await encodePngScanlines(width, height, channels, scanlines);
}

/**
 * Encodes already filtered scanlines (`[filter byte, width * channels bytes]` per row) as a PNG.
 * Lets the cartridge encoder build rows in place without one more full-image copy.
 *
 * @param width image width
 * @param height image height
 * @param channels 3 (RGB) or 4 (RGBA)
 * @param scanlines `(width * channels + 1) * height` bytes
 * @param storedBytes leading scanline bytes to write as stored (uncompressed) deflate blocks;
 *   0 deflates everything
 * @returns the PNG file bytes
 */
export async function encodePngScanlines(
  width: number,
  height: number,
  channels: 3 | 4,
  scanlines: Uint8Array,
  storedBytes = 0,
): Promise<Uint8Array> {
  checkSize(width, height, channels);
  if (scanlines.length !== (width * channels + 1) * height) {
    throw new PxosError("E_USAGE", "scanline buffer size does not match the image size");
  }
  const compressed = storedBytes > 0
    ? await zlibStoreThenDeflate(scanlines, storedBytes)
    : await zlibDeflate(scanlines);
  const ihdr = pngChunk(
    "IHDR",
    ihdrBody(width, height, channels === 3 ? ColorType.RGB : ColorType.RGBA),
  );
  const iend = pngChunk("IEND", new Uint8Array(0));
  const idatCount = Math.max(1, Math.ceil(compressed.length / IDAT_CHUNK_BYTES));
  const total = PNG_SIGNATURE.length + ihdr.length + compressed.length + 12 * idatCount +
    iend.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(PNG_SIGNATURE, 0);
  out.set(ihdr, PNG_SIGNATURE.length);
  let at = PNG_SIGNATURE.length + ihdr.length;
  for (let i = 0; i < idatCount; i++) {
    const body = compressed.subarray(i * IDAT_CHUNK_BYTES, (i + 1) * IDAT_CHUNK_BYTES);
    view.setUint32(at, body.length);
    out.set([73, 68, 65, 84], at + 4); // "IDAT"
    out.set(body, at + 8);
    view.setUint32(at + 8 + body.length, crc32(out.subarray(at + 4, at + 8 + body.length)));
    at += 12 + body.length;
  }
  out.set(iend, at);
  return out;
}

function checkSize(width: number, height: number, channels: number): void {
  const ok = Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1 &&
    width <= MAX_PNG_DIMENSION && height <= MAX_PNG_DIMENSION && (channels === 3 || channels === 4);
  if (!ok) {
    throw new PxosError(
      "E_USAGE",
      `cannot encode a ${width}x${height} image with ${channels} channels ` +
        `(1..${MAX_PNG_DIMENSION} pixels per side, 3 or 4 channels)`,
    );
  }
}
