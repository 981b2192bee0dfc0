/**
 * Where things go in a cartridge image: row 0 is the header strip, the data region under it at
 * the left, the label under the data region. Only the data region's last row is padded, so for
 * payloads of 64 KiB or more data fills over 99% of its pixels.
 *
 * Why data and label in separate rows, data first: rows of pure payload (usually incompressible:
 * deflated archives) can be written as stored deflate blocks — a copy instead of a slow deflate,
 * and a copy again to inflate — while the label rows after them are still deflated. Rows that
 * mixed label pixels with payload bytes would force Huffman coding on everything.
 *
 * @module
 */

import { PxosError } from "../errors.ts";
import { HEADER_PIXELS } from "./header.ts";
import type { PixelRect } from "./image.ts";
import { DEFAULT_MAX_DECODED_BYTES, MAX_PNG_DIMENSION } from "./png_chunks.ts";

/** Payload bytes stored per data pixel (R, G, B; never alpha). */
export const BYTES_PER_DATA_PIXEL = 3;

/** Largest payload a cartridge image takes: 128 MiB. */
export const MAX_PAYLOAD_BYTES: number = 128 * 1024 * 1024;

/** The geometry of one cartridge image. */
export interface CartridgeLayout {
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels (header row included). */
  height: number;
  /** The label's rectangle. */
  labelRegion: PixelRect;
  /** The data region's rectangle. */
  dataRegion: PixelRect;
  /** Payload bytes the data region can hold. */
  capacityBytes: number;
}

/**
 * Plans the image for a payload and a label size.
 *
 * @example
 * ```ts
 * import { planCartridgeLayout } from "@pxos/core";
 * const layout = planCartridgeLayout(65536, 128, 128);
 * console.log(layout.dataRegion, layout.capacityBytes >= 65536);
 * ```
 *
 * @param payloadLength payload size in bytes
 * @param labelWidth label width in pixels
 * @param labelHeight label height in pixels
 * @returns the layout
 * @throws {PxosError} `E_CAPACITY` when the payload or the image would be too large
 */
export function planCartridgeLayout(
  payloadLength: number,
  labelWidth: number,
  labelHeight: number,
): CartridgeLayout {
  if (!Number.isSafeInteger(payloadLength) || payloadLength < 0) {
    throw new PxosError("E_USAGE", `payload length must be a byte count, got ${payloadLength}`);
  }
  if (payloadLength > MAX_PAYLOAD_BYTES) {
    throw new PxosError(
      "E_CAPACITY",
      `payload of ${payloadLength} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte cartridge limit`,
    );
  }
  const pixels = Math.max(1, Math.ceil(payloadLength / BYTES_PER_DATA_PIXEL));
  let side = Math.ceil(Math.sqrt(pixels));
  while (side * side < pixels) side++;
  while (side > 1 && (side - 1) * (side - 1) >= pixels) side--;
  // As wide as the label when that wastes little (a tidy rectangle), else near square. The
  // padding is less than one row: under 1% once the payload is 64 KiB (the 99% promise).
  const labelWide = labelWidth >= side &&
    (payloadLength < 65536 || labelWidth * 100 <= pixels);
  const dataWidth = labelWide ? labelWidth : side;
  const dataHeight = Math.ceil(pixels / dataWidth);
  const width = Math.max(labelWidth, dataWidth, HEADER_PIXELS);
  const height = 1 + labelHeight + dataHeight;
  if (width > MAX_PNG_DIMENSION || height > MAX_PNG_DIMENSION) {
    throw new PxosError(
      "E_CAPACITY",
      `a ${width}x${height} image would exceed the ${MAX_PNG_DIMENSION}-pixel side limit`,
    );
  }
  // Never write an image our own reader would refuse: readers budget 4 bytes per pixel.
  if (width * height * 4 > DEFAULT_MAX_DECODED_BYTES) {
    throw new PxosError(
      "E_CAPACITY",
      `a ${width}x${height} image would exceed the ${DEFAULT_MAX_DECODED_BYTES}-byte decode ` +
        `budget; use a smaller label or payload`,
    );
  }
  return {
    width,
    height,
    dataRegion: { x: 0, y: 1, width: dataWidth, height: dataHeight },
    labelRegion: { x: 0, y: 1 + dataHeight, width: labelWidth, height: labelHeight },
    capacityBytes: dataWidth * dataHeight * BYTES_PER_DATA_PIXEL,
  };
}
