import { assert, assertEquals, assertPxosError } from "../assert.ts";
import {
  crc32,
  decodeCartridgeImage,
  decodePng,
  encodeCartridgeImage,
  encodePng,
  HEADER_PIXELS,
  MAX_PAYLOAD_BYTES,
  planCartridgeLayout,
} from "../../mod.ts";
import { seededBytes } from "./png_builder.ts";

async function roundTrip(payload: Uint8Array): Promise<void> {
  const png = await encodeCartridgeImage(payload, { label: { title: "t" } });
  const decoded = await decodeCartridgeImage(png);
  assertEquals(decoded.payload.length, payload.length, `length for ${payload.length}`);
  for (let i = 0; i < payload.length; i++) {
    if (decoded.payload[i] !== payload[i]) {
      throw new Error(`byte ${i} of ${payload.length} differs`);
    }
  }
}

Deno.test("round-trips the empty payload and tiny payloads", async () => {
  const empty = await decodeCartridgeImage(await encodeCartridgeImage(new Uint8Array(0)));
  assertEquals(empty.payload.length, 0);
  assertEquals(
    empty.sha256,
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  const one = await decodeCartridgeImage(await encodeCartridgeImage(Uint8Array.of(0xa5)));
  assertEquals(Array.from(one.payload), [0xa5]);
});

Deno.test("round-trips every size from 0 to 420 bytes (column and row boundaries)", async () => {
  for (let n = 0; n <= 420; n++) await roundTrip(seededBytes(n, n + 1));
});

Deno.test("round-trips sizes around row and square boundaries", async () => {
  const sizes = new Set<number>();
  for (const pixels of [128 * 128, 147 * 147, 148 * 148, 200 * 199]) {
    for (const d of [-4, -3, -2, -1, 0, 1, 2, 3, 4]) sizes.add(pixels * 3 + d);
  }
  for (const n of [65536, 100000]) {
    const { dataRegion } = planCartridgeLayout(n, 128, 128);
    const row = dataRegion.width * 3;
    for (const d of [-1, 0, 1]) sizes.add(row * (dataRegion.height - 1) + d);
  }
  for (const n of sizes) await roundTrip(seededBytes(n, n));
});

Deno.test("round-trips 1 MiB of random bytes", async () => {
  const payload = seededBytes(1 << 20, 0x5eed);
  await roundTrip(payload);
});

Deno.test("round-trips a 64 MiB payload", async () => {
  const payload = new Uint8Array(64 * 1024 * 1024);
  for (let i = 0; i < payload.length; i += 65536) {
    crypto.getRandomValues(payload.subarray(i, i + 65536));
  }
  const t0 = performance.now();
  const png = await encodeCartridgeImage(payload, { label: { title: "Big" } });
  const t1 = performance.now();
  const decoded = await decodeCartridgeImage(png);
  const t2 = performance.now();
  console.log(
    `64 MiB: encode ${(t1 - t0).toFixed(0)} ms, decode ${(t2 - t1).toFixed(0)} ms, ` +
      `${decoded.width}x${decoded.height} image`,
  );
  assertEquals(decoded.payload.length, payload.length);
  assert(decoded.payload.every((v, i) => v === payload[i]), "64 MiB payload identical");
});

Deno.test("data pixels fill at least 99% of the data region from 64 KiB up", async () => {
  for (const n of [65536, 65537, 99999, 1 << 20, 5_000_001, 16 << 20, 64 << 20]) {
    for (const [lw, lh] of [[128, 128], [512, 512], [40, 3000], [1, 1]]) {
      const layout = planCartridgeLayout(n, lw, lh);
      const regionPixels = layout.dataRegion.width * layout.dataRegion.height;
      const used = Math.ceil(n / 3) / regionPixels;
      assert(used >= 0.99, `${n} bytes beside ${lw}x${lh}: ${(used * 100).toFixed(2)}% used`);
      assert(layout.capacityBytes >= n);
    }
  }
  const decoded = await decodeCartridgeImage(await encodeCartridgeImage(seededBytes(65536, 9)));
  assert(65536 / decoded.capacityBytes >= 0.99);
  await assertPxosError(() => planCartridgeLayout(MAX_PAYLOAD_BYTES + 1, 128, 128), "E_CAPACITY");
  // The largest payload fits beside a 512x512 label; beside a 4096x4096 label the image would
  // exceed what readers decode, so the writer refuses it up front.
  assert(planCartridgeLayout(MAX_PAYLOAD_BYTES, 512, 512).capacityBytes >= MAX_PAYLOAD_BYTES);
  await assertPxosError(
    () => planCartridgeLayout(MAX_PAYLOAD_BYTES, 4096, 4096),
    "E_CAPACITY",
    /decode budget/,
  );
});

Deno.test("data-region alpha is always 255 in an RGBA cartridge", async () => {
  const label = { width: 4, height: 4, data: new Uint8Array(64).fill(128) }; // translucent
  const png = await encodeCartridgeImage(seededBytes(3000, 4), { label });
  const image = await decodePng(png);
  assertEquals(image.channels, 4);
  const { dataRegion } = await decodeCartridgeImage(png);
  for (let y = 0; y < dataRegion.height; y++) {
    for (let x = 0; x < dataRegion.width; x++) {
      const o = ((dataRegion.y + y) * image.width + dataRegion.x + x) * 4;
      if (image.pixels[o + 3] !== 255) throw new Error(`alpha at (${x}, ${y})`);
    }
  }
  for (let i = 0; i < HEADER_PIXELS; i++) assertEquals(image.pixels[i * 4 + 3], 255);
});

Deno.test("survives RGB<->RGBA conversion by re-encoding the pixels", async () => {
  const payload = seededBytes(10000, 6);
  const rgb = await decodePng(await encodeCartridgeImage(payload));
  assertEquals(rgb.channels, 3);
  const rgba = new Uint8Array(rgb.width * rgb.height * 4);
  for (let i = 0, j = 0; i < rgb.pixels.length; i += 3, j += 4) {
    rgba.set(rgb.pixels.subarray(i, i + 3), j);
    rgba[j + 3] = 255;
  }
  const asRgba = await encodePng({
    width: rgb.width,
    height: rgb.height,
    channels: 4,
    pixels: rgba,
  });
  assertEquals((await decodeCartridgeImage(asRgba)).payload, payload);
});

/** Re-encodes a cartridge after changing its 96 header bytes; optionally fixes the header CRC. */
async function withHeader(
  png: Uint8Array,
  change: (header: Uint8Array, view: DataView) => void,
  fixCrc = true,
): Promise<Uint8Array> {
  const image = await decodePng(png);
  const header = new Uint8Array(96);
  for (let i = 0; i < 32; i++) header.set(image.pixels.subarray(i * 3, i * 3 + 3), i * 3);
  const view = new DataView(header.buffer);
  change(header, view);
  if (fixCrc) view.setUint32(88, crc32(header.subarray(0, 88)), true);
  for (let i = 0; i < 32; i++) image.pixels.set(header.subarray(i * 3, i * 3 + 3), i * 3);
  return await encodePng(image);
}

Deno.test("bad pixel headers are refused with E_PIXEL_HEADER", async () => {
  const png = await encodeCartridgeImage(seededBytes(500, 2));
  assertEquals((await decodeCartridgeImage(await withHeader(png, () => {}))).payload.length, 500);
  const plain = await encodePng({
    width: 40,
    height: 40,
    channels: 3,
    pixels: seededBytes(4800, 1),
  });
  await assertPxosError(() => decodeCartridgeImage(plain), "E_PIXEL_HEADER", /no pxOS header/);
  const narrow = await encodePng({
    width: 10,
    height: 4,
    channels: 3,
    pixels: new Uint8Array(120),
  });
  await assertPxosError(() => decodeCartridgeImage(narrow), "E_PIXEL_HEADER", /needs 32/);
  const cases: [(h: Uint8Array, v: DataView) => void, RegExp, boolean?][] = [
    [(h) => (h[0] = 0x51), /no pxOS header: expected magic "PXOSCART"/],
    [(_, v) => v.setUint16(8, 2, true), /unknown pixel format version 2/],
    [(_, v) => v.setUint16(10, 100, true), /header length 96/],
    [(_, v) => v.setUint32(16, 10_000_000, true), /larger than the data region holds/],
    [(_, v) => v.setUint32(20, 1, true), /larger than the data region holds/],
    [(_, v) => v.setUint32(56, 5000, true), /outside/],
    [(_, v) => v.setUint32(60, 0, true), /outside/],
    [(_, v) => v.setUint32(64, 0, true), /empty/],
    [(_, v) => v.setUint32(80, 9999, true), /label region/],
    [(_, v) => v.setUint32(12, 1, true), /flags/],
    [(h) => (h[30] ^= 1), /checksum mismatch/, false],
  ];
  for (const [change, re, fix] of cases) {
    await assertPxosError(
      async () => decodeCartridgeImage(await withHeader(png, change, fix ?? true)),
      "E_PIXEL_HEADER",
      re,
    );
  }
});

Deno.test("a payload that does not match its SHA-256 is refused with E_ARCHIVE_HASH", async () => {
  const payload = seededBytes(500, 3);
  const png = await encodeCartridgeImage(payload);
  const wrongHash = await withHeader(png, (h) => (h[24] ^= 0x80));
  await assertPxosError(
    () => decodeCartridgeImage(wrongHash),
    "E_ARCHIVE_HASH",
    /SHA-256 mismatch/,
  );
  const image = await decodePng(png);
  const { dataRegion } = await decodeCartridgeImage(png);
  const o = ((dataRegion.y + 1) * image.width + dataRegion.x + 1) * 3;
  image.pixels[o + 1] ^= 1;
  const altered = await encodePng(image);
  await assertPxosError(() => decodeCartridgeImage(altered), "E_ARCHIVE_HASH", /altered/);
  // Opting out of the check (for callers that verify every byte themselves) is visible.
  const unchecked = await decodeCartridgeImage(altered, { verifyHash: false });
  assertEquals(unchecked.verified, false);
  assert(unchecked.payload.some((v, i) => v !== payload[i]));
  assertEquals((await decodeCartridgeImage(png)).verified, true);
});
