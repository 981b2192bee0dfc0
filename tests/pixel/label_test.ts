import { deflateSync } from "node:zlib";
import { encode as fastPngEncode } from "fast-png";
import { assert, assertEquals, assertPxosError } from "../assert.ts";
import {
  decodeCartridgeImage,
  decodePng,
  decodePngToRgba,
  drawText,
  encodeCartridgeImage,
  FONT_METRICS,
  generateLabel,
  glyphRows,
  measureText,
  type RgbaImage,
} from "../../mod.ts";
import { buildPng, type PngSpec, seededBytes, seededInts } from "./png_builder.ts";

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Reference conversion to RGBA8, written plainly and separately from the decoder. */
function expectedRgba(spec: PngSpec): Uint8Array {
  const n = spec.width * spec.height;
  const ch = CHANNELS[spec.colorType];
  const max = 2 ** spec.bitDepth - 1;
  const to8 = (v: number) =>
    spec.bitDepth === 16 ? Math.round(v / 257) : Math.round((v * 255) / max);
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = Array.from({ length: ch }, (_, c) => spec.samples[i * ch + c]);
    let px: number[];
    if (spec.colorType === 3) {
      const p = spec.palette!;
      px = [p[s[0] * 3], p[s[0] * 3 + 1], p[s[0] * 3 + 2], spec.trns?.[s[0]] ?? 255];
    } else if (spec.colorType === 0) {
      const key = spec.trns ? (spec.trns[0] << 8) | spec.trns[1] : -1;
      px = [to8(s[0]), to8(s[0]), to8(s[0]), s[0] === key ? 0 : 255];
    } else if (spec.colorType === 4) {
      px = [to8(s[0]), to8(s[0]), to8(s[0]), to8(s[1])];
    } else if (spec.colorType === 2) {
      px = [to8(s[0]), to8(s[1]), to8(s[2]), 255];
    } else {
      px = s.map(to8);
    }
    out.set(px, i * 4);
  }
  return out;
}

function specFor(colorType: 0 | 2 | 3 | 4 | 6, bitDepth: 1 | 2 | 4 | 8 | 16, interlace: 0 | 1) {
  const [width, height] = [11, 9];
  const next = seededInts(colorType * 100 + bitDepth * 10 + interlace + 1);
  const ch = CHANNELS[colorType];
  const entries = colorType === 3 ? Math.min(2 ** bitDepth, 20) : 0;
  const samples = Array.from(
    { length: width * height * ch },
    () => colorType === 3 ? next(entries) : next(2 ** bitDepth),
  );
  const spec: PngSpec = { width, height, colorType, bitDepth, samples, interlace, filter: "cycle" };
  if (colorType === 3) {
    spec.palette = seededBytes(entries * 3, bitDepth + 7);
    spec.trns = Uint8Array.from({ length: Math.min(entries, 3) }, (_, i) => i * 100);
  }
  if (colorType === 0 && bitDepth === 8) spec.trns = Uint8Array.of(0, samples[0]);
  return spec;
}

const KINDS: [0 | 2 | 3 | 4 | 6, (1 | 2 | 4 | 8 | 16)[]][] = [
  [0, [1, 2, 4, 8, 16]],
  [2, [8, 16]],
  [3, [1, 2, 4, 8]],
  [4, [8, 16]],
  [6, [8, 16]],
];

Deno.test("decodePngToRgba reads every PNG kind, interlaced or not", async () => {
  let checked = 0;
  for (const [colorType, depths] of KINDS) {
    for (const bitDepth of depths) {
      for (const interlace of [0, 1] as const) {
        const spec = specFor(colorType, bitDepth, interlace);
        const image = await decodePngToRgba(buildPng(spec));
        const name = `type ${colorType} depth ${bitDepth} interlace ${interlace}`;
        assertEquals([image.width, image.height], [spec.width, spec.height], name);
        assertEquals(image.data, expectedRgba(spec), name);
        checked++;
      }
    }
  }
  assertEquals(checked, 30);
});

Deno.test("decodePngToRgba reads fast-png's own encodings (RGBA, 16-bit gray, palette)", async () => {
  const rgba = seededBytes(6 * 5 * 4, 1);
  const a = await decodePngToRgba(fastPngEncode({ width: 6, height: 5, data: rgba, channels: 4 }));
  assertEquals(a.data, rgba);
  const gray = Uint16Array.from({ length: 30 }, (_, i) => i * 2000);
  const b = await decodePngToRgba(
    fastPngEncode({ width: 6, height: 5, data: gray, channels: 1, depth: 16 }),
  );
  assertEquals(
    Array.from(b.data.filter((_, i) => i % 4 === 0)),
    Array.from(gray, (v) => Math.round(v / 257)),
  );
  const palette = [[10, 20, 30, 255], [40, 50, 60, 255]];
  const c = await decodePngToRgba(fastPngEncode({
    width: 2,
    height: 1,
    data: Uint8Array.of(1, 0),
    channels: 1,
    depth: 8,
    palette,
  }));
  assertEquals(Array.from(c.data), [40, 50, 60, 255, 10, 20, 30, 255]);
});

Deno.test("a label that is not a PNG is refused with E_LABEL", async () => {
  const text = new TextEncoder().encode("this is a text file, not a picture");
  await assertPxosError(
    () => encodeCartridgeImage(new Uint8Array(1), { label: text }),
    "E_LABEL",
    /signature/,
  );
  const truncated = buildPng(specFor(2, 8, 0)).subarray(0, 40);
  await assertPxosError(() => decodePngToRgba(truncated), "E_LABEL", /truncated/);
  await assertPxosError(
    () =>
      encodeCartridgeImage(new Uint8Array(1), {
        label: { width: 2, height: 2, data: new Uint8Array(3) },
      }),
    "E_LABEL",
    /RGBA8/,
  );
});

Deno.test("label decoding is bounded: IDAT bombs refused, iCCP bombs never inflated", async () => {
  const bomb = new Uint8Array(deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 }));
  const spec = specFor(2, 8, 0);
  const withIccp = buildPng({
    ...spec,
    extraChunks: [{
      type: "iCCP",
      data: new Uint8Array([...new TextEncoder().encode("x"), 0, 0, ...bomb]),
    }],
  });
  assertEquals((await decodePngToRgba(withIccp)).data, expectedRgba(spec));
  const idatBomb = buildPng(spec);
  // Swap the IDAT for the bomb: same frame, rebuilt by buildPng's helpers.
  const { chunk, concat, ihdr, SIGNATURE } = await import("./png_builder.ts");
  const png = concat(
    SIGNATURE,
    ihdr(11, 9, 8, 2),
    chunk("IDAT", bomb),
    chunk("IEND", new Uint8Array(0)),
  );
  assert(idatBomb.length > 0);
  await assertPxosError(() => decodePngToRgba(png), "E_LABEL", /too much data/);
});

Deno.test("cartridges carry labels of every PNG kind and keep the payload", async () => {
  const payload = seededBytes(5000, 77);
  for (const [colorType, depths] of KINDS) {
    for (const bitDepth of depths) {
      const spec = specFor(colorType, bitDepth, 1);
      const cart = await encodeCartridgeImage(payload, { label: buildPng(spec) });
      const decoded = await decodeCartridgeImage(cart);
      assertEquals(decoded.payload, payload);
      const top = 1 + decoded.dataRegion.height; // the label sits under the data region
      assertEquals(decoded.labelRegion, { x: 0, y: top, width: 11, height: 9 });
      // The label's pixels appear in the image (RGB; alpha kept when the label has any).
      const image = await decodePng(cart);
      const want = expectedRgba(spec);
      const hasAlpha = want.some((v, i) => i % 4 === 3 && v !== 255);
      assertEquals(image.channels, hasAlpha ? 4 : 3);
      for (let y = 0; y < 9; y++) {
        for (let x = 0; x < 11; x++) {
          const o = ((top + y) * image.width + x) * image.channels;
          const w = (y * 11 + x) * 4;
          assertEquals(
            Array.from(image.pixels.subarray(o, o + 3)),
            Array.from(want.subarray(w, w + 3)),
          );
        }
      }
    }
  }
});

Deno.test("a generated label is drawn from the title and subtitle", async () => {
  const label = generateLabel({ title: "Hello", subtitle: "hello 1.0.0" });
  assertEquals([label.width, label.height], [128, 128]);
  const colours = new Set<number>();
  for (let i = 0; i < label.data.length; i += 4) {
    colours.add((label.data[i] << 16) | (label.data[i + 1] << 8) | label.data[i + 2]);
  }
  assert(colours.has(0xfff1e8), "title colour present");
  assert(colours.has(0xffa300), "subtitle colour present");
  assert(colours.size >= 6, `several colours (${colours.size})`);
  const other = generateLabel({ title: "World", subtitle: "hello 1.0.0" });
  assert(!other.data.every((v, i) => v === label.data[i]), "different titles draw differently");
  // The cartridge carries exactly this label where the header says.
  const cart = await encodeCartridgeImage(new Uint8Array(10), {
    label: { title: "Hello", subtitle: "hello 1.0.0" },
  });
  const image = await decodePng(cart);
  assertEquals(image.channels, 3);
  const { labelRegion } = await decodeCartridgeImage(cart);
  assertEquals([labelRegion.width, labelRegion.height], [128, 128]);
  for (let y = 0; y < 128; y++) {
    for (let x = 0; x < 128; x++) {
      const o = ((labelRegion.y + y) * image.width + x) * 3;
      const w = (y * 128 + x) * 4;
      if (image.pixels[o] !== label.data[w] || image.pixels[o + 2] !== label.data[w + 2]) {
        throw new Error(`label pixel (${x}, ${y}) differs`);
      }
    }
  }
  // Long titles wrap and shrink instead of overflowing.
  const long = generateLabel({ title: "A very long cartridge title that needs several lines" });
  assertEquals(long.width, 128);
  assertEquals(generateLabel({ title: "x", size: 256 }).width, 256);
});

Deno.test("a generated label is opaque at every size and title (the encoder relies on it)", () => {
  // planCartridgeImageOf does not scan a drawn label for transparency: every pixel must be opaque.
  const titles = [
    "",
    "Hello",
    "A very long cartridge title that needs several lines",
    "ÿ~é\u{1F600}",
  ];
  for (const size of [128, 256, 384, 512]) {
    for (const title of titles) {
      const label = generateLabel({ title, subtitle: `${title} 1.0.0`, size });
      for (let i = 3; i < label.data.length; i += 4) {
        if (label.data[i] !== 255) {
          throw new Error(`${size}, ${JSON.stringify(title)}: alpha at ${i}`);
        }
      }
    }
  }
});

Deno.test("font: glyph table, measuring and clipped drawing", () => {
  assertEquals(Array.from(glyphRows("I")), [14, 4, 4, 4, 4, 4, 14]);
  assertEquals(Array.from(glyphRows(" ")), [0, 0, 0, 0, 0, 0, 0]);
  assertEquals(glyphRows("\u00e9"), glyphRows("?"));
  for (let code = 33; code <= 126; code++) {
    assert(glyphRows(String.fromCharCode(code)).some((r) => r !== 0), `glyph ${code} has ink`);
  }
  assertEquals(measureText("abc"), 17);
  assertEquals(measureText("abc", 2), 34);
  assertEquals(FONT_METRICS.glyphHeight, 7);
  const target: RgbaImage = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4) };
  drawText(target, -3, -2, "W!", [255, 0, 0, 255], 2);
  drawText(target, 6, 6, "#", [0, 0, 255, 128]);
  assert(target.data.some((v) => v === 255), "clipped text still drew some pixels");
  const one: RgbaImage = { width: 5, height: 7, data: new Uint8Array(5 * 7 * 4) };
  drawText(one, 0, 0, "T", [255, 255, 255, 255]);
  const ink = Array.from(
    { length: 7 },
    (_, y) => Array.from({ length: 5 }, (_, x) => one.data[(y * 5 + x) * 4] ? "#" : ".").join(""),
  );
  assertEquals(ink, ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."]);
});
