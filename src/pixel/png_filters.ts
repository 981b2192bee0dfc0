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
  for (let y = 0; y < rows; y++) {
    const filterAt = start + y * stride;
    const row = filterAt + 1;
    const end = row + rowBytes;
    // The first row of an image (or pass) has an all-zero row above it.
    const prev = y === 0 ? -1 : row - stride;
    switch (raw[filterAt]) {
      case 0:
        break;
      case 1:
        for (let i = row + bpp; i < end; i++) raw[i] += raw[i - bpp];
        break;
      case 2:
        if (prev >= 0) { for (let i = row, p = prev; i < end; i++, p++) raw[i] += raw[p]; }
        break;
      case 3:
        if (prev < 0) {
          for (let i = row + bpp; i < end; i++) raw[i] += raw[i - bpp] >> 1;
        } else {
          for (let i = row, p = prev; i < row + bpp && i < end; i++, p++) raw[i] += raw[p] >> 1;
          for (let i = row + bpp, p = prev + bpp; i < end; i++, p++) {
            raw[i] += (raw[i - bpp] + raw[p]) >> 1;
          }
        }
        break;
      case 4:
        if (prev < 0) {
          // With no row above, Paeth always predicts the left neighbour: same as Sub.
          for (let i = row + bpp; i < end; i++) raw[i] += raw[i - bpp];
        } else {
          for (let i = row, p = prev; i < row + bpp && i < end; i++, p++) raw[i] += raw[p];
          for (let i = row + bpp, p = prev + bpp; i < end; i++, p++) {
            const a = raw[i - bpp];
            const b = raw[p];
            const c = raw[p - bpp];
            const pa = Math.abs(b - c);
            const pb = Math.abs(a - c);
            const pc = Math.abs(a + b - c - c);
            raw[i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          }
        }
        break;
      default:
        throw new PxosError(
          code,
          `bad filter byte ${raw[filterAt]} on scanline ${y} (expected 0..4) in IDAT data`,
          { offset: fileOffset, details: { scanline: y } },
        );
    }
  }
}
