import { deflateSync } from "node:zlib";
import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { crc32, decodePng, encodePng } from "../../mod.ts";
import {
  buildPng,
  chunk,
  concat,
  ihdr,
  rawScanlines,
  seededBytes,
  SIGNATURE,
} from "./png_builder.ts";

const IEND = chunk("IEND", new Uint8Array(0));

Deno.test("crc32 matches the PNG specification's value for IEND", () => {
  assertEquals(crc32(new TextEncoder().encode("IEND")), 0xae426082);
  assertEquals(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

Deno.test("encodePng/decodePng round-trip RGB and RGBA", async () => {
  for (const channels of [3, 4] as const) {
    for (const [w, h] of [[1, 1], [7, 3], [64, 65]]) {
      const pixels = seededBytes(w * h * channels, w * 31 + h);
      const png = await encodePng({ width: w, height: h, channels, pixels });
      const back = await decodePng(png);
      assertEquals([back.width, back.height, back.channels], [w, h, channels]);
      assertEquals(back.pixels, pixels);
    }
  }
});

Deno.test("decodePng undoes every filter type, across split IDATs and skipped ancillary chunks", async () => {
  for (const colorType of [2, 6] as const) {
    const channels = colorType === 2 ? 3 : 4;
    const [w, h] = [13, 11];
    const samples = seededBytes(w * h * channels, 99 + colorType);
    const raw = rawScanlines({
      width: w,
      height: h,
      colorType,
      bitDepth: 8,
      samples,
      filter: "cycle",
    });
    const z = new Uint8Array(deflateSync(raw));
    const third = Math.floor(z.length / 3);
    const png = concat(
      SIGNATURE,
      ihdr(w, h, 8, colorType),
      chunk("tEXt", new TextEncoder().encode("Comment\0hello")),
      chunk("IDAT", z.subarray(0, third)),
      chunk("prVt", Uint8Array.of(1, 2, 3)),
      chunk("IDAT", z.subarray(third, 2 * third)),
      chunk("IDAT", z.subarray(2 * third)),
      IEND,
    );
    const image = await decodePng(png);
    assertEquals(image.channels, channels);
    assertEquals(image.pixels, Uint8Array.from(samples));
  }
});

Deno.test("decodePng turns other PNG kinds into RGBA", async () => {
  const png = buildPng({
    width: 2,
    height: 1,
    colorType: 0,
    bitDepth: 16,
    samples: [0xffff, 0x1234],
  });
  const image = await decodePng(png);
  assertEquals(image.channels, 4);
  assertEquals(Array.from(image.pixels), [255, 255, 255, 255, 0x12, 0x12, 0x12, 255]);
});

function validPng(): Uint8Array {
  return buildPng({ width: 4, height: 4, colorType: 2, bitDepth: 8, samples: seededBytes(48, 5) });
}

Deno.test("refuses a file that is not a PNG", async () => {
  await assertPxosError(
    () => decodePng(new TextEncoder().encode("GIF89a....")),
    "E_PNG_CORRUPT",
    /signature/,
  );
  await assertPxosError(() => decodePng(new Uint8Array(3)), "E_PNG_CORRUPT", /found only 3 bytes/);
});

Deno.test("refuses a truncated PNG at every cut point", async () => {
  const png = validPng();
  for (let cut = 8; cut < png.length; cut++) {
    const e = await assertPxosError(() => decodePng(png.subarray(0, cut)), "E_PNG_CORRUPT");
    assert(/truncated|missing IEND/.test(e.message), e.message);
    assert(e.offset !== undefined, "offset given");
  }
});

Deno.test("refuses a bad chunk CRC, naming the chunk and offset", async () => {
  const png = validPng().slice();
  const idatAt = png.length - 12 - 4; // first byte of the IDAT CRC
  png[idatAt] ^= 0xff;
  const e = await assertPxosError(() => decodePng(png), "E_PNG_CORRUPT", /bad CRC in chunk IDAT/);
  assertEquals(e.offset, idatAt);
});

Deno.test("refuses a PNG without IEND", async () => {
  const png = validPng();
  await assertPxosError(
    () => decodePng(png.subarray(0, png.length - 12)),
    "E_PNG_CORRUPT",
    /missing IEND/,
  );
});

Deno.test("refuses bad IHDR values", async () => {
  const idat = chunk("IDAT", new Uint8Array(deflateSync(new Uint8Array(4))));
  const cases: [Uint8Array, RegExp][] = [
    [ihdr(0, 1, 8, 2), /zero size/],
    [ihdr(1, 1, 4, 2), /bit depth 4 invalid for colour type 2/],
    [ihdr(1, 1, 8, 5), /unknown colour type 5/],
    [ihdr(20000, 1, 8, 2), /exceeds the 16384x16384 limit/],
    [ihdr(16000, 16000, 8, 6), /budget/],
    [ihdr(1, 1, 8, 2, 2), /unknown interlace method 2/],
    [chunk("IHDR", new Uint8Array(12)), /expected 13 bytes/],
  ];
  for (const [header, re] of cases) {
    await assertPxosError(
      () => decodePng(concat(SIGNATURE, header, idat, IEND)),
      "E_PNG_CORRUPT",
      re,
    );
  }
  await assertPxosError(
    () => decodePng(concat(SIGNATURE, idat, IEND)),
    "E_PNG_CORRUPT",
    /expected IHDR first, found IDAT/,
  );
});

Deno.test("refuses structural problems: unknown critical chunk, no IDAT, palette without PLTE", async () => {
  const idat = chunk("IDAT", new Uint8Array(deflateSync(Uint8Array.of(0, 0))));
  await assertPxosError(
    () =>
      decodePng(concat(SIGNATURE, ihdr(1, 1, 8, 0), chunk("ZZZZ", new Uint8Array(1)), idat, IEND)),
    "E_PNG_CORRUPT",
    /unknown critical chunk ZZZZ/,
  );
  await assertPxosError(
    () => decodePng(concat(SIGNATURE, ihdr(1, 1, 8, 0), IEND)),
    "E_PNG_CORRUPT",
    /missing IDAT/,
  );
  await assertPxosError(
    () => decodePng(concat(SIGNATURE, ihdr(1, 1, 8, 3), idat, IEND)),
    "E_PNG_CORRUPT",
    /without a PLTE/,
  );
});

Deno.test("refuses a bad filter byte, too little and too much data, and non-zlib IDAT", async () => {
  const make = (raw: Uint8Array) =>
    concat(SIGNATURE, ihdr(2, 2, 8, 2), chunk("IDAT", new Uint8Array(deflateSync(raw))), IEND);
  const good = new Uint8Array(2 * 7);
  assertEquals((await decodePng(make(good))).pixels.length, 12);
  const badFilter = good.slice();
  badFilter[7] = 7;
  await assertPxosError(
    () => decodePng(make(badFilter)),
    "E_PNG_CORRUPT",
    /bad filter byte 7 on scanline 1/,
  );
  await assertPxosError(
    () => decodePng(make(good.subarray(0, 13))),
    "E_PNG_CORRUPT",
    /too little data/,
  );
  await assertPxosError(
    () => decodePng(make(new Uint8Array(15))),
    "E_PNG_CORRUPT",
    /too much data/,
  );
  const notZlib = concat(SIGNATURE, ihdr(2, 2, 8, 2), chunk("IDAT", seededBytes(40, 3)), IEND);
  await assertPxosError(() => decodePng(notZlib), "E_PNG_CORRUPT", /not a valid zlib stream/);
});

Deno.test("refuses a tiny PNG that claims a huge image before allocating it", async () => {
  const idat = chunk("IDAT", new Uint8Array(deflateSync(new Uint8Array(100))));
  const png = concat(SIGNATURE, ihdr(8000, 8000, 8, 6), idat, IEND);
  const before = Deno.memoryUsage().rss;
  await assertPxosError(
    () => decodePng(png),
    "E_PNG_CORRUPT",
    /cannot inflate to the 256008000 bytes/,
  );
  const grown = Deno.memoryUsage().rss - before;
  assert(grown < 64 * 1024 * 1024, `memory grew by ${grown} bytes`);
});

Deno.test("refuses an inflate bomb without inflating it all", async () => {
  // 256 MiB of zeros deflate to ~256 KiB; the IHDR promises only 64x64 RGB.
  const bombStream = new Uint8Array(deflateSync(new Uint8Array(256 * 1024 * 1024), { level: 9 }));
  const bomb = concat(SIGNATURE, ihdr(64, 64, 8, 2), chunk("IDAT", bombStream), IEND);
  const started = performance.now();
  await assertPxosError(() => decodePng(bomb), "E_PNG_CORRUPT", /too much data/);
  const elapsed = performance.now() - started;
  assert(elapsed < 2000, `bomb refused quickly (took ${elapsed.toFixed(0)} ms)`);
});
