/**
 * Colours and the blending arithmetic every renderer shares. Defined on integers only, so the
 * CPU renderer and the WebGPU shaders (which repeat these formulas in `u32`) give the same bytes.
 *
 * Pixels are straight (not premultiplied) RGBA8 packed little-endian in a `u32`:
 * `r | g << 8 | b << 16 | a << 24` — a `Uint32Array` over an RGBA byte buffer on a little-endian
 * machine. Colours in the draw list are `0xRRGGBBAA` numbers.
 *
 * Source-over of `src` onto `dst` (all channels 0–255):
 *
 * ```text
 * sa = 255: result = src          sa = 0: result = dst
 * ws = sa·255    wd = da·(255 − sa)    t = ws + wd
 * out.a = ⌊(t + 127) / 255⌋
 * out.c = ⌊(src.c·ws + dst.c·wd + ⌊t / 2⌋) / t⌋   for c in r, g, b
 * ```
 *
 * Layer opacity `o` scales a layer pixel's alpha first: `a' = ⌊(a·o + 127) / 255⌋`.
 *
 * @module
 */

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error("pxOS graphics needs a little-endian machine");
}

/**
 * Packs channels into a `0xRRGGBBAA` colour.
 *
 * @example
 * ```ts
 * import { rgba } from "@pxos/core";
 * console.log(rgba(255, 0, 0).toString(16)); // "ff0000ff"
 * ```
 */
export function rgba(r: number, g: number, b: number, a = 255): number {
  return (((r & 0xff) << 24) | ((g & 0xff) << 16) | ((b & 0xff) << 8) | (a & 0xff)) >>> 0;
}

/**
 * Converts a `0xRRGGBBAA` colour to a little-endian pixel value. A colour with alpha 0 becomes
 * 0 (transparent black), so every fully transparent pixel has the same bytes.
 */
export function colorToPixel(color: number): number {
  if ((color & 0xff) === 0) return 0;
  return (((color >>> 24) & 0xff) | (((color >>> 16) & 0xff) << 8) |
    (((color >>> 8) & 0xff) << 16) | ((color & 0xff) << 24)) >>> 0;
}

/** Source-over of pixel `src` onto pixel `dst` (see the module doc for the formula). */
export function blendOver(dst: number, src: number): number {
  const sa = src >>> 24;
  if (sa === 255) return src >>> 0;
  if (sa === 0) return dst >>> 0;
  const da = dst >>> 24;
  const ws = sa * 255;
  const wd = da * (255 - sa);
  const t = ws + wd;
  const half = t >>> 1;
  const r = Math.floor(((src & 0xff) * ws + (dst & 0xff) * wd + half) / t);
  const g = Math.floor((((src >>> 8) & 0xff) * ws + ((dst >>> 8) & 0xff) * wd + half) / t);
  const b = Math.floor((((src >>> 16) & 0xff) * ws + ((dst >>> 16) & 0xff) * wd + half) / t);
  const a = Math.floor((t + 127) / 255);
  return (r | (g << 8) | (b << 16) | (a << 24)) >>> 0;
}

/** Scales a pixel's alpha by a layer opacity 0–255. */
export function withOpacity(pixel: number, opacity: number): number {
  if (opacity === 255) return pixel >>> 0;
  const a = Math.floor(((pixel >>> 24) * opacity + 127) / 255);
  return ((pixel & 0xffffff) | (a << 24)) >>> 0;
}
