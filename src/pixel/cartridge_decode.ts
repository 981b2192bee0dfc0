/**
 * Reading the payload back out of a cartridge image (the other half of `cartridge_image.ts`).
 *
 * The usual image — 8-bit RGB or RGBA, not interlaced, as `encodeCartridgeImage` writes it — is
 * read as it inflates: row 0 gives the header, which sizes the payload, and every data row is
 * copied from the inflater's output straight into the payload. No buffer for the whole image is
 * made. Any other PNG kind (a cartridge another tool re-saved as palette, 16-bit or interlaced)
 * is decoded whole by the general decoder and read from there, with the same rules.
 *
 * @module
 */

import { PxosError } from "../errors.ts";
import { preloadNativeZlibFor } from "../native_modules.ts";
import { sha256 } from "../sha256.ts";
import {
  type CartridgeHeader,
  HEADER_BYTES,
  HEADER_PIXELS,
  parseCartridgeHeader,
} from "./header.ts";
import type { PixelRect } from "./image.ts";
import { decodeChunksToRgba } from "./label_decode.ts";
import {
  ColorType,
  inflatedSize,
  type PngChunks,
  readPngChunks,
  scanlineBytes,
} from "./png_chunks.ts";
import { ScanlineSplitter } from "./scanlines.ts";
import { zlibInflateEach } from "./zlib.ts";
import { inflateStoredFirst } from "./zlib_stored.ts";

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
  /**
   * The caller gives up `png` (default false): the payload may then be written over the image's
   * own bytes, behind where they are read, instead of into fresh memory — which on a virtual
   * machine costs about 5 ms per MiB to touch. The payload returned is then a view of `png`. If
   * the image turns out to need the general decoder after its bytes were overwritten, this
   * throws `E_PNG_CORRUPT` saying so: decode a fresh copy without this option to know more.
   */
  consumeInput?: boolean;
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
  await preloadNativeZlibFor(png.length); // native CRC-32 for a large image
  const chunks = readPngChunks(png, {
    code: "E_PNG_CORRUPT",
    maxDecodedBytes: options.maxDecodedBytes,
  });
  const { width, height } = chunks.header;
  if (width < HEADER_PIXELS) {
    throw new PxosError(
      "E_PIXEL_HEADER",
      `no pxOS header: the image is ${width} pixels wide, a header needs ${HEADER_PIXELS}`,
    );
  }
  let reader = new PayloadReader(width, height);
  if (isStreamable(chunks)) {
    reader = await readStreaming(chunks, width, height, options.consumeInput ? png : undefined);
  } else {
    const rgba = await decodeChunksToRgba(chunks, "E_PNG_CORRUPT");
    for (let y = 0; y < height; y++) reader.row(y, rgba.data, y * width * 4, 4);
  }
  const { header, payload } = reader.result();
  const verified = options.verifyHash ?? true;
  if (verified) {
    const digest = await sha256(payload);
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

/** True for the kind of PNG the streaming path reads: 8-bit RGB/RGBA, no interlace, no tRNS. */
function isStreamable(chunks: PngChunks): boolean {
  const { header } = chunks;
  return header.bitDepth === 8 && header.interlace === 0 &&
    (header.colorType === ColorType.RGB || header.colorType === ColorType.RGBA) &&
    chunks.transparency === undefined;
}

/**
 * Inflates IDAT and hands each row to a new payload reader as soon as it is complete. The usual
 * cartridge (its rows in stored deflate blocks) is read without an inflater
 * (`inflateStoredFirst`); if that path refuses the stream, it is read again by the inflater, so
 * what is accepted and every error message stay the inflater's.
 */
async function readStreaming(
  chunks: PngChunks,
  width: number,
  height: number,
  png?: Uint8Array,
): Promise<PayloadReader> {
  const context = { code: "E_PNG_CORRUPT" as const, what: "IDAT data", offset: chunks.idatOffset };
  const expected = inflatedSize(chunks.header);
  // Stored blocks carry every payload byte, each after the place it goes to, so the payload can
  // be written over the image's bytes already read (see `consumeInput`).
  let reader = new PayloadReader(width, height, png);
  try {
    const rows = splitterFor(chunks, reader);
    // Written in place, payload rows must all come from stored blocks: inflated ones could
    // outgrow their input and overtake bytes not read yet.
    const storedOnly = () => {
      if (png !== undefined && !reader.complete) {
        throw new PxosError("E_PNG_CORRUPT", "payload rows in deflated IDAT blocks");
      }
    };
    const pushRows = (piece: Uint8Array) => rows.push(piece);
    if (await inflateStoredFirst(chunks.idat, expected, context, pushRows, storedOnly)) {
      rows.finish();
      return reader;
    }
  } catch (e) {
    if (!(e instanceof PxosError)) throw e;
    if (reader.overwrote) {
      throw new PxosError(
        "E_PNG_CORRUPT",
        `${e.message} (read in place; decode a fresh copy of the image for the general decoder's view)`,
        { offset: e.offset, cause: e },
      );
    }
  }
  reader = new PayloadReader(width, height);
  const rows = splitterFor(chunks, reader);
  await zlibInflateEach(chunks.idat, expected, context, (piece) => rows.push(piece));
  rows.finish();
  return reader;
}

function splitterFor(chunks: PngChunks, reader: PayloadReader): ScanlineSplitter {
  const { header } = chunks;
  const channels = header.channels as 3 | 4;
  return new ScanlineSplitter(
    { rowBytes: scanlineBytes(header), bpp: channels, height: header.height },
    (y, bytes, at) => reader.row(y, bytes, at, channels),
    "E_PNG_CORRUPT",
    chunks.idatOffset,
    // The label rows after the payload are read for their framing only: about 2.6 MB of
    // unfiltering in JavaScript for a 16 MiB tree's cartridge, for pixels nobody looks at.
    () => !reader.complete,
  );
}

/**
 * Takes an image's rows top to bottom: parses the header from row 0 (which sizes the payload),
 * then copies the data region's bytes (R, G, B of each pixel) into the payload — or, with a
 * `sink`, hands them over row by row without keeping a payload at all (`cartridge_read_stream.ts`).
 */
export class PayloadReader {
  #width: number;
  #height: number;
  #header: CartridgeHeader | undefined;
  #payload: Uint8Array = new Uint8Array(0);
  #length = 0;
  #written = 0;
  #into: Uint8Array | undefined;
  #sink: ((bytes: Uint8Array) => void) | undefined;

  /**
   * @param into where to put the payload (from its start) instead of a new array
   * @param sink takes each row's payload bytes instead (for RGB rows a view of the row, valid
   *   until the row's bytes are reused)
   */
  constructor(
    width: number,
    height: number,
    into?: Uint8Array,
    sink?: (bytes: Uint8Array) => void,
  ) {
    this.#width = width;
    this.#height = height;
    this.#into = into;
    this.#sink = sink;
  }

  /** Whether the whole payload has been taken. */
  get complete(): boolean {
    return this.#header !== undefined && this.#written === this.#length;
  }

  /** The pixel header, once row 0 has been taken. */
  get header(): CartridgeHeader | undefined {
    return this.#header;
  }

  /** Whether payload bytes were written into the array given as `into`. */
  get overwrote(): boolean {
    return this.#into !== undefined && this.#written > 0;
  }

  /** Takes row `y`, whose first pixel is at `bytes[at]`. */
  row(y: number, bytes: Uint8Array, at: number, channels: 3 | 4): void {
    if (y === 0) {
      const headerBytes = new Uint8Array(HEADER_BYTES);
      for (let i = 0; i < HEADER_PIXELS; i++) {
        headerBytes[i * 3] = bytes[at + i * channels];
        headerBytes[i * 3 + 1] = bytes[at + i * channels + 1];
        headerBytes[i * 3 + 2] = bytes[at + i * channels + 2];
      }
      // Validated against the image size, so the payload allocated here fits in the pixels.
      this.#header = parseCartridgeHeader(headerBytes, this.#width, this.#height);
      const length = this.#header.payloadLength;
      this.#length = length;
      if (this.#sink !== undefined) return;
      this.#payload = this.#into !== undefined && length <= this.#into.length
        ? this.#into.subarray(0, length)
        : new Uint8Array(length);
      if (this.#payload.buffer !== this.#into?.buffer) this.#into = undefined;
      return;
    }
    const region = this.#header!.dataRegion;
    if (y < region.y || y >= region.y + region.height || this.#written >= this.#length) return;
    const start = at + region.x * channels;
    const take = Math.min(region.width * 3, this.#length - this.#written);
    if (this.#sink !== undefined) {
      this.#written += take;
      if (channels === 3) return this.#sink(bytes.subarray(start, start + take));
      const row = new Uint8Array(take); // its own: the sink may keep it past the next row
      for (let i = 0, p = start; i < take; p += 4) {
        row[i++] = bytes[p];
        if (i < take) row[i++] = bytes[p + 1];
        if (i < take) row[i++] = bytes[p + 2];
      }
      return this.#sink(row);
    }
    const payload = this.#payload;
    if (channels === 3) {
      payload.set(bytes.subarray(start, start + take), this.#written);
      this.#written += take;
      return;
    }
    let w = this.#written;
    const end = w + take;
    for (let p = start; w < end; p += 4) {
      payload[w++] = bytes[p];
      if (w < end) payload[w++] = bytes[p + 1];
      if (w < end) payload[w++] = bytes[p + 2];
    }
    this.#written = w;
  }

  /** The header and the filled payload, once every row has been taken. */
  result(): { header: CartridgeHeader; payload: Uint8Array } {
    // parseCartridgeHeader checked that the payload fits the data region, so a complete image
    // always fills it; this guards the invariant, not the input.
    if (this.#header === undefined || this.#written !== this.#payload.length) {
      throw new PxosError("E_PNG_CORRUPT", "image ended before the payload was complete");
    }
    return { header: this.#header, payload: this.#payload };
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
