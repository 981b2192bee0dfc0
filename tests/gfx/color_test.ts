import { assertEquals } from "../assert.ts";
import { blendOver, colorToPixel, rgba, withOpacity } from "../../src/gfx/color.ts";

const px = (r: number, g: number, b: number, a: number) => colorToPixel(rgba(r, g, b, a));
const channels = (p: number) => [p & 255, (p >>> 8) & 255, (p >>> 16) & 255, p >>> 24];

Deno.test("colours pack as 0xRRGGBBAA and pixels as little-endian RGBA", () => {
  assertEquals(rgba(1, 2, 3, 4), 0x01020304);
  assertEquals(channels(colorToPixel(0x01020304)), [1, 2, 3, 4]);
  assertEquals(colorToPixel(0x11223300), 0, "alpha 0 is transparent black");
});

Deno.test("source-over: opaque replaces, transparent keeps, onto empty copies", () => {
  const dst = px(10, 20, 30, 255);
  assertEquals(blendOver(dst, px(1, 2, 3, 255)), px(1, 2, 3, 255));
  assertEquals(blendOver(dst, 0), dst);
  for (const a of [1, 37, 128, 254]) {
    assertEquals(blendOver(0, px(9, 99, 199, a)), px(9, 99, 199, a));
  }
});

Deno.test("source-over: the defined integer arithmetic, worked examples", () => {
  // 50% white over opaque black: ws = 128·255 = 32640, wd = 255·127 = 32385, t = 65025.
  // c = ⌊(255·32640 + 0 + 32512) / 65025⌋ = 128; a = ⌊(65025 + 127) / 255⌋ = 255.
  assertEquals(channels(blendOver(px(0, 0, 0, 255), px(255, 255, 255, 128))), [128, 128, 128, 255]);
  // 50% red over 50% blue: ws = 32640, wd = 128·127 = 16256, t = 48896.
  // r = ⌊(255·32640 + 24448) / 48896⌋ = 170, b = ⌊(255·16256 + 24448) / 48896⌋ = 85,
  // a = ⌊(48896 + 127) / 255⌋ = 192.
  assertEquals(channels(blendOver(px(0, 0, 255, 128), px(255, 0, 0, 128))), [170, 0, 85, 192]);
});

Deno.test("layer opacity scales alpha with rounding", () => {
  assertEquals(channels(withOpacity(px(5, 6, 7, 255), 128)), [5, 6, 7, 128]);
  assertEquals(channels(withOpacity(px(5, 6, 7, 100), 51)), [5, 6, 7, 20]);
  assertEquals(withOpacity(px(5, 6, 7, 100), 255), px(5, 6, 7, 100));
});
