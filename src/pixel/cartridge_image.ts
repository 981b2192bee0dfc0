/**
 * The pixel payload codec: any byte string into the pixels of a PNG with a label, and back.
 *
 * Image layout (see `docs/FORMAT.md`, "1. Pixel layer"): row 0 holds the 96-byte header in the
 * R, G, B channels of pixels 0..31; the data region at (0, 1) holds the payload 3 bytes per pixel
 * (R, G, B), alpha always 255, so the payload survives RGB↔RGBA conversion, premultiplication and
 * any lossless re-encode; the label sits below the data region.
 *
 * @module
 */

import { PxosError } from "../errors.ts";
import {
  CARTRIDGE_FORMAT_VERSION,
  type CartridgeHeader,
  HEADER_BYTES,
  HEADER_PIXELS,
  parseCartridgeHeader,
  writeCartridgeHeader,
} from "./header.ts";
import type { PixelRect, RgbaImage } from "./image.ts";
import { type CartridgeLabel, LABEL_BACKGROUND, resolveLabel } from "./label.ts";
import { type CartridgeLayout, planCartridgeLayout } from "./layout.ts";
import { decodePngRows, type PngRows } from "./png_decode.ts";
import { encodePngScanlines } from "./png_encode.ts";
import { zlibDeflate } from "./zlib.ts";

/** Options for {@link encodeCartridgeImage}. */
export interface EncodeCartridgeOptions {
  /**
   * The label: PNG bytes of any standard kind, RGBA pixels, or `{ title, subtitle }` to draw
   * one. Default: a generated label titled "pxOS cartridge".
   */
  label?: CartridgeLabel;
  /**
   * How the PNG's zlib stream holds the header and data rows: `"deflate"` compresses them,
   * `"store"` writes them as stored deflate blocks (much faster; right for payloads that are
   * already compressed), `"auto"` (default) stores when the image is RGB and a sample of the
   * payload does not compress. Label rows are always deflated. Every choice is a standard PNG.
   */
  compression?: "auto" | "deflate" | "store";
}

/** A decoded cartridge image. */
export interface DecodedCartridgeImage {
  /** The payload (checked against the header's SHA-256 unless `verifyHash: false`). */
  payload: Uint8Array;
  /** Pixel-layer format version of the image. */
  formatVersion: number;
  /** SHA-256 of the payload from the header, lowercase hex (checked when `verified`). */
  sha256: string;
  /** True when the payload's SHA-256 was computed and matched the header. */
  verified: boolean;
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Where the payload bytes are. */
  dataRegion: PixelRect;
  /** Where the label is. */
  labelRegion: PixelRect;
  /** Payload bytes the data region could hold. */
  capacityBytes: number;
}

/** Options for {@link decodeCartridgeImage}. */
export interface DecodeCartridgeOptions {
  /** Refuse images whose decoded pixels exceed this many bytes (default 256 MiB). */
  maxDecodedBytes?: number;
  /**
   * Check the payload against the header's SHA-256 (default true). Turn off only when a higher
   * layer verifies every payload byte itself (the archive's digests), to hash once, not twice.
   */
  verifyHash?: boolean;
}

/**
 * Stores `payload` in the pixels of a new PNG, above a label.
 *
 * @example
 * ```ts
 * import { decodeCartridgeImage, encodeCartridgeImage } from "@pxos/core";
 * const payload = new TextEncoder().encode("hello, pixels");
 * const png = await encodeCartridgeImage(payload, { label: { title: "Hello", subtitle: "demo" } });
 * const decoded = await decodeCartridgeImage(png);
 * console.log(new TextDecoder().decode(decoded.payload)); // "hello, pixels"
 * ```
 *
 * @param payload bytes to store (up to 128 MiB)
 * @param options the label
 * @returns the PNG file bytes
 * @throws {PxosError} `E_LABEL` for an unusable label, `E_CAPACITY` for a payload too large
 */
export async function encodeCartridgeImage(
  payload: Uint8Array,
  options: EncodeCartridgeOptions = {},
): Promise<Uint8Array> {
  const provisional = planCartridgeLayout(payload.length, 0, 0);
  const side = provisional.dataRegion.height;
  const generatedSize = Math.min(512, Math.max(128, Math.floor(side / 128) * 128));
  const label = await resolveLabel(
    options.label ?? { title: "pxOS cartridge" },
    generatedSize,
  );
  const layout = planCartridgeLayout(payload.length, label.width, label.height);
  const channels = hasTransparency(label) ? 4 : 3;
  const sha256 = new Uint8Array(
    await crypto.subtle.digest("SHA-256", payload as Uint8Array<ArrayBuffer>),
  );
  const header: CartridgeHeader = {
    formatVersion: CARTRIDGE_FORMAT_VERSION,
    payloadLength: payload.length,
    sha256,
    dataRegion: layout.dataRegion,
    labelRegion: layout.labelRegion,
  };
  const scanlines = buildScanlines(layout, channels, writeCartridgeHeader(header), label, payload);
  // Auto stores only RGB images: in RGBA ones a stored alpha byte per pixel would cost a third
  // more file size, which deflate removes.
  const store = options.compression === "store" ||
    ((options.compression ?? "auto") === "auto" && channels === 3 &&
      await looksIncompressible(payload));
  const storedBytes = store ? (1 + layout.dataRegion.height) * (layout.width * channels + 1) : 0;
  return await encodePngScanlines(layout.width, layout.height, channels, scanlines, storedBytes);
}

/**
 * Reads the payload back from a cartridge image: decodes the PNG (any lossless re-encode of it
 * works), reads the header from row 0, copies the data region and checks the SHA-256.
 *
 * @example
 * ```ts
 * import { decodeCartridgeImage, encodeCartridgeImage } from "@pxos/core";
 * const png = await encodeCartridgeImage(Uint8Array.of(1, 2, 3));
 * const { payload, sha256 } = await decodeCartridgeImage(png);
 * console.log(payload, sha256.length); // Uint8Array [1, 2, 3] 64
 * ```
 *
 * @param png the PNG file bytes
 * @param options size budget
 * @returns the payload and what the header says
 * @throws {PxosError} `E_PNG_CORRUPT` (not a readable PNG), `E_PIXEL_HEADER` (no or bad pxOS
 *   header), `E_ARCHIVE_HASH` (payload does not match its SHA-256)
 */
export async function decodeCartridgeImage(
  png: Uint8Array,
  options: DecodeCartridgeOptions = {},
): Promise<DecodedCartridgeImage> {
  const rows = await decodePngRows(png, { maxDecodedBytes: options.maxDecodedBytes });
  const { width, height, channels, data, offset } = rows;
  if (width < HEADER_PIXELS) {
    throw new PxosError(
      "E_PIXEL_HEADER",
      `no pxOS header: the image is ${width} pixels wide, a header needs ${HEADER_PIXELS}`,
    );
  }
  const headerBytes = new Uint8Array(HEADER_BYTES);
  for (let i = 0; i < HEADER_PIXELS; i++) {
    headerBytes[i * 3] = data[offset + i * channels];
    headerBytes[i * 3 + 1] = data[offset + i * channels + 1];
    headerBytes[i * 3 + 2] = data[offset + i * channels + 2];
  }
  const header = parseCartridgeHeader(headerBytes, width, height);
  const payload = extractPayload(rows, header.dataRegion, header.payloadLength);
  const verified = options.verifyHash ?? true;
  if (verified) {
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", payload as Uint8Array<ArrayBuffer>),
    );
    if (!bytesEqual(digest, header.sha256)) {
      throw new PxosError(
        "E_ARCHIVE_HASH",
        `payload SHA-256 mismatch: header says ${toHex(header.sha256)}, pixels give ` +
          `${toHex(digest)} (the data pixels were altered)`,
      );
    }
  }
  const { dataRegion } = header;
  return {
    payload,
    formatVersion: header.formatVersion,
    sha256: toHex(header.sha256),
    verified,
    width,
    height,
    dataRegion,
    labelRegion: header.labelRegion,
    capacityBytes: dataRegion.width * dataRegion.height * 3,
  };
}

/** Writes header, background, label and payload straight into filter-0 scanlines. */
function buildScanlines(
  layout: CartridgeLayout,
  channels: 3 | 4,
  header: Uint8Array,
  label: RgbaImage,
  payload: Uint8Array,
): Uint8Array {
  const { width, height, dataRegion, labelRegion } = layout;
  const stride = width * channels + 1;
  const out = new Uint8Array(stride * height);
  // Background row template (filter byte 0 first), copied onto every row.
  const template = new Uint8Array(stride);
  for (let x = 0; x < width; x++) {
    for (let c = 0; c < channels; c++) template[1 + x * channels + c] = LABEL_BACKGROUND[c];
  }
  for (let y = 0; y < height; y++) out.set(template, y * stride);
  for (let i = 0; i < HEADER_PIXELS; i++) {
    const o = 1 + i * channels;
    out[o] = header[i * 3];
    out[o + 1] = header[i * 3 + 1];
    out[o + 2] = header[i * 3 + 2];
  }
  for (let y = 0; y < labelRegion.height; y++) {
    const row = (labelRegion.y + y) * stride + 1 + labelRegion.x * channels;
    const src = y * label.width * 4;
    if (channels === 4) {
      out.set(label.data.subarray(src, src + label.width * 4), row);
    } else {
      for (let x = 0; x < label.width; x++) {
        out[row + x * 3] = label.data[src + x * 4];
        out[row + x * 3 + 1] = label.data[src + x * 4 + 1];
        out[row + x * 3 + 2] = label.data[src + x * 4 + 2];
      }
    }
  }
  const rowBytes = dataRegion.width * 3;
  for (let y = 0; y < dataRegion.height; y++) {
    const row = (dataRegion.y + y) * stride + 1 + dataRegion.x * channels;
    const start = y * rowBytes;
    const chunk = payload.subarray(Math.min(start, payload.length), start + rowBytes);
    if (channels === 3) {
      out.set(chunk, row);
      out.fill(0, row + chunk.length, row + rowBytes); // padding in the last row is zero
    } else {
      for (let x = 0; x < dataRegion.width; x++) {
        const s = x * 3;
        const o = row + x * 4;
        out[o] = s < chunk.length ? chunk[s] : 0;
        out[o + 1] = s + 1 < chunk.length ? chunk[s + 1] : 0;
        out[o + 2] = s + 2 < chunk.length ? chunk[s + 2] : 0;
        out[o + 3] = 255;
      }
    }
  }
  return out;
}

/** Copies `length` payload bytes out of the data region, row by row. */
function extractPayload(rows: PngRows, region: PixelRect, length: number): Uint8Array {
  const { data, offset, stride, channels } = rows;
  const payload = new Uint8Array(length);
  const rowBytes = region.width * 3;
  for (let y = 0, at = 0; y < region.height && at < length; y++) {
    const row = offset + (region.y + y) * stride + region.x * channels;
    const take = Math.min(rowBytes, length - at);
    if (channels === 3) {
      payload.set(data.subarray(row, row + take), at);
      at += take;
    } else {
      const end = at + take;
      for (let p = row; at < end; p += 4) {
        payload[at++] = data[p];
        if (at < end) payload[at++] = data[p + 1];
        if (at < end) payload[at++] = data[p + 2];
      }
    }
  }
  return payload;
}

/** Below this size deflating everything is cheap enough not to bother sampling. */
const AUTO_STORE_MIN_BYTES = 256 * 1024;
const SAMPLE_BYTES = 16 * 1024;

/** Deflates three 16 KiB samples (cheap next to a full deflate); "incompressible" when they shrink by less than 5%. */
async function looksIncompressible(payload: Uint8Array): Promise<boolean> {
  if (payload.length < AUTO_STORE_MIN_BYTES) return false;
  let before = 0;
  let after = 0;
  for (const start of [0, (payload.length - SAMPLE_BYTES) >> 1, payload.length - SAMPLE_BYTES]) {
    const sample = payload.subarray(start, start + SAMPLE_BYTES);
    before += sample.length;
    after += (await zlibDeflate(sample)).length;
  }
  return after > before * 0.95;
}

function hasTransparency(label: RgbaImage): boolean {
  for (let i = 3; i < label.data.length; i += 4) if (label.data[i] !== 255) return true;
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
