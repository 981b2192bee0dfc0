/**
 * Test-only PNG writer, independent of `src/pixel/`: builds any colour type, bit depth, filter
 * type and interlace method from plain samples, so decoder tests have fixtures with known pixels.
 * Compression uses node:zlib, not the code under test.
 */
import { deflateSync } from "node:zlib";
import { crc32 } from "../../src/pixel/crc32.ts";

/** What to build. `samples` holds one number per sample, row-major, at the image's bit depth. */
export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  samples: ArrayLike<number>;
  interlace?: 0 | 1;
  /** Filter type for every row, or "cycle" for 0,1,2,3,4,0,... */
  filter?: 0 | 1 | 2 | 3 | 4 | "cycle";
  palette?: Uint8Array;
  trns?: Uint8Array;
  /** Extra chunks inserted after IHDR (e.g. ancillary ones). */
  extraChunks?: { type: string; data: Uint8Array }[];
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const PASSES = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** Frames one chunk. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

export function ihdr(w: number, h: number, depth: number, colorType: number, interlace = 0) {
  const body = new Uint8Array(13);
  const view = new DataView(body.buffer);
  view.setUint32(0, w);
  view.setUint32(4, h);
  body[8] = depth;
  body[9] = colorType;
  body[12] = interlace;
  return chunk("IHDR", body);
}

/** The raw (filtered) scanline stream for a spec, before compression. */
export function rawScanlines(spec: PngSpec): Uint8Array {
  const channels = CHANNELS[spec.colorType];
  const parts: Uint8Array[] = [];
  let rowIndex = 0;
  const emit = (xs: number[], y: number) => {
    const bits = spec.bitDepth;
    const rowBytes = Math.ceil((xs.length * channels * bits) / 8);
    const row = new Uint8Array(rowBytes);
    let bit = 0;
    for (const x of xs) {
      for (let c = 0; c < channels; c++) {
        const v = spec.samples[(y * spec.width + x) * channels + c];
        if (bits === 16) {
          row[bit >> 3] = v >> 8;
          row[(bit >> 3) + 1] = v & 255;
        } else if (bits === 8) {
          row[bit >> 3] = v;
        } else {
          row[bit >> 3] |= v << (8 - bits - (bit & 7));
        }
        bit += bits;
      }
    }
    return row;
  };
  const bpp = Math.max(1, (channels * spec.bitDepth) / 8);
  const passes = spec.interlace === 1 ? PASSES : [[0, 0, 1, 1]];
  for (const [x0, y0, dx, dy] of passes) {
    let prev: Uint8Array | undefined;
    for (let y = y0; y < spec.height; y += dy) {
      const xs: number[] = [];
      for (let x = x0; x < spec.width; x += dx) xs.push(x);
      if (xs.length === 0) continue;
      const row = emit(xs, y);
      const type = spec.filter === "cycle" ? rowIndex % 5 : spec.filter ?? 0;
      parts.push(Uint8Array.of(type), applyFilter(type, row, prev, bpp));
      prev = row;
      rowIndex++;
    }
  }
  return concat(...parts);
}

function applyFilter(
  type: number,
  row: Uint8Array,
  prev: Uint8Array | undefined,
  bpp: number,
): Uint8Array {
  const out = new Uint8Array(row.length);
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = prev ? prev[i] : 0;
    const c = prev && i >= bpp ? prev[i - bpp] : 0;
    let pred = 0;
    if (type === 1) pred = a;
    else if (type === 2) pred = b;
    else if (type === 3) pred = (a + b) >> 1;
    else if (type === 4) {
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    out[i] = (row[i] - pred) & 255;
  }
  return out;
}

/** Builds a complete PNG file. */
export function buildPng(spec: PngSpec): Uint8Array {
  const parts = [
    SIGNATURE,
    ihdr(spec.width, spec.height, spec.bitDepth, spec.colorType, spec.interlace),
  ];
  for (const extra of spec.extraChunks ?? []) parts.push(chunk(extra.type, extra.data));
  if (spec.palette) parts.push(chunk("PLTE", spec.palette));
  if (spec.trns) parts.push(chunk("tRNS", spec.trns));
  parts.push(chunk("IDAT", new Uint8Array(deflateSync(rawScanlines(spec)))));
  parts.push(chunk("IEND", new Uint8Array(0)));
  return concat(...parts);
}

/** Deterministic test bytes (xorshift32). */
export function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 255;
  }
  return out;
}

/** A seeded PRNG returning integers in [0, n). */
export function seededInts(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}
