/**
 * The built-in bitmap font for `TEXT`: 5×7 glyphs for printable ASCII (0x20–0x7E) in 6×8
 * cells. Each glyph is 5 column bytes, left to right; bit 0 is the top row. Anything else
 * (non-ASCII, control characters other than `\n`) draws as `?`.
 *
 * @module
 */

/** Glyph width in pixels. */
export const GLYPH_WIDTH = 5;
/** Glyph height in pixels. */
export const GLYPH_HEIGHT = 7;
/** Horizontal advance per character. */
export const CELL_WIDTH = 6;
/** Line height (for `\n`). */
export const CELL_HEIGHT = 8;
/** First code point with a glyph. */
export const FIRST_CHAR = 0x20;
/** Last code point with a glyph. */
export const LAST_CHAR = 0x7e;

// deno-fmt-ignore
const GLYPH_HEX = [
  "0000000000", "00005f0000", "0007000700", "147f147f14", "242a7f2a12", "2313086462",
  "3649552250", "0005030000", "001c224100", "0041221c00", "14083e0814", "08083e0808",
  "0050300000", "0808080808", "0060600000", "2010080402", "3e5149453e", "00427f4000",
  "4261514946", "2141454b31", "1814127f10", "2745454539", "3c4a494930", "0171090503",
  "3649494936", "064949291e", "0036360000", "0056360000", "0814224100", "1414141414",
  "0041221408", "0201510906", "324979413e", "7e1111117e", "7f49494936", "3e41414122",
  "7f4141221c", "7f49494941", "7f09090901", "3e4149497a", "7f0808087f", "00417f4100",
  "2040413f01", "7f08142241", "7f40404040", "7f020c027f", "7f0408107f", "3e4141413e",
  "7f09090906", "3e4151215e", "7f09192946", "4649494931", "01017f0101", "3f4040403f",
  "1f2040201f", "3f4038403f", "6314081463", "0708700807", "6151494543", "007f414100",
  "0204081020", "0041417f00", "0402010204", "4040404040", "0001020400", "2054545478",
  "7f48444438", "3844444420", "384444487f", "3854545418", "087e090102", "0c5252523e",
  "7f08040478", "00447d4000", "2040443d00", "7f10284400", "00417f4000", "7c04180478",
  "7c08040478", "3844444438", "7c14141408", "081414187c", "7c08040408", "4854545420",
  "043f444020", "3c4040207c", "1c2040201c", "3c4030403c", "4428102844", "0c5050503c",
  "4464544c44", "0008364100", "00007f0000", "0041360800", "0804081008",
];

/** All glyphs: 5 bytes per character from 0x20 to 0x7E. */
export const FONT_5X7: Uint8Array = Uint8Array.from(
  GLYPH_HEX.flatMap((hex) => [0, 2, 4, 6, 8].map((i) => parseInt(hex.slice(i, i + 2), 16))),
);

/** Glyph index (0-based from 0x20) used for a code point. */
export function glyphIndex(codePoint: number): number {
  if (codePoint < FIRST_CHAR || codePoint > LAST_CHAR) return 0x3f - FIRST_CHAR; // '?'
  return codePoint - FIRST_CHAR;
}

/** Whether glyph `g` has its pixel at column `col` (0–4), row `row` (0–6) set. */
export function glyphBit(g: number, col: number, row: number): boolean {
  return ((FONT_5X7[g * GLYPH_WIDTH + col] >> row) & 1) === 1;
}

/**
 * Lays text out into glyph placements `[x, y, glyph, …]`, skipping spaces and placements whose
 * cell lies wholly outside `0 ≤ x, y < limit`. `\n` starts a new line at the original x.
 *
 * @param x left edge of the first cell
 * @param y top edge of the first line
 * @param text the text
 * @param limit the largest canvas side (cells beyond it cannot be visible)
 */
export function layoutText(x: number, y: number, text: string, limit: number): Int32Array {
  const out: number[] = [];
  let cx = x;
  let cy = y;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a) {
      cx = x;
      cy += CELL_HEIGHT;
      continue;
    }
    if (cp !== 0x20 && cx > -CELL_WIDTH && cx < limit && cy > -CELL_HEIGHT && cy < limit) {
      out.push(cx, cy, glyphIndex(cp));
    }
    cx += CELL_WIDTH;
  }
  return Int32Array.from(out);
}
