/**
 * The self-describing pxOS pixel header: 96 bytes carried in the R, G, B channels of the first
 * 32 pixels of row 0, so a cartridge image can be decoded from its pixels alone. Byte layout
 * (little-endian) is specified in `docs/FORMAT.md`, "1. Pixel layer".
 *
 * @module
 */

import { PxosError } from "../errors.ts";
import { crc32 } from "./crc32.ts";
import type { PixelRect } from "./image.ts";

/** The 8 magic bytes that open the header: ASCII `PXOSCART`. */
export const CARTRIDGE_MAGIC: Uint8Array = new TextEncoder().encode("PXOSCART");
/** The pixel-layer format version this code writes and reads. */
export const CARTRIDGE_FORMAT_VERSION = 1;
/** Header size in bytes for format version 1. */
export const HEADER_BYTES = 96;
/** Pixels the header occupies in row 0 (3 bytes per pixel). */
export const HEADER_PIXELS: number = HEADER_BYTES / 3;
/** Offset of the CRC-32 that covers header bytes 0..87. */
const CRC_OFFSET = 88;

/** What the header says about a cartridge image. */
export interface CartridgeHeader {
  /** Pixel-layer format version (1). */
  formatVersion: number;
  /** Payload size in bytes. */
  payloadLength: number;
  /** SHA-256 of the payload (32 bytes). */
  sha256: Uint8Array;
  /** Where the payload bytes are stored. */
  dataRegion: PixelRect;
  /** Where the label is drawn (informational; width 0 when there is none). */
  labelRegion: PixelRect;
}

/** Serialises a header to its 96 bytes (CRC included). */
export function writeCartridgeHeader(header: CartridgeHeader): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(CARTRIDGE_MAGIC, 0);
  view.setUint16(8, header.formatVersion, true);
  view.setUint16(10, HEADER_BYTES, true);
  view.setUint32(12, 0, true); // flags: none defined in version 1
  view.setUint32(16, header.payloadLength % 2 ** 32, true);
  view.setUint32(20, Math.floor(header.payloadLength / 2 ** 32), true);
  bytes.set(header.sha256, 24);
  writeRect(view, 56, header.dataRegion);
  writeRect(view, 72, header.labelRegion);
  view.setUint32(CRC_OFFSET, crc32(bytes.subarray(0, CRC_OFFSET)), true);
  return bytes;
}

/**
 * Parses and validates the 96 header bytes read from row 0 of an image.
 *
 * @param bytes the header bytes (at least 96)
 * @param imageWidth width of the image they came from
 * @param imageHeight height of the image they came from
 * @returns the header
 * @throws {PxosError} `E_PIXEL_HEADER` for a missing or wrong magic, an unknown version, a bad
 *   checksum, regions outside the image, or a payload length larger than the pixels hold
 */
export function parseCartridgeHeader(
  bytes: Uint8Array,
  imageWidth: number,
  imageHeight: number,
): CartridgeHeader {
  const fail: (message: string, offset?: number) => never = (message, offset) => {
    throw new PxosError("E_PIXEL_HEADER", message, {
      details: offset === undefined ? undefined : { headerOffset: offset },
    });
  };
  if (bytes.length < HEADER_BYTES) fail("image too small to hold a pxOS pixel header");
  for (let i = 0; i < CARTRIDGE_MAGIC.length; i++) {
    if (bytes[i] !== CARTRIDGE_MAGIC[i]) {
      fail(
        `no pxOS header: expected magic "PXOSCART" in the first pixels of row 0, found ` +
          `${hex(bytes.subarray(0, 8))}`,
        0,
      );
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const formatVersion = view.getUint16(8, true);
  if (formatVersion !== CARTRIDGE_FORMAT_VERSION) {
    fail(
      `unknown pixel format version ${formatVersion} (this reader knows version ` +
        `${CARTRIDGE_FORMAT_VERSION}); a newer pxOS may read it`,
      8,
    );
  }
  const headerLength = view.getUint16(10, true);
  if (headerLength !== HEADER_BYTES) {
    fail(`expected header length ${HEADER_BYTES} for version 1, found ${headerLength}`, 10);
  }
  const storedCrc = view.getUint32(CRC_OFFSET, true);
  const actualCrc = crc32(bytes.subarray(0, CRC_OFFSET));
  if (storedCrc !== actualCrc) {
    fail(
      `pixel header checksum mismatch: stored 0x${storedCrc.toString(16)}, computed ` +
        `0x${actualCrc.toString(16)} (the header pixels were altered)`,
      CRC_OFFSET,
    );
  }
  const flags = view.getUint32(12, true);
  if (flags !== 0) {
    fail(`unknown header flags 0x${flags.toString(16)} (version 1 defines none)`, 12);
  }
  const payloadLength = view.getUint32(16, true) + view.getUint32(20, true) * 2 ** 32;
  const dataRegion = readRect(view, 56);
  const labelRegion = readRect(view, 72);
  const inside = (r: PixelRect) =>
    r.x + r.width <= imageWidth && r.y + r.height <= imageHeight && r.y >= 1;
  if (dataRegion.width === 0 || dataRegion.height === 0 || !inside(dataRegion)) {
    fail(
      `data region ${rectText(dataRegion)} is empty or outside the ${imageWidth}x${imageHeight} ` +
        `image below the header row`,
      56,
    );
  }
  if (labelRegion.width > 0 && !inside(labelRegion)) {
    fail(`label region ${rectText(labelRegion)} lies outside the image`, 72);
  }
  const capacity = dataRegion.width * dataRegion.height * 3;
  if (payloadLength > capacity) {
    fail(
      `payload length ${payloadLength} is larger than the data region holds ` +
        `(${rectText(dataRegion)}: ${capacity} bytes)`,
      16,
    );
  }
  return {
    formatVersion,
    payloadLength,
    sha256: bytes.slice(24, 56),
    dataRegion,
    labelRegion,
  };
}

function writeRect(view: DataView, at: number, rect: PixelRect): void {
  view.setUint32(at, rect.x, true);
  view.setUint32(at + 4, rect.y, true);
  view.setUint32(at + 8, rect.width, true);
  view.setUint32(at + 12, rect.height, true);
}

function readRect(view: DataView, at: number): PixelRect {
  return {
    x: view.getUint32(at, true),
    y: view.getUint32(at + 4, true),
    width: view.getUint32(at + 8, true),
    height: view.getUint32(at + 12, true),
  };
}

function rectText(r: PixelRect): string {
  return `${r.width}x${r.height} at (${r.x}, ${r.y})`;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}
