/**
 * Cuts inflated IDAT data into scanlines while it is still arriving, so a decoder can use each
 * row as soon as it exists instead of first collecting the whole image.
 *
 * Why: a cartridge image is mostly payload rows. Reading them straight out of the inflater's
 * output pieces into the payload saves a buffer the size of the whole image (which the system
 * has to page in, then free) and one full copy. Rows are unfiltered where they lie; only a row
 * that straddles two pieces is first gathered into one of two small row buffers.
 *
 * @module
 */
import { PxosError, type PxosErrorCode } from "../errors.ts";
import { checkFilterByte, unfilterRow } from "./png_filters.ts";

/**
 * Receives one unfiltered scanline: its pixel bytes are `bytes[at]` to
 * `bytes[at + rowBytes - 1]`. They are valid only during the call (the array may be reused).
 */
export type ScanlineHandler = (y: number, bytes: Uint8Array, at: number) => void;

/** Shape of the scanlines a {@link ScanlineSplitter} expects. */
export interface ScanlineShape {
  /** Bytes per scanline without the filter byte. */
  rowBytes: number;
  /** Bytes per complete pixel (the filters' left-neighbour distance), at least 1. */
  bpp: number;
  /** Number of scanlines. */
  height: number;
}

/**
 * Feed it the inflated bytes of a non-interlaced image, in order, in pieces of any size
 * ({@link push}); it checks and undoes each row's filter and calls the handler once per row, top
 * to bottom. {@link finish} refuses a stream that ended inside the image.
 */
export class ScanlineSplitter {
  #shape: { rowBytes: number; bpp: number };
  #stride: number;
  #height: number;
  #onRow: ScanlineHandler;
  #code: PxosErrorCode;
  #fileOffset: number;
  #y = 0;
  #above: Uint8Array | null = null;
  #aboveAt = 0;
  /** Two buffers, alternated, so a gathered row never overwrites the row above it. */
  #gather: [Uint8Array, Uint8Array] | undefined;
  #gatherIndex = 0;
  #gathered = 0;
  #wanted: () => boolean;

  /**
   * @param shape bytes per row and per pixel, and the number of rows
   * @param onRow called with each unfiltered row
   * @param code error code for a bad filter byte or a short stream
   * @param fileOffset file offset of the IDAT data, for messages
   * @param wanted asked before each row: once it says `false`, the rows after are still framed
   *   and their filter bytes checked (what is accepted does not change), but not unfiltered or
   *   handed over — a cartridge's label rows after a complete payload, which nobody reads
   */
  constructor(
    shape: ScanlineShape,
    onRow: ScanlineHandler,
    code: PxosErrorCode,
    fileOffset = 0,
    wanted: () => boolean = () => true,
  ) {
    this.#shape = { rowBytes: shape.rowBytes, bpp: shape.bpp };
    this.#stride = shape.rowBytes + 1;
    this.#height = shape.height;
    this.#onRow = onRow;
    this.#code = code;
    this.#fileOffset = fileOffset;
    this.#wanted = wanted;
  }

  /** Rows handed over so far. */
  get rowsDone(): number {
    return this.#y;
  }

  /**
   * Takes the next piece of inflated data. The piece's bytes are unfiltered in place, so the
   * caller must not need them afterwards.
   *
   * @param piece the next bytes of the stream
   * @throws {PxosError} on a bad filter byte or more data than the image holds
   */
  push(piece: Uint8Array): void {
    const stride = this.#stride;
    let i = 0;
    if (this.#gathered > 0) {
      const row = this.#gather![this.#gatherIndex];
      const take = Math.min(stride - this.#gathered, piece.length);
      row.set(piece.subarray(0, take), this.#gathered);
      this.#gathered += take;
      i = take;
      if (this.#gathered < stride) return;
      this.#gathered = 0;
      this.#gatherIndex ^= 1;
      this.#row(row, 0);
    }
    for (; i + stride <= piece.length; i += stride) this.#row(piece, i);
    if (i < piece.length) {
      this.#gather ??= [new Uint8Array(stride), new Uint8Array(stride)];
      this.#gather[this.#gatherIndex].set(piece.subarray(i), 0);
      this.#gathered = piece.length - i;
    }
  }

  /**
   * Checks that every row arrived.
   *
   * @throws {PxosError} when the stream ended before the last row was complete
   */
  finish(): void {
    if (this.#y !== this.#height || this.#gathered !== 0) {
      throw new PxosError(
        this.#code,
        `IDAT data ends inside scanline ${this.#y} of ${this.#height} (too little data)`,
        { offset: this.#fileOffset },
      );
    }
  }

  #row(bytes: Uint8Array, filterAt: number): void {
    const y = this.#y;
    if (y >= this.#height) {
      throw new PxosError(
        this.#code,
        `IDAT data holds more than the ${this.#height} scanlines of the image (too much data)`,
        { offset: this.#fileOffset },
      );
    }
    const filter = bytes[filterAt];
    checkFilterByte(filter, y, this.#code, this.#fileOffset);
    this.#y = y + 1;
    if (!this.#wanted()) return; // no later row is wanted either: none needs this one above it
    unfilterRow(filter, bytes, filterAt + 1, this.#above, this.#aboveAt, this.#shape);
    this.#onRow(y, bytes, filterAt + 1);
    this.#above = bytes;
    this.#aboveAt = filterAt + 1;
  }
}
