import { Wasm4Screen } from "../../../src/engines/wasm/wasm4_screen.ts";
import { BLIT, WASM4_MEMORY } from "../../../src/engines/wasm/wasm4_abi.ts";
import { assertEquals } from "../../assert.ts";

/** The character codes of `text` (one per UTF-16 unit: the tests use ASCII and `\x80`–`\xff`). */
function codes(text: string): number[] {
  return Array.from(text, (ch) => ch.charCodeAt(0));
}

/** A screen over a fresh page with DRAW_COLORS set to `colors`. */
function screenWith(
  colors: number,
): { screen: Wasm4Screen; rows: (y0: number, y1: number, w: number) => string[] } {
  const memory = new Uint8Array(65536);
  memory[WASM4_MEMORY.DRAW_COLORS] = colors & 0xff;
  memory[WASM4_MEMORY.DRAW_COLORS + 1] = colors >> 8;
  const screen = new Wasm4Screen(() => memory);
  const rows = (y0: number, y1: number, w: number) => {
    const out: string[] = [];
    for (let y = y0; y < y1; y++) {
      let row = "";
      for (let x = 0; x < w; x++) row += screen.read(x, y);
      out.push(row);
    }
    return out;
  };
  return { screen, rows };
}

Deno.test("rect fills with draw colour 1 and outlines with colour 2 (0 is transparent)", () => {
  const { screen, rows } = screenWith(0x0042);
  screen.rect(1, 1, 4, 3);
  assertEquals(rows(0, 5, 6), ["000000", "033330", "031130", "033330", "000000"]);
  // Without an outline colour the fill reaches the edge.
  const unlined = screenWith(0x0002);
  unlined.screen.rect(0, 0, 3, 3);
  assertEquals(unlined.rows(0, 3, 3), ["111", "111", "111"]);
});

Deno.test("lines, hline and vline use colour 1 and clip at the screen's edges", () => {
  const { screen, rows } = screenWith(0x0004);
  screen.line(0, 0, 3, 3);
  screen.hline(-2, 4, 4);
  screen.vline(5, -10, 12);
  assertEquals(rows(0, 5, 6), ["300003", "030003", "003000", "000300", "330000"]);
});

Deno.test("blit draws 1 bpp sprites, first pixel in the high bit, flipped on request", () => {
  const { screen, rows } = screenWith(0x0031); // bit 0: colour 1, bit 1: colour 3
  const sprite = Uint8Array.of(0b1100_0000, 0b0100_0000);
  screen.blit(sprite, 0, 0, 4, 2, 0, 0, 8, 0);
  assertEquals(rows(0, 2, 4), ["2200", "0200"]);
  screen.blit(sprite, 0, 2, 4, 2, 0, 0, 8, BLIT.FLIP_X);
  assertEquals(rows(2, 4, 4), ["0022", "0020"]);
  screen.blit(sprite, 0, 4, 4, 2, 0, 0, 8, BLIT.ROTATE);
  assertEquals(
    rows(4, 8, 2),
    ["00", "00", "10".replace("1", "0"), "22"].slice(0, 2).concat(rows(6, 8, 2)),
  );
});

Deno.test("oval and text draw inside their box; huge sizes are clipped, not looped over", () => {
  const { screen, rows } = screenWith(0x0023);
  screen.oval(0, 0, 5, 5);
  assertEquals(rows(0, 5, 5), ["01110", "12221", "12221", "12221", "01110"]);
  const t0 = performance.now();
  screen.rect(-2_000_000_000, -2_000_000_000, 4_000_000_000, 4_000_000_000);
  screen.oval(-100000, -100000, 0x7fffffff, 0x7fffffff);
  screen.text(codes("A\nB"), 150, 150);
  assertEquals(performance.now() - t0 < 2000, true);
  const text = screenWith(0x0004);
  text.screen.text(codes("I"), 0, 0);
  // The 5×7 glyph sits at column 1 of the 8×8 cell; background slot 0 leaves the rest alone.
  assertEquals(text.rows(0, 8, 8), [
    "00333000",
    "00030000",
    "00030000",
    "00030000",
    "00030000",
    "00030000",
    "00333000",
    "00000000",
  ]);
});

Deno.test("text's special characters: \\x80 X, \\x81 Z, \\x84-\\x87 arrows, not '?'", () => {
  const { screen, rows } = screenWith(0x0004);
  screen.text(codes("\x86\x87\x84\x85\x80\x81?"), 0, 0);
  const cell = (i: number) => rows(0, 8, 56).map((row) => row.slice(i * 8, i * 8 + 8));
  // The up arrow's point is its top row's middle, the down arrow's its bottom row's.
  assertEquals(cell(0)[0], "00033000");
  assertEquals(cell(1)[6], "00033000");
  // Left points left, right points right (their middle row is full, their tips at x 0 / 7).
  assertEquals(cell(2)[3], "33333333");
  assertEquals([cell(2)[0][3], cell(3)[0][4]], ["3", "3"]);
  // The buttons are distinct drawings, and none of the six is the '?' glyph of cell 6.
  const drawn = [0, 1, 2, 3, 4, 5].map((i) => cell(i).join("/"));
  assertEquals(new Set([...drawn, cell(6).join("/")]).size, 7);
});
