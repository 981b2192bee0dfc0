/**
 * PNG container: the signature, chunk framing with CRC-32, IHDR validation and the chunk writer.
 * Shared by the data-image decoder (8-bit RGB/RGBA, fast path) and the label decoder (any PNG).
 *
 * @module
 */

import { PxosError, type PxosErrorCode } from "../errors.ts";
import { crc32 } from "./crc32.ts";

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE: Uint8Array = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

/** Largest width or height we accept, before any allocation. */
export const MAX_PNG_DIMENSION = 16384;

/** PNG colour types (IHDR byte 9). */
export const ColorType = {
  GRAY: 0,
  RGB: 2,
  PALETTE: 3,
  GRAY_ALPHA: 4,
  RGBA: 6,
} as const;

/** Channels per pixel of each colour type. */
const CHANNELS_OF: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Bit depths the PNG specification allows for each colour type. */
const DEPTHS_OF: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** The validated contents of IHDR. */
export interface PngHeader {
  /** Width in pixels (1..{@link MAX_PNG_DIMENSION}). */
  width: number;
  /** Height in pixels (1..{@link MAX_PNG_DIMENSION}). */
  height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16. */
  bitDepth: number;
  /** PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. */
  colorType: number;
  /** Samples per pixel for the colour type (1..4). */
  channels: number;
  /** 0 none, 1 Adam7. */
  interlace: number;
}

/** The chunks a decoder needs, already CRC-checked; ancillary chunks other than tRNS skipped. */
export interface PngChunks {
  /** Validated IHDR. */
  header: PngHeader;
  /** PLTE body (3 bytes per entry), when present. */
  palette?: Uint8Array;
  /** tRNS body, when present. */
  transparency?: Uint8Array;
  /** IDAT bodies in file order; their concatenation is one zlib stream. */
  idat: Uint8Array[];
  /** File offset of the first IDAT body, for error messages. */
  idatOffset: number;
}

/** Options for {@link readPngChunks}. */
export interface ReadPngChunksOptions {
  /** Code for every refusal (E_PNG_CORRUPT for cartridges, E_LABEL for labels). */
  code?: PxosErrorCode;
  /** Refuse images whose decoded RGBA8 pixels would exceed this many bytes. */
  maxDecodedBytes?: number;
}

/** Default budget for decoded pixels: 256 MiB (a 64 MiB payload needs under 100 MiB). */
export const DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024;

/**
 * Parses the chunk structure of a PNG: signature, every chunk's length and CRC, IHDR first and
 * valid, PLTE where the colour type needs it, at least one IDAT, and IEND. Checks the image size
 * against the budget before anything is inflated.
 *
 * @param bytes the PNG file
 * @param options error code and size budget
 * @returns the chunks a decoder needs
 * @throws {PxosError} on any structural problem, naming the chunk and offset
 */
export function readPngChunks(bytes: Uint8Array, options: ReadPngChunksOptions = {}): PngChunks {
  const code = options.code ?? "E_PNG_CORRUPT";
  const fail: (message: string, offset: number) => never = (message, offset) => {
    throw new PxosError(code, message, { offset });
  };
  if (bytes.length < PNG_SIGNATURE.length) {
    fail(`expected a PNG (8-byte signature), found only ${bytes.length} bytes`, 0);
  }
  for (let i = 0; i < PNG_SIGNATURE.length; i++) {
    if (bytes[i] !== PNG_SIGNATURE[i]) fail("not a PNG file: the 8-byte signature is wrong", i);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rules = new PngChunkRules(code, options.maxDecodedBytes);
  const idat: Uint8Array[] = [];
  let pos = PNG_SIGNATURE.length;
  while (!rules.ended) {
    if (pos + 12 > bytes.length) {
      fail(
        pos === bytes.length
          ? "truncated PNG: missing IEND chunk"
          : `truncated PNG: chunk header needs 12 bytes, ${bytes.length - pos} left`,
        pos,
      );
    }
    const { type, length } = rules.frame(bytes.subarray(pos, pos + 8), pos);
    const dataStart = pos + 8;
    if (dataStart + length + 4 > bytes.length) {
      fail(
        `truncated PNG: chunk ${type} declares ${length} data bytes, ` +
          `${Math.max(0, bytes.length - dataStart - 4)} present`,
        pos,
      );
    }
    const data = bytes.subarray(dataStart, dataStart + length);
    rules.checkCrc(
      type,
      crc32(data, crc32(bytes.subarray(pos + 4, pos + 8))),
      view.getUint32(dataStart + length),
      dataStart + length,
    );
    rules.take(type, data, pos, dataStart);
    if (type === "IDAT") idat.push(data);
    pos = dataStart + length + 4;
  }
  const header = rules.finish(pos);
  return {
    header,
    palette: rules.palette,
    transparency: rules.transparency,
    idat,
    idatOffset: rules.idatOffset,
  };
}

/**
 * The chunk rules of {@link readPngChunks}, one chunk at a time, so that a reader taking a PNG in
 * pieces (`cartridge_read_stream.ts`) applies exactly the same ones: framing, CRC, IHDR first and
 * valid, PLTE where the colour type needs it, no unknown critical chunk, IDAT, IEND.
 */
export class PngChunkRules {
  /** The validated IHDR, once taken. */
  header: PngHeader | undefined;
  /** PLTE body, when present. */
  palette: Uint8Array | undefined;
  /** tRNS body, when present. */
  transparency: Uint8Array | undefined;
  /** File offset of the first IDAT body (-1 before one). */
  idatOffset = -1;
  /** Whether IEND has been taken. */
  ended = false;
  #code: PxosErrorCode;
  #maxDecodedBytes: number;

  /**
   * @param code error code for every refusal
   * @param maxDecodedBytes refuse images whose decoded RGBA8 pixels would exceed this
   */
  constructor(code: PxosErrorCode, maxDecodedBytes = DEFAULT_MAX_DECODED_BYTES) {
    this.#code = code;
    this.#maxDecodedBytes = maxDecodedBytes;
  }

  #fail(message: string, offset: number): never {
    throw new PxosError(this.#code, message, { offset });
  }

  /** Reads a chunk's 8-byte length and type (at file offset `pos`), checking both. */
  frame(head: Uint8Array, pos: number): { type: string; length: number } {
    const length = new DataView(head.buffer, head.byteOffset, 8).getUint32(0);
    const type = chunkTypeAt(head, 4);
    if (type === undefined) this.#fail("bad chunk type: expected 4 ASCII letters", pos + 4);
    if (length > 0x7fffffff) this.#fail(`chunk ${type} has length ${length} > 2^31-1`, pos);
    return { type, length };
  }

  /** Refuses a chunk whose stored CRC (at file offset `at`) differs from the computed one. */
  checkCrc(type: string, computed: number, stored: number, at: number): void {
    if (stored !== computed) {
      this.#fail(
        `bad CRC in chunk ${type}: stored 0x${hex32(stored)}, computed 0x${hex32(computed)}`,
        at,
      );
    }
  }

  /**
   * Takes a chunk whose CRC was checked. `data` is its body: needed for IHDR, PLTE and tRNS
   * (kept), ignored for the others. `pos` is the chunk's file offset, `dataStart` its body's.
   */
  take(type: string, data: Uint8Array, pos: number, dataStart: number): void {
    if (this.header === undefined && type !== "IHDR") {
      this.#fail(`expected IHDR first, found ${type}`, pos);
    }
    switch (type) {
      case "IHDR":
        if (this.header !== undefined) this.#fail("second IHDR chunk", pos);
        this.header = parseIhdr(data, pos, this.#code, this.#maxDecodedBytes);
        break;
      case "PLTE":
        if (data.length === 0 || data.length % 3 !== 0 || data.length > 768) {
          this.#fail(`PLTE must hold 1..256 RGB entries, found ${data.length} bytes`, pos);
        }
        if (this.idatOffset >= 0) this.#fail("PLTE after IDAT", pos);
        this.palette = data;
        break;
      case "tRNS":
        this.transparency = data;
        break;
      case "IDAT":
        if (this.idatOffset < 0) this.idatOffset = dataStart;
        break;
      case "IEND":
        this.ended = true;
        break;
      default:
        // Bit 5 of the first letter clear (uppercase) marks a critical chunk: we must refuse it.
        if ((type.charCodeAt(0) & 0x20) === 0) this.#fail(`unknown critical chunk ${type}`, pos);
    }
  }

  /** The end checks, once IEND was taken at `pos`: the validated IHDR. */
  finish(pos: number): PngHeader {
    const header = this.header;
    if (header === undefined) return this.#fail("missing IHDR chunk", PNG_SIGNATURE.length);
    if (this.idatOffset < 0) this.#fail("missing IDAT chunk: the PNG holds no image data", pos);
    if (header.colorType === ColorType.PALETTE && this.palette === undefined) {
      this.#fail("palette image (colour type 3) without a PLTE chunk", pos);
    }
    return header;
  }
}

function parseIhdr(
  data: Uint8Array,
  pos: number,
  code: PxosErrorCode,
  maxDecodedBytes: number,
): PngHeader {
  const fail: (message: string) => never = (message) => {
    throw new PxosError(code, `bad IHDR: ${message}`, { offset: pos });
  };
  if (data.length !== 13) fail(`expected 13 bytes, found ${data.length}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colorType, compression, filter, interlace] = data.subarray(8, 13);
  if (width === 0 || height === 0) fail(`zero size ${width}x${height}`);
  if (width > MAX_PNG_DIMENSION || height > MAX_PNG_DIMENSION) {
    fail(`size ${width}x${height} exceeds the ${MAX_PNG_DIMENSION}x${MAX_PNG_DIMENSION} limit`);
  }
  const depths = DEPTHS_OF[colorType];
  if (depths === undefined) fail(`unknown colour type ${colorType}`);
  if (!depths.includes(bitDepth)) {
    fail(`bit depth ${bitDepth} invalid for colour type ${colorType}`);
  }
  if (compression !== 0) fail(`unknown compression method ${compression}`);
  if (filter !== 0) fail(`unknown filter method ${filter}`);
  if (interlace > 1) fail(`unknown interlace method ${interlace}`);
  const channels = CHANNELS_OF[colorType];
  const decoded = width * height * Math.max(4, channels * (bitDepth / 8));
  if (decoded > maxDecodedBytes) {
    fail(
      `${width}x${height} pixels need ${decoded} bytes, over the ${maxDecodedBytes}-byte budget`,
    );
  }
  return { width, height, bitDepth, colorType, channels, interlace };
}

/** Bytes of one unfiltered scanline of `width` pixels (without the filter byte). */
export function scanlineBytes(header: PngHeader, width: number = header.width): number {
  return Math.ceil((width * header.channels * header.bitDepth) / 8);
}

/** The seven Adam7 passes: start column/row and step. */
export const ADAM7_PASSES: readonly { x: number; y: number; dx: number; dy: number }[] = [
  { x: 0, y: 0, dx: 8, dy: 8 },
  { x: 4, y: 0, dx: 8, dy: 8 },
  { x: 0, y: 4, dx: 4, dy: 8 },
  { x: 2, y: 0, dx: 4, dy: 4 },
  { x: 0, y: 2, dx: 2, dy: 4 },
  { x: 1, y: 0, dx: 2, dy: 2 },
  { x: 0, y: 1, dx: 1, dy: 2 },
];

/** Width and height of one Adam7 pass's sub-image (0 when the pass is empty). */
export function adam7PassSize(
  header: PngHeader,
  pass: { x: number; y: number; dx: number; dy: number },
): { width: number; height: number } {
  return {
    width: Math.max(0, Math.ceil((header.width - pass.x) / pass.dx)),
    height: Math.max(0, Math.ceil((header.height - pass.y) / pass.dy)),
  };
}

/** Exact size of the inflated IDAT stream (filter bytes included) the header implies. */
export function inflatedSize(header: PngHeader): number {
  if (header.interlace === 0) return header.height * (1 + scanlineBytes(header));
  let total = 0;
  for (const pass of ADAM7_PASSES) {
    const { width, height } = adam7PassSize(header, pass);
    if (width > 0 && height > 0) total += height * (1 + scanlineBytes(header, width));
  }
  return total;
}

/**
 * Frames one chunk: length, type, data, CRC.
 *
 * @param type four-letter chunk type
 * @param data chunk body
 * @returns the framed chunk bytes
 */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** IHDR body for an 8-bit image. */
export function ihdrBody(
  width: number,
  height: number,
  colorType: number,
  bitDepth = 8,
  interlace = 0,
): Uint8Array {
  const body = new Uint8Array(13);
  const view = new DataView(body.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  body[8] = bitDepth;
  body[9] = colorType;
  body[12] = interlace;
  return body;
}

function chunkTypeAt(bytes: Uint8Array, at: number): string | undefined {
  let type = "";
  for (let i = 0; i < 4; i++) {
    const c = bytes[at + i];
    const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!isLetter) return undefined;
    type += String.fromCharCode(c);
  }
  return type;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, "0");
}
