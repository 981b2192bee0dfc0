import { decode, decodeApng } from "fast-png";
import { assertEquals } from "../assert.ts";
import { encodeApng, encodeFramePng } from "../../src/gfx/png_frame.ts";

const frame = (w: number, h: number, seed: number) => ({
  width: w,
  height: h,
  rgba: Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * seed + (i >> 3)) & 255),
});

Deno.test("encodeFramePng writes an RGBA8 PNG that a PNG decoder reads back exactly", async () => {
  const f = frame(13, 7, 31);
  const png = decode(await encodeFramePng(f));
  assertEquals([png.width, png.height, png.channels, png.depth], [13, 7, 4, 8]);
  assertEquals(Array.from(png.data as Uint8Array), Array.from(f.rgba));
});

Deno.test("encodeApng writes acTL/fcTL/fdAT frames a decoder reads back", async () => {
  const frames = [frame(6, 4, 3), frame(6, 4, 5), frame(6, 4, 7)];
  const bytes = await encodeApng(frames, 250);
  const text = new TextDecoder("latin1").decode(bytes);
  assertEquals(["acTL", "fcTL", "fdAT"].every((c) => text.includes(c)), true);
  const apng = decodeApng(bytes);
  assertEquals(apng.frames.length, 3);
  for (let i = 0; i < 3; i++) {
    assertEquals(Array.from(apng.frames[i].data as Uint8Array), Array.from(frames[i].rgba));
  }
});
