/**
 * Decodes any standard PNG (palette, grayscale, gray+alpha, RGB, RGBA; 1–16 bits; interlaced or
 * not) to 8-bit RGBA. Used for label images and as the fallback for cartridge images another
 * tool re-saved in a different PNG kind.
 *
 * The pixel decoding itself is the `fast-png` library's, behind guards it lacks: our chunk
 * reader checks structure, CRCs and size first, the IDAT stream is inflated once with a hard
 * size cap (so a zip bomb never reaches the library, which inflates without limit), and the
 * library only ever sees a rebuilt PNG of critical chunks (so an `iCCP` bomb cannot reach it
 * either). fast-png 8.0.0 mis-decodes Adam7 images with bit depths below 8 (it treats each
 * pixel as a whole byte); those are deinterlaced here from the capped inflate instead.
 *
 * @module
 */

import { preloadNativeZlibFor } from "../native_modules.ts";
import { PxosError, type PxosErrorCode } from "../errors.ts";
import type { RgbaImage } from "./image.ts";
import {
  ADAM7_PASSES,
  adam7PassSize,
  ColorType,
  ihdrBody,
  inflatedSize,
  PNG_SIGNATURE,
  pngChunk,
  type PngChunks,
  type PngHeader,
  readPngChunks,
  scanlineBytes,
} from "./png_chunks.ts";
import { unfilterScanlines } from "./png_filters.ts";
import { zlibInflateExact } from "./zlib.ts";

/** Options for {@link decodePngToRgba}. */
export interface DecodeToRgbaOptions {
  /** Code for every refusal (default `E_LABEL`). */
  code?: PxosErrorCode;
  /** Refuse images whose RGBA8 pixels would exceed this many bytes. */
  maxDecodedBytes?: number;
}

/** Largest label accepted by default: 64 MiB of RGBA (4096x4096). */
export const DEFAULT_MAX_LABEL_BYTES = 4096 * 4096 * 4;

/**
 * Decodes any standard PNG to 8-bit RGBA (16-bit samples are scaled with rounding, palettes and
 * `tRNS` transparency are applied, gray becomes R=G=B).
 *
 * @example
 * ```ts
 * import { decodePngToRgba, encodePng } from "@pxos/core";
 * const png = await encodePng({ width: 1, height: 1, channels: 3, pixels: Uint8Array.of(9, 8, 7) });
 * const { data } = await decodePngToRgba(png);
 * console.log(data); // Uint8Array [9, 8, 7, 255]
 * ```
 *
 * @param bytes the PNG file
 * @param options error code and size budget
 * @returns the image as RGBA8
 * @throws {PxosError} `E_LABEL` (or `options.code`) for anything that is not a readable PNG
 */
export async function decodePngToRgba(
  bytes: Uint8Array,
  options: DecodeToRgbaOptions = {},
): Promise<RgbaImage> {
  await preloadNativeZlibFor(bytes.length); // native CRC-32 for a large image
  const code = options.code ?? "E_LABEL";
  const chunks = readPngChunks(bytes, { code, maxDecodedBytes: options.maxDecodedBytes });
  return await decodeChunksToRgba(chunks, code);
}

/**
 * {@link decodePngToRgba} for chunks already read (saves a second parse).
 *
 * @param chunks the PNG's chunks from `readPngChunks`
 * @param code code for every refusal
 * @returns the image as RGBA8
 */
export async function decodeChunksToRgba(
  chunks: PngChunks,
  code: PxosErrorCode,
): Promise<RgbaImage> {
  const { header } = chunks;
  // Inflate once under a hard cap: proves the stream is neither a bomb nor short.
  const raw = await zlibInflateExact(chunks.idat, inflatedSize(header), {
    code,
    what: "IDAT data",
    offset: chunks.idatOffset,
  });
  let samples: Uint8Array | Uint16Array;
  if (header.interlace === 1 && header.bitDepth < 8) {
    samples = deinterlaceSubByte(raw, header, code, chunks.idatOffset);
  } else {
    samples = await decodeWithFastPng(chunks, code);
    if (header.bitDepth < 8) samples = unpackRows(samples as Uint8Array, header);
  }
  const expected = header.width * header.height * header.channels;
  if (samples.length !== expected) {
    throw new PxosError(code, `decoded ${samples.length} samples, expected ${expected}`);
  }
  return {
    width: header.width,
    height: header.height,
    data: samplesToRgba(samples, header, chunks),
  };
}

/**
 * Runs fast-png on a rebuilt PNG of critical chunks; wraps its errors. Imported here, when a label
 * is decoded, not with this module: loading an npm package starts Deno's Node compatibility layer,
 * which measured 190–310 ms of every `pxos` start-up that imported it.
 */
async function decodeWithFastPng(
  chunks: PngChunks,
  code: PxosErrorCode,
): Promise<Uint8Array | Uint16Array> {
  const { decode: fastPngDecode } = await import("fast-png");
  const { header } = chunks;
  const parts = [
    PNG_SIGNATURE,
    pngChunk(
      "IHDR",
      ihdrBody(header.width, header.height, header.colorType, header.bitDepth, header.interlace),
    ),
  ];
  if (chunks.palette) parts.push(pngChunk("PLTE", chunks.palette));
  for (const body of chunks.idat) parts.push(pngChunk("IDAT", body));
  parts.push(pngChunk("IEND", new Uint8Array(0)));
  const rebuilt = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    rebuilt.set(part, at);
    at += part.length;
  }
  try {
    return fastPngDecode(rebuilt).data as Uint8Array | Uint16Array;
  } catch (e) {
    throw new PxosError(
      code,
      `cannot decode PNG pixels: ${e instanceof Error ? e.message : String(e)}`,
      { offset: chunks.idatOffset, cause: e },
    );
  }
}

/** Spreads packed 1/2/4-bit rows (one channel) into one byte per sample. */
function unpackRows(packed: Uint8Array, header: PngHeader): Uint8Array {
  const { width, height, bitDepth } = header;
  const rowBytes = scanlineBytes(header);
  if (packed.length < rowBytes * height) return packed; // caught by the caller's size check
  const out = new Uint8Array(width * height);
  const mask = (1 << bitDepth) - 1;
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++) {
      const bit = x * bitDepth;
      out[y * width + x] = (packed[row + (bit >> 3)] >> (8 - bitDepth - (bit & 7))) & mask;
    }
  }
  return out;
}

/** Adam7 with 1/2/4-bit samples (one channel): unfilter each pass and scatter its samples. */
function deinterlaceSubByte(
  raw: Uint8Array,
  header: PngHeader,
  code: PxosErrorCode,
  fileOffset: number,
): Uint8Array {
  const { width, bitDepth } = header;
  const out = new Uint8Array(width * header.height);
  const mask = (1 << bitDepth) - 1;
  let start = 0;
  for (const pass of ADAM7_PASSES) {
    const size = adam7PassSize(header, pass);
    if (size.width === 0 || size.height === 0) continue;
    const rowBytes = scanlineBytes(header, size.width);
    unfilterScanlines(raw, start, size.height, rowBytes, 1, code, fileOffset);
    for (let py = 0; py < size.height; py++) {
      const row = start + py * (rowBytes + 1) + 1;
      const y = pass.y + py * pass.dy;
      for (let px = 0; px < size.width; px++) {
        const bit = px * bitDepth;
        out[y * width + pass.x + px * pass.dx] =
          (raw[row + (bit >> 3)] >> (8 - bitDepth - (bit & 7))) & mask;
      }
    }
    start += size.height * (rowBytes + 1);
  }
  return out;
}

/** One sample per entry (at the image's bit depth) to RGBA8. */
function samplesToRgba(
  samples: Uint8Array | Uint16Array,
  header: PngHeader,
  chunks: PngChunks,
): Uint8Array {
  const { bitDepth, colorType, channels } = header;
  const pixelCount = header.width * header.height;
  const out = new Uint8Array(pixelCount * 4);
  const maxSample = (1 << bitDepth) - 1;
  // Scale a sample to 8 bits, rounding to nearest (v * 255 / max), as ImageMagick does.
  const to8 = (v: number): number =>
    bitDepth === 16 ? Math.round(v / 257) : bitDepth === 8 ? v : Math.round((v * 255) / maxSample);
  const trns = chunks.transparency;
  if (colorType === ColorType.PALETTE) {
    const palette = chunks.palette!;
    const entries = palette.length / 3;
    for (let i = 0; i < pixelCount; i++) {
      const index = samples[i];
      const o = i * 4;
      if (index < entries) {
        out[o] = palette[index * 3];
        out[o + 1] = palette[index * 3 + 1];
        out[o + 2] = palette[index * 3 + 2];
        out[o + 3] = trns !== undefined && index < trns.length ? trns[index] : 255;
      } else {
        out[o + 3] = 255; // out-of-range index: opaque black, as lenient decoders do
      }
    }
    return out;
  }
  const key = colorKey(trns, colorType);
  for (let i = 0; i < pixelCount; i++) {
    const s = i * channels;
    const o = i * 4;
    if (colorType === ColorType.GRAY || colorType === ColorType.GRAY_ALPHA) {
      const g = to8(samples[s]);
      out[o] = out[o + 1] = out[o + 2] = g;
      out[o + 3] = colorType === ColorType.GRAY_ALPHA
        ? to8(samples[s + 1])
        : key !== undefined && samples[s] === key[0]
        ? 0
        : 255;
    } else {
      out[o] = to8(samples[s]);
      out[o + 1] = to8(samples[s + 1]);
      out[o + 2] = to8(samples[s + 2]);
      if (colorType === ColorType.RGBA) {
        out[o + 3] = to8(samples[s + 3]);
      } else {
        const keyed = key !== undefined && samples[s] === key[0] && samples[s + 1] === key[1] &&
          samples[s + 2] === key[2];
        out[o + 3] = keyed ? 0 : 255;
      }
    }
  }
  return out;
}

/** The tRNS colour key of a gray (1 value) or RGB (3 values) image, as 16-bit big-endian. */
function colorKey(trns: Uint8Array | undefined, colorType: number): number[] | undefined {
  const count = colorType === ColorType.GRAY ? 1 : colorType === ColorType.RGB ? 3 : 0;
  if (trns === undefined || count === 0 || trns.length < count * 2) return undefined;
  const key: number[] = [];
  for (let i = 0; i < count; i++) key.push((trns[i * 2] << 8) | trns[i * 2 + 1]);
  return key;
}
