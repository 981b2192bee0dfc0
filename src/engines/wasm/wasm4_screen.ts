/**
 * WASM-4's drawing, on the framebuffer inside the cartridge's own memory (so a cartridge may also
 * read and write pixels itself): each call picks its colours from `DRAW_COLORS` (slot 0 means
 * transparent) and clips to the 160×160 screen. Text uses pxOS's 5×7 font in WASM-4's 8×8
 * cells (WASM-4's own font is not copied).
 *
 * @module
 */
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphBit, glyphIndex } from "../../gfx/font.ts";
import { BLIT, SCREEN_SIZE, WASM4_MEMORY } from "./wasm4_abi.ts";
import { wasm4SpecialGlyph } from "./wasm4_glyphs.ts";

/** Coordinates and sizes are clamped to this range first, so no loop runs far off screen. */
const COORD_LIMIT = 1 << 15;

/** Clamps a coordinate (i32 from the guest) to ±{@link COORD_LIMIT}. */
function coord(n: number): number {
  return Math.max(-COORD_LIMIT, Math.min(COORD_LIMIT, n | 0));
}

/** The part [from, to) of 0..len whose screen positions start + i fall on the screen. */
function visible(start: number, len: number): [number, number] {
  return [Math.max(0, -start), Math.min(len, SCREEN_SIZE - start)];
}

/** Drawing on one cartridge's framebuffer. */
export class Wasm4Screen {
  readonly #memory: () => Uint8Array;

  /** @param memory the cartridge's memory (read at each call) */
  constructor(memory: () => Uint8Array) {
    this.#memory = memory;
  }

  /** Draw colour slot `slot` (1–4): 0 transparent, else a palette index 0–3 plus one. */
  drawColor(slot: number): number {
    const m = this.#memory();
    const colors = m[WASM4_MEMORY.DRAW_COLORS] | (m[WASM4_MEMORY.DRAW_COLORS + 1] << 8);
    return (colors >> ((slot - 1) * 4)) & 0xf;
  }

  /** Sets one pixel to draw colour value `color` (1–4; 0 draws nothing), clipped. */
  pixel(x: number, y: number, color: number): void {
    if (color === 0 || x < 0 || y < 0 || x >= SCREEN_SIZE || y >= SCREEN_SIZE) return;
    const m = this.#memory();
    const i = y * SCREEN_SIZE + x;
    const at = WASM4_MEMORY.FRAMEBUFFER + (i >> 2);
    const shift = (i & 3) * 2;
    m[at] = (m[at] & ~(3 << shift)) | (((color - 1) & 3) << shift);
  }

  /** Palette index (0–3) of the pixel at (x, y). */
  read(x: number, y: number): number {
    const i = y * SCREEN_SIZE + x;
    return (this.#memory()[WASM4_MEMORY.FRAMEBUFFER + (i >> 2)] >> ((i & 3) * 2)) & 3;
  }

  /** A horizontal line of `len` pixels in colour 1. */
  hline(x: number, y: number, len: number): void {
    [x, y, len] = [coord(x), coord(y), Math.max(0, coord(len))];
    const c = this.drawColor(1);
    const [from, to] = visible(x, len);
    for (let i = from; i < to; i++) this.pixel(x + i, y, c);
  }

  /** A vertical line of `len` pixels in colour 1. */
  vline(x: number, y: number, len: number): void {
    [x, y, len] = [coord(x), coord(y), Math.max(0, coord(len))];
    const c = this.drawColor(1);
    const [from, to] = visible(y, len);
    for (let i = from; i < to; i++) this.pixel(x, y + i, c);
  }

  /** A filled rectangle in colour 1 with an outline in colour 2. */
  rect(x: number, y: number, w: number, h: number): void {
    [x, y, w, h] = [coord(x), coord(y), Math.max(0, coord(w)), Math.max(0, coord(h))];
    const fill = this.drawColor(1);
    const edge = this.drawColor(2);
    const [i0, i1] = visible(x, w);
    const [j0, j1] = visible(y, h);
    for (let j = j0; j < j1; j++) {
      for (let i = i0; i < i1; i++) {
        const border = i === 0 || j === 0 || i === w - 1 || j === h - 1;
        this.pixel(x + i, y + j, border && edge !== 0 ? edge : fill);
      }
    }
  }

  /** An ellipse inside the w×h box: filled in colour 1, outlined in colour 2. */
  oval(x: number, y: number, w: number, h: number): void {
    [x, y, w, h] = [coord(x), coord(y), Math.max(0, coord(w)), Math.max(0, coord(h))];
    const fill = this.drawColor(1);
    const edge = this.drawColor(2);
    const inside = (i: number, j: number) => {
      if (i < 0 || j < 0 || i >= w || j >= h) return false;
      // Pixel centres against the ellipse, in integers: (2i+1-w)²h² + (2j+1-h)²w² ≤ w²h².
      const dx = 2 * i + 1 - w;
      const dy = 2 * j + 1 - h;
      return dx * dx * h * h + dy * dy * w * w <= w * w * h * h;
    };
    const [i0, i1] = visible(x, w);
    const [j0, j1] = visible(y, h);
    for (let j = j0; j < j1; j++) {
      for (let i = i0; i < i1; i++) {
        if (!inside(i, j)) continue;
        const border = !inside(i - 1, j) || !inside(i + 1, j) || !inside(i, j - 1) ||
          !inside(i, j + 1);
        this.pixel(x + i, y + j, border && edge !== 0 ? edge : fill);
      }
    }
  }

  /** A line in colour 1 from (x1, y1) to (x2, y2), both ends included (Bresenham). */
  line(x1: number, y1: number, x2: number, y2: number): void {
    [x1, y1, x2, y2] = [coord(x1), coord(y1), coord(x2), coord(y2)];
    const c = this.drawColor(1);
    const dx = Math.abs(x2 - x1);
    const dy = -Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx + dy;
    for (let steps = 0; steps <= 2 * (SCREEN_SIZE + dx - dy); steps++) {
      this.pixel(x1, y1, c);
      if (x1 === x2 && y1 === y2) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x1 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  /**
   * Copies a w×h region at (srcX, srcY) of a sprite `stride` pixels wide to (x, y): 1 bit per
   * pixel (colours 1–2) or 2 bits (`BLIT.BPP2`, colours 1–4), first pixel in the high bits;
   * flipped and rotated a quarter turn anticlockwise as `flags` say.
   */
  blit(
    sprite: Uint8Array,
    x: number,
    y: number,
    w: number,
    h: number,
    srcX: number,
    srcY: number,
    stride: number,
    flags: number,
  ): void {
    [x, y, w, h] = [coord(x), coord(y), Math.max(0, coord(w)), Math.max(0, coord(h))];
    const bpp2 = (flags & BLIT.BPP2) !== 0;
    const rotate = (flags & BLIT.ROTATE) !== 0;
    const flipX = (flags & BLIT.FLIP_X) !== 0;
    const flipY = (flags & BLIT.FLIP_Y) !== 0;
    const colors = [1, 2, 3, 4].map((slot) => this.drawColor(slot));
    // On screen a rotated sprite is h wide and w tall.
    const outW = rotate ? h : w;
    const outH = rotate ? w : h;
    const [u0, u1] = visible(x, outW);
    const [v0, v1] = visible(y, outH);
    for (let v = v0; v < v1; v++) {
      for (let u = u0; u < u1; u++) {
        let sx = rotate ? w - 1 - v : u;
        let sy = rotate ? u : v;
        if (flipX) sx = w - 1 - sx;
        if (flipY) sy = h - 1 - sy;
        const bit = (srcY + sy) * stride + srcX + sx;
        // Bytes past the end of memory read as 0.
        const value = bpp2
          ? (sprite[bit >> 2] >> (6 - (bit & 3) * 2)) & 3
          : (sprite[bit >> 3] >> (7 - (bit & 7))) & 1;
        this.pixel(x + u, y + v, colors[value]);
      }
    }
  }

  /**
   * Text in 8×8 cells: glyphs in colour 1 on a colour-2 cell background; `\n` (10) starts a
   * line. `codes` are character codes: the bytes of `text`'s string (one character each, as
   * WASM-4 reads them), or the code points of `textUtf8`/`textUtf16`. WASM-4's special
   * characters (`\x80` X, `\x81` Z, `\x84`–`\x87` arrows) have glyphs of their own.
   */
  text(codes: Iterable<number>, x: number, y: number): void {
    [x, y] = [coord(x), coord(y)];
    const fg = this.drawColor(1);
    const bg = this.drawColor(2);
    let cx = x;
    let cy = y;
    for (const cp of codes) {
      if (cp === 0x0a) {
        cx = x;
        cy += 8;
        continue;
      }
      const special = wasm4SpecialGlyph(cp);
      const g = glyphIndex(cp);
      const onScreen = cx > -8 && cx < SCREEN_SIZE && cy > -8 && cy < SCREEN_SIZE;
      for (let row = 0; onScreen && row < 8; row++) {
        for (let col = 0; col < 8; col++) {
          // The 5×7 glyph sits at (1, 0) of the 8×8 cell.
          const on = special
            ? ((special[row] >> (7 - col)) & 1) === 1
            : col >= 1 && col <= GLYPH_WIDTH && row < GLYPH_HEIGHT && cp !== 0x20 &&
              glyphBit(g, col - 1, row);
          this.pixel(cx + col, cy + row, on ? fg : bg);
        }
      }
      cx += 8;
    }
  }
}
