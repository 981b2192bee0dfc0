/**
 * A small built-in bitmap font: 5x7 glyphs for printable ASCII (32..126) in a 6x9 cell, and a
 * routine that draws text into any RGBA8 buffer. Standalone on purpose (no pxOS imports), so the
 * label generator and the graphics layer can share it.
 *
 * @module
 */

/**
 * Glyph table, one 7-character word per glyph from code 32 (space) to 126 (`~`). Each character
 * is one row, top to bottom, in base 32 (`0-9a-v`); bit 4 of a row is the leftmost pixel.
 * Drawn by hand for this project.
 */
const GLYPHS_5X7 = `
  0000000 4444404 aaa0000 aavavaa 4fke5u4 op248j3 cik8lid 4480000
  2488842 8422248 04lel40 044v440 0000c48 000v000 00000cc 01248g0
  ehjlphe 4c4444e eh1248v v2421he 26aiv22 vgu11he 68guhhe v124888
  ehhehhe ehhf12c 0cc0cc0 0cc0c48 248g842 00v0v00 8421248 eh12404
  eh1dlle ehhvhhh uhhuhhu ehggghe sihhhis vgguggv vgguggg ehgnhhf
  hhhvhhh e44444e 72222ic hikokih ggggggv hrllhhh hhpljhh ehhhhhe
  uhhuggg ehhhlid uhhukih fgge11u v444444 hhhhhhe hhhhha4 hhhllla
  hha4ahh hha4444 v1248gv e88888e 0g84210 e22222e 4ah0000 000000v
  8420000 00e1fhf ggmphhu 00egghe 11djhhf 00ehvge 698s888 00fhf1e
  ggmphhh 40c444e 20622ic ggikoki c44444e 00qllhh 00mphhh 00ehhhe
  00uhugg 00djf11 00mpggg 00ege1u 88s8896 00hhhjd 00hhha4 00hhlla
  00ha4ah 00hhf1e 00v248v 688g886 4444444 c22122c 008l200
`.trim().split(/\s+/);

/** First character code in the table. */
const FIRST_CODE = 32;
/** Last character code in the table. */
const LAST_CODE = 126;

/** Metrics of the built-in font, in unscaled pixels. */
export const FONT_METRICS: {
  readonly glyphWidth: number;
  readonly glyphHeight: number;
  readonly advance: number;
  readonly lineHeight: number;
} = { glyphWidth: 5, glyphHeight: 7, advance: 6, lineHeight: 9 };

/** Decoded rows, cached: index = code - 32, value = 7 row bitmasks (bit 4 = leftmost). */
const ROWS: Uint8Array[] = GLYPHS_5X7.map((word) => {
  const rows = new Uint8Array(FONT_METRICS.glyphHeight);
  for (let i = 0; i < rows.length; i++) rows[i] = parseInt(word[i], 32);
  return rows;
});

/**
 * The 7 row bitmasks of a character (bit 4 = leftmost pixel). Characters outside printable
 * ASCII are drawn as `?`.
 *
 * @example
 * ```ts
 * import { glyphRows } from "@pxos/core";
 * console.log(glyphRows("I")); // Uint8Array [14, 4, 4, 4, 4, 4, 14]
 * ```
 *
 * @param char one character (only its first UTF-16 unit counts)
 * @returns the glyph's rows, top to bottom
 */
export function glyphRows(char: string): Uint8Array {
  const code = char.charCodeAt(0);
  const valid = code >= FIRST_CODE && code <= LAST_CODE;
  return ROWS[(valid ? code : 63) - FIRST_CODE];
}

/**
 * Width in pixels of `text` drawn on one line at `scale` (no trailing gap).
 *
 * @example
 * ```ts
 * import { measureText } from "@pxos/core";
 * console.log(measureText("pxOS", 2)); // 46
 * ```
 *
 * @param text the text
 * @param scale integer zoom (1 = 5x7 glyphs)
 * @returns width in pixels
 */
export function measureText(text: string, scale = 1): number {
  if (text.length === 0) return 0;
  return (text.length * FONT_METRICS.advance - 1) * scale;
}

/** A target for {@link drawText}: any RGBA8 buffer with its size. */
export interface TextTarget {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** RGBA8 pixels, `width * height * 4` bytes. */
  data: Uint8Array;
}

/**
 * Draws `text` into an RGBA8 buffer with its top-left corner at (x, y), clipped to the buffer.
 * Opaque colours overwrite; translucent ones blend source-over.
 *
 * @example
 * ```ts
 * import { drawText } from "@pxos/core";
 * const target = { width: 40, height: 9, data: new Uint8Array(40 * 9 * 4) };
 * const endX = drawText(target, 1, 1, "Hi!", [255, 255, 255, 255]);
 * console.log(endX); // 19
 * ```
 *
 * @param target RGBA8 buffer
 * @param x left edge in pixels
 * @param y top edge in pixels
 * @param text characters to draw (one line; `?` for non-ASCII)
 * @param rgba colour, 0..255 per channel
 * @param scale integer zoom (1 = 5x7 glyphs)
 * @returns the x just after the last glyph cell
 */
export function drawText(
  target: TextTarget,
  x: number,
  y: number,
  text: string,
  rgba: readonly [number, number, number, number],
  scale = 1,
): number {
  const step = Math.max(1, Math.floor(scale));
  let penX = Math.floor(x);
  const top = Math.floor(y);
  for (const char of text) {
    const rows = glyphRows(char);
    for (let row = 0; row < rows.length; row++) {
      const bits = rows[row];
      if (bits === 0) continue;
      for (let col = 0; col < FONT_METRICS.glyphWidth; col++) {
        if ((bits & (16 >> col)) === 0) continue;
        fillBlock(target, penX + col * step, top + row * step, step, rgba);
      }
    }
    penX += FONT_METRICS.advance * step;
  }
  return penX;
}

function fillBlock(
  target: TextTarget,
  x0: number,
  y0: number,
  size: number,
  [r, g, b, a]: readonly [number, number, number, number],
): void {
  const x1 = Math.min(target.width, x0 + size);
  const y1 = Math.min(target.height, y0 + size);
  for (let y = Math.max(0, y0); y < y1; y++) {
    for (let x = Math.max(0, x0); x < x1; x++) {
      const o = (y * target.width + x) * 4;
      const d = target.data;
      if (a >= 255) {
        d[o] = r;
        d[o + 1] = g;
        d[o + 2] = b;
        d[o + 3] = 255;
      } else if (a > 0) {
        const k = a / 255;
        d[o] = Math.round(r * k + d[o] * (1 - k));
        d[o + 1] = Math.round(g * k + d[o + 1] * (1 - k));
        d[o + 2] = Math.round(b * k + d[o + 2] * (1 - k));
        d[o + 3] = Math.round(a + d[o + 3] * (1 - k));
      }
    }
  }
}
