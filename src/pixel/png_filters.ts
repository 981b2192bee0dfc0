/**
 * PNG scanline filters (type 0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth), undone in place.
 * Any standard encoder's output must decode — ImageMagick, for one, picks a filter per row.
 *
 * @module
 */

import { PxosError, type PxosErrorCode } from "../errors.ts";

/**
 * Undoes the filters of `rows` consecutive scanlines stored as `[filter byte, rowBytes bytes]`
 * starting at `start` in `raw`, in place: afterwards each row's bytes are the pixel bytes.
 *
 * @param raw inflated IDAT data
 * @param start offset of the first row's filter byte
 * @param rows number of scanlines
 * @param rowBytes bytes per scanline, without the filter byte
 * @param bpp bytes per complete pixel, at least 1 (the filters' left neighbour distance)
 * @param code error code for an unknown filter byte
 * @param fileOffset file offset of the IDAT data, for messages
 * @throws {PxosError} on a filter byte above 4
 */
export function unfilterScanlines(
  raw: Uint8Array,
  start: number,
  rows: number,
  rowBytes: number,
  bpp: number,
  code: PxosErrorCode,
  fileOffset = 0,
): void {
  const stride = rowBytes + 1;
  const shape = { rowBytes, bpp };
  for (let y = 0; y < rows; y++) {
    const filterAt = start + y * stride;
    checkFilterByte(raw[filterAt], y, code, fileOffset);
    // The first row of an image (or pass) has an all-zero row above it.
    unfilterRow(
      raw[filterAt],
      raw,
      filterAt + 1,
      y === 0 ? null : raw,
      filterAt + 1 - stride,
      shape,
    );
  }
}

/** Refuses a filter byte above 4, naming the scanline. */
export function checkFilterByte(
  filter: number,
  scanline: number,
  code: PxosErrorCode,
  fileOffset = 0,
): void {
  if (filter > 4) {
    throw new PxosError(
      code,
      `bad filter byte ${filter} on scanline ${scanline} (expected 0..4) in IDAT data`,
      { offset: fileOffset, details: { scanline } },
    );
  }
}

/**
 * Undoes one scanline's filter in place. The row and the (already unfiltered) row above may live
 * in different arrays, which lets a streaming decoder work on the inflater's output pieces where
 * they are. The filter byte must already be checked ({@link checkFilterByte}).
 *
 * @param filter the row's filter type, 0..4
 * @param row array holding the row's pixel bytes
 * @param at offset of the row's first pixel byte (after the filter byte)
 * @param above array holding the unfiltered row above, or `null` for the first row
 * @param aboveAt offset of the row above's first pixel byte
 * @param shape bytes per row (without the filter byte) and per complete pixel (at least 1)
 */
export function unfilterRow(
  filter: number,
  row: Uint8Array,
  at: number,
  above: Uint8Array | null,
  aboveAt: number,
  shape: { rowBytes: number; bpp: number },
): void {
  const { rowBytes, bpp } = shape;
  const end = at + rowBytes;
  switch (filter) {
    case 1:
      for (let i = at + bpp; i < end; i++) row[i] += row[i - bpp];
      break;
    case 2:
      if (above !== null) {
        for (let i = at, p = aboveAt; i < end; i++, p++) row[i] += above[p];
      }
      break;
    case 3:
      if (above === null) {
        for (let i = at + bpp; i < end; i++) row[i] += row[i - bpp] >> 1;
      } else {
        for (let i = at, p = aboveAt; i < at + bpp && i < end; i++, p++) row[i] += above[p] >> 1;
        for (let i = at + bpp, p = aboveAt + bpp; i < end; i++, p++) {
          row[i] += (row[i - bpp] + above[p]) >> 1;
        }
      }
      break;
    case 4:
      if (above === null) {
        // With no row above, Paeth always predicts the left neighbour: same as Sub.
        for (let i = at + bpp; i < end; i++) row[i] += row[i - bpp];
      } else {
        for (let i = at, p = aboveAt; i < at + bpp && i < end; i++, p++) row[i] += above[p];
        for (let i = at + bpp, p = aboveAt + bpp; i < end; i++, p++) {
          const a = row[i - bpp];
          const b = above[p];
          const c = above[p - bpp];
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - c - c);
          row[i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
      }
      break;
      // case 0 (None): the bytes are the pixels already.
  }
}
