import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { unfilterScanlines } from "../../src/pixel/png_filters.ts";
import { ScanlineSplitter } from "../../src/pixel/scanlines.ts";
import { rawScanlines, seededBytes, seededInts } from "./png_builder.ts";

/** Filtered scanlines of a w x h 8-bit image using every filter type, and its true pixels. */
function filteredImage(w: number, h: number, channels: 3 | 4, seed: number) {
  const samples = seededBytes(w * h * channels, seed);
  const raw = rawScanlines({
    width: w,
    height: h,
    colorType: channels === 3 ? 2 : 6,
    bitDepth: 8,
    samples,
    filter: "cycle",
  });
  return { raw, samples };
}

/** Pushes `raw` in pieces of the given sizes (cycled) and returns the rows handed over. */
function splitRows(
  raw: Uint8Array,
  shape: { rowBytes: number; bpp: number; height: number },
  sizes: (i: number) => number,
): Uint8Array[] {
  const rows: Uint8Array[] = [];
  const splitter = new ScanlineSplitter(shape, (y, bytes, at) => {
    assertEquals(y, rows.length, "rows arrive in order");
    rows.push(bytes.slice(at, at + shape.rowBytes));
  }, "E_PNG_CORRUPT");
  // Copies, because the splitter unfilters in place, as the inflater's fresh pieces allow.
  for (let at = 0, i = 0; at < raw.length; i++) {
    const size = Math.max(1, sizes(i));
    splitter.push(raw.slice(at, at + size));
    at += size;
  }
  splitter.finish();
  return rows;
}

Deno.test("ScanlineSplitter gives the same rows as unfiltering the whole image, for any piece sizes", () => {
  for (const channels of [3, 4] as const) {
    const [w, h] = [13, 11];
    const rowBytes = w * channels;
    const { raw, samples } = filteredImage(w, h, channels, 7 + channels);
    const whole = raw.slice();
    unfilterScanlines(whole, 0, h, rowBytes, channels, "E_PNG_CORRUPT");
    const random = seededInts(channels);
    const splits: [string, (i: number) => number][] = [
      ["1 byte (every row gathered, back to back)", () => 1],
      ["2 bytes", () => 2],
      ["one row less one", () => rowBytes],
      ["exactly one row", () => rowBytes + 1],
      ["one row and one byte", () => rowBytes + 2],
      ["three rows and a bit", () => 3 * (rowBytes + 1) + 5],
      ["all at once", () => raw.length],
      ["random sizes", () => 1 + random(3 * rowBytes)],
    ];
    for (const [name, sizes] of splits) {
      const rows = splitRows(raw, { rowBytes, bpp: channels, height: h }, sizes);
      assertEquals(rows.length, h, name);
      for (let y = 0; y < h; y++) {
        const expected = samples.subarray(y * rowBytes, (y + 1) * rowBytes);
        assertEquals(rows[y], expected, `${name}, row ${y}, ${channels} channels`);
        assertEquals(rows[y], whole.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1)));
      }
    }
  }
});

Deno.test("ScanlineSplitter refuses a bad filter byte, a short stream and extra rows", async () => {
  const [w, h, channels] = [5, 4, 3 as const];
  const rowBytes = w * channels;
  const shape = { rowBytes, bpp: channels, height: h };
  const { raw } = filteredImage(w, h, channels, 3);

  const badFilter = raw.slice();
  badFilter[2 * (rowBytes + 1)] = 5; // filter byte of scanline 2
  const e = await assertPxosError(
    () => splitRows(badFilter, shape, () => 4),
    "E_PNG_CORRUPT",
    /bad filter byte 5 on scanline 2/,
  );
  assertEquals(e.details?.scanline, 2);

  for (const cut of [1, rowBytes + 1, raw.length - 1]) {
    await assertPxosError(
      () => splitRows(raw.subarray(0, cut), shape, () => 3),
      "E_PNG_CORRUPT",
      /too little data/,
    );
  }
  const extra = new Uint8Array(raw.length + rowBytes + 1);
  extra.set(raw);
  await assertPxosError(() => splitRows(extra, shape, () => 64), "E_PNG_CORRUPT", /too much data/);

  let rowsSeen = 0;
  const splitter = new ScanlineSplitter(shape, () => rowsSeen++, "E_PNG_CORRUPT");
  splitter.push(raw.slice(0, 2 * (rowBytes + 1) + 3));
  assertEquals([rowsSeen, splitter.rowsDone], [2, 2]);
  assert(rowsSeen < h);
});
