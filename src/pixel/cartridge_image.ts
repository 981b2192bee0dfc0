/**
 * The pixel payload codec: any byte string into the pixels of a PNG with a label (reading it
 * back is `cartridge_decode.ts`).
 *
 * Image layout (see `docs/FORMAT.md`, "1. Pixel layer"): row 0 holds the 96-byte header in the
 * R, G, B channels of pixels 0..31; the data region at (0, 1) holds the payload 3 bytes per pixel
 * (R, G, B), alpha always 255, so the payload survives RGB↔RGBA conversion, premultiplication and
 * any lossless re-encode; the label sits below the data region.
 *
 * @module
 */

import {
  CARTRIDGE_FORMAT_VERSION,
  type CartridgeHeader,
  HEADER_PIXELS,
  writeCartridgeHeader,
} from "./header.ts";
import type { RgbaImage } from "./image.ts";
import { type CartridgeLabel, LABEL_BACKGROUND, resolveLabel } from "./label.ts";
import { type CartridgeLayout, planCartridgeLayout } from "./layout.ts";
import { encodePngScanlines } from "./png_encode.ts";
import { zlibDeflate } from "./zlib.ts";
import { sha256 } from "../sha256.ts";

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
  return await encodePlannedImage(await planCartridgeImage(payload, options));
}

/**
 * A payload the encoders read piece by piece instead of holding it: `pxos pack` keeps a large
 * archive in a temporary file, not in memory, while its image is written.
 */
export interface PayloadSource {
  /** Its length in bytes. */
  readonly length: number;
  /**
   * Bytes `[at, at + length)` (fewer past the end), valid until the next call: a view of the
   * source's own memory or of a buffer it reuses.
   */
  read(at: number, length: number): Uint8Array;
}

/** A payload in memory as a {@link PayloadSource}: reads are views, nothing is copied. */
function inMemory(payload: Uint8Array): PayloadSource {
  return {
    length: payload.length,
    read: (at, length) => payload.subarray(Math.min(at, payload.length), at + length),
  };
}

/** Everything the encoders need, decided once from the payload and the options. */
export interface CartridgeImagePlan {
  /** Where header, data and label go. */
  layout: CartridgeLayout;
  /** 3 (RGB) or 4 (RGBA, when the label has transparency). */
  channels: 3 | 4;
  /** The 96-byte pixel header. */
  header: Uint8Array;
  /** The label's pixels. */
  label: RgbaImage;
  /**
   * True when {@link label}'s pixels were made for this plan (drawn or decoded), not handed in by
   * the caller: the streaming encoder frees them once the label rows are built.
   */
  labelOwned: boolean;
  /** The payload, read row by row as the scanlines are built. */
  payload: PayloadSource;
  /**
   * Leading scanline bytes (header row and data rows) to write as stored deflate blocks; 0 when
   * everything is deflated.
   */
  storedBytes: number;
}

/**
 * Decides a cartridge image: the label, the layout, the channels, the header (with the payload's
 * SHA-256) and whether the data rows are stored or deflated.
 */
export async function planCartridgeImage(
  payload: Uint8Array,
  options: EncodeCartridgeOptions = {},
): Promise<CartridgeImagePlan> {
  // Native for a large payload: WebCrypto copies its input.
  return await planCartridgeImageOf(inMemory(payload), await sha256(payload), options);
}

/** {@link planCartridgeImage} for a payload read piece by piece, whose SHA-256 is known. */
export async function planCartridgeImageOf(
  payload: PayloadSource,
  payloadSha256: Uint8Array,
  options: EncodeCartridgeOptions = {},
): Promise<CartridgeImagePlan> {
  const provisional = planCartridgeLayout(payload.length, 0, 0);
  const side = provisional.dataRegion.height;
  const generatedSize = Math.min(512, Math.max(128, Math.floor(side / 128) * 128));
  const given = options.label ?? { title: "pxOS cartridge" };
  const label = await resolveLabel(given, generatedSize);
  const layout = planCartridgeLayout(payload.length, label.width, label.height);
  // A drawn label is opaque (every colour of `label.ts` has alpha 255): its 1 MiB at 512 × 512
  // is not scanned, cold, for transparency (2–8 ms of a 16 MiB pack, CPU profile).
  const drawn = !(given instanceof Uint8Array) && !("data" in given);
  const channels = !drawn && hasTransparency(label) ? 4 : 3;
  const header: CartridgeHeader = {
    formatVersion: CARTRIDGE_FORMAT_VERSION,
    payloadLength: payload.length,
    sha256: payloadSha256,
    dataRegion: layout.dataRegion,
    labelRegion: layout.labelRegion,
  };
  // Auto stores only RGB images: in RGBA ones a stored alpha byte per pixel would cost a third
  // more file size, which deflate removes.
  const store = options.compression === "store" ||
    ((options.compression ?? "auto") === "auto" && channels === 3 &&
      await looksIncompressible(payload));
  const storedBytes = store ? (1 + layout.dataRegion.height) * (layout.width * channels + 1) : 0;
  return {
    layout,
    channels,
    header: writeCartridgeHeader(header),
    label,
    labelOwned: label !== given,
    payload,
    storedBytes,
  };
}

/** Encodes a planned image in memory: every scanline built in one buffer, then compressed. */
export async function encodePlannedImage(plan: CartridgeImagePlan): Promise<Uint8Array> {
  const { width, height } = plan.layout;
  const scanlines = new Uint8Array((width * plan.channels + 1) * height);
  writeScanlines(plan, 0, height, scanlines);
  return await encodePngScanlines(width, height, plan.channels, scanlines, plan.storedBytes);
}

/**
 * Writes the filter-0 scanlines of rows `from` (inclusive) to `to` (exclusive) into `out`, row
 * `from` at offset 0: background, header, label and payload pixels.
 */
export function writeScanlines(
  plan: CartridgeImagePlan,
  from: number,
  to: number,
  out: Uint8Array,
): void {
  const { layout, channels, header, label } = plan;
  const { width, dataRegion, labelRegion } = layout;
  const stride = width * channels + 1;
  const rowBytes = dataRegion.width * 3;
  // The payload bytes of the data rows in [from, to), read once: `window` starts at `windowAt`.
  const windowAt = Math.max(0, from - dataRegion.y) * rowBytes;
  const windowEnd = Math.min(plan.payload.length, Math.max(0, to - dataRegion.y) * rowBytes);
  const window = windowEnd > windowAt
    ? plan.payload.read(windowAt, windowEnd - windowAt)
    : new Uint8Array(0);
  // Background row template (filter byte 0 first), copied onto every row. One pixel, then the
  // filled part copied onto the rest, doubling: a loop per byte ran cold (this runs once per
  // few hundred KiB of rows when streaming) and cost more than the rows themselves.
  const template = new Uint8Array(stride);
  template.set(LABEL_BACKGROUND.slice(0, channels), 1);
  for (let filled = channels; filled < stride - 1; filled *= 2) {
    template.copyWithin(1 + filled, 1, 1 + Math.min(filled, stride - 1 - filled));
  }
  for (let y = from; y < to; y++) {
    const rowStart = (y - from) * stride;
    out.set(template, rowStart);
    if (y === 0) {
      for (let i = 0; i < HEADER_PIXELS; i++) {
        const o = rowStart + 1 + i * channels;
        out[o] = header[i * 3];
        out[o + 1] = header[i * 3 + 1];
        out[o + 2] = header[i * 3 + 2];
      }
    }
    const labelY = y - labelRegion.y;
    if (labelY >= 0 && labelY < labelRegion.height) {
      const row = rowStart + 1 + labelRegion.x * channels;
      const src = labelY * label.width * 4;
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
    const dataY = y - dataRegion.y;
    if (dataY >= 0 && dataY < dataRegion.height) {
      const row = rowStart + 1 + dataRegion.x * channels;
      const start = dataY * rowBytes - windowAt;
      const chunk = window.subarray(Math.min(start, window.length), start + rowBytes);
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
  }
}

/** Below this size deflating everything is cheap enough not to bother sampling. */
const AUTO_STORE_MIN_BYTES = 256 * 1024;
const SAMPLE_BYTES = 16 * 1024;

/**
 * Deflates three 16 KiB samples (cheap next to a full deflate), at a quarter, half and three
 * quarters of the payload; "incompressible" when they shrink by less than 5%. Not the first bytes:
 * a payload usually opens with its own header and index (names, sizes), which compress well even
 * when all the content after them is already deflated — sampling there made a 16 MiB pack deflate
 * its whole 8 MB image for nothing.
 */
async function looksIncompressible(payload: PayloadSource): Promise<boolean> {
  if (payload.length < AUTO_STORE_MIN_BYTES) return false;
  let before = 0;
  let after = 0;
  const quarter = (payload.length - SAMPLE_BYTES) >> 2;
  for (const start of [quarter, quarter * 2, quarter * 3]) {
    const sample = payload.read(start, SAMPLE_BYTES);
    before += sample.length;
    after += (await zlibDeflate(sample)).length;
  }
  return after > before * 0.95;
}

function hasTransparency(label: RgbaImage): boolean {
  for (let i = 3; i < label.data.length; i += 4) if (label.data[i] !== 255) return true;
  return false;
}
