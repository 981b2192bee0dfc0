/**
 * Plain pixel buffers passed between the PNG codec, the label code and the cartridge layout.
 *
 * @module
 */

/** An 8-bit image with 3 (RGB) or 4 (RGBA) interleaved channels, rows top to bottom. */
export interface PixelImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** 3 for RGB, 4 for RGBA. */
  channels: 3 | 4;
  /** `width * height * channels` bytes. */
  pixels: Uint8Array;
}

/** An 8-bit RGBA image (straight, not premultiplied alpha), rows top to bottom. */
export interface RgbaImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** `width * height * 4` bytes: R, G, B, A per pixel. */
  data: Uint8Array;
}

/** A rectangle of pixels. */
export interface PixelRect {
  /** Left column. */
  x: number;
  /** Top row. */
  y: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}
