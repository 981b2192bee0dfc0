import { deflateSync } from "node:zlib";
import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { decodeCartridgeImage, decodePng, encodeCartridgeImage } from "../../mod.ts";
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

/** The pixels of a fresh cartridge image holding `payload`, as RGB or RGBA samples. */
async function cartridgePixels(payload: Uint8Array, channels: 3 | 4) {
  const image = await decodePng(await encodeCartridgeImage(payload, { label: { title: "t" } }));
  assertEquals(image.channels, 3);
  if (channels === 3) return { width: image.width, height: image.height, samples: image.pixels };
  const rgba = new Uint8Array(image.width * image.height * 4);
  for (let p = 0; p < image.width * image.height; p++) {
    rgba.set(image.pixels.subarray(p * 3, p * 3 + 3), p * 4);
    rgba[p * 4 + 3] = 255;
  }
  return { width: image.width, height: image.height, samples: rgba };
}

/** A PNG of the given filtered scanlines, its zlib stream cut into IDAT chunks of `idatBytes`. */
function pngFromScanlines(
  w: number,
  h: number,
  colorType: number,
  raw: Uint8Array,
  idatBytes: number,
): Uint8Array {
  const z = new Uint8Array(deflateSync(raw));
  const idats: Uint8Array[] = [];
  for (let at = 0; at < z.length; at += idatBytes) {
    idats.push(chunk("IDAT", z.subarray(at, at + idatBytes)));
  }
  return concat(SIGNATURE, ihdr(w, h, 8, colorType), ...idats, IEND);
}

Deno.test("a cartridge re-saved with every filter type in many small IDATs decodes the same payload", async () => {
  const payload = seededBytes(60_000, 21);
  for (const channels of [3, 4] as const) {
    const { width, height, samples } = await cartridgePixels(payload, channels);
    const colorType = channels === 3 ? 2 : 6;
    const raw = rawScanlines({ width, height, colorType, bitDepth: 8, samples, filter: "cycle" });
    for (const idatBytes of [997, 65536]) {
      const png = pngFromScanlines(width, height, colorType, raw, idatBytes);
      const decoded = await decodeCartridgeImage(png);
      assertEquals(decoded.payload, payload, `${channels} channels, IDATs of ${idatBytes}`);
      assert(decoded.verified);
    }
  }
});

Deno.test("interlaced and 16-bit cartridges take the general decoder and give the same payload", async () => {
  const payload = seededBytes(5_000, 22);
  const { width, height, samples } = await cartridgePixels(payload, 3);
  const interlaced = buildPng({
    width,
    height,
    colorType: 2,
    bitDepth: 8,
    samples,
    interlace: 1,
    filter: "cycle",
  });
  assertEquals((await decodeCartridgeImage(interlaced)).payload, payload);
  const deep = buildPng({
    width,
    height,
    colorType: 2,
    bitDepth: 16,
    samples: Array.from(samples, (v) => v * 257),
  });
  assertEquals((await decodeCartridgeImage(deep)).payload, payload);
});

Deno.test("damage inside the data rows is refused while streaming", async () => {
  const payload = seededBytes(40_000, 23);
  const { width, height, samples } = await cartridgePixels(payload, 3);
  const raw = rawScanlines({ width, height, colorType: 2, bitDepth: 8, samples, filter: 1 });
  const stride = width * 3 + 1;

  const badFilter = raw.slice();
  badFilter[5 * stride] = 7; // filter byte of scanline 5, a data row
  const e = await assertPxosError(
    () => decodeCartridgeImage(pngFromScanlines(width, height, 2, badFilter, 8192)),
    "E_PNG_CORRUPT",
    /bad filter byte 7 on scanline 5/,
  );
  assertEquals(e.details?.scanline, 5);

  // A complete zlib stream that holds only half the rows: too little data.
  const half = raw.subarray(0, (height >> 1) * stride);
  await assertPxosError(
    () => decodeCartridgeImage(pngFromScanlines(width, height, 2, half, 8192)),
    "E_PNG_CORRUPT",
    /too little data/,
  );
  // One row too many: too much data.
  const long = concat(raw, raw.subarray(0, stride));
  await assertPxosError(
    () => decodeCartridgeImage(pngFromScanlines(width, height, 2, long, 8192)),
    "E_PNG_CORRUPT",
    /too much data/,
  );
  // A changed data byte (Sub filter: it shifts the rest of its row) fails the payload hash.
  const changed = raw.slice();
  changed[3 * stride + 10] ^= 0x40;
  await assertPxosError(
    () => decodeCartridgeImage(pngFromScanlines(width, height, 2, changed, 8192)),
    "E_ARCHIVE_HASH",
    /altered/,
  );
});
