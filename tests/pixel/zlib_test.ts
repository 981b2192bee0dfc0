import { deflateSync, inflateSync } from "node:zlib";
import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { decodeCartridgeImage, encodeCartridgeImage } from "../../mod.ts";
import { PxosError } from "../../src/errors.ts";
import {
  adler32,
  zlibInflateEach,
  zlibInflateExact,
  zlibStoreThenDeflate,
} from "../../src/pixel/zlib.ts";
import { seededBytes } from "./png_builder.ts";
import { loadNativeZlib } from "../../src/native_modules.ts";

Deno.test("adler32 matches RFC 1950 values", () => {
  assertEquals(adler32(new Uint8Array(0)), 1);
  assertEquals(adler32(new TextEncoder().encode("Wikipedia")), 0x11e60398);
  const big = seededBytes(100_000, 3);
  const z = new Uint8Array(deflateSync(big));
  const trailer = new DataView(z.buffer, z.byteOffset + z.length - 4).getUint32(0);
  assertEquals(adler32(big), trailer);
});

Deno.test("stored-then-deflated zlib streams inflate with node:zlib and natively", async () => {
  const data = seededBytes(200_000, 8);
  data.fill(7, 150_000); // a compressible tail
  for (const stored of [0, 1, 65534, 65535, 65536, 131070, 150_000, 200_000]) {
    const z = await zlibStoreThenDeflate(data, stored);
    assertEquals(new Uint8Array(inflateSync(z)), data, `stored ${stored}`);
    const native = await zlibInflateExact([z], data.length, { code: "E_PNG_CORRUPT", what: "t" });
    assertEquals(native, data, `native, stored ${stored}`);
  }
  const empty = await zlibStoreThenDeflate(new Uint8Array(0));
  assertEquals(new Uint8Array(inflateSync(empty)).length, 0);
  // Corrupting the stored length is caught by the inflater, not silently accepted.
  const z = await zlibStoreThenDeflate(data, 65536);
  z[3] ^= 0xff;
  await assertPxosError(
    () => zlibInflateExact([z], data.length, { code: "E_PNG_CORRUPT", what: "t" }),
    "E_PNG_CORRUPT",
  );
});

Deno.test("cartridge compression modes: store, deflate and auto all round-trip", async () => {
  const random = seededBytes(300_000, 4);
  const text = new TextEncoder().encode("pixel cartridge text ".repeat(15_000));
  for (const payload of [new Uint8Array(0), Uint8Array.of(9), random, text]) {
    for (const compression of ["store", "deflate", "auto"] as const) {
      const png = await encodeCartridgeImage(payload, { compression });
      assertEquals((await decodeCartridgeImage(png)).payload, payload, `${compression}`);
    }
  }
  const storedRandom = await encodeCartridgeImage(random, { compression: "store" });
  const autoRandom = await encodeCartridgeImage(random);
  const autoText = await encodeCartridgeImage(text);
  assert(storedRandom.length > random.length, "stored data is not compressed");
  assert(autoRandom.length < random.length * 1.02, "auto keeps random data near its size");
  assert(autoText.length < text.length / 10, "auto deflates compressible text");
});

Deno.test("zlibInflateEach gives the same exact output natively in one piece (small data)", async () => {
  await loadNativeZlib();
  const data = new TextEncoder().encode("scanline ".repeat(100_000));
  const z = new Uint8Array(deflateSync(data));
  const context = { code: "E_PNG_CORRUPT" as const, what: "t" };
  const pieces: Uint8Array[] = [];
  await zlibInflateEach([z.subarray(0, 100), z.subarray(100)], data.length, context, (p) => {
    pieces.push(p);
  });
  assertEquals(pieces.length, 1);
  assertEquals(pieces[0], data);
  await assertPxosError(
    () => zlibInflateEach([z], data.length - 1, context, () => {}),
    "E_PNG_CORRUPT",
    /more than the expected/,
  );
  await assertPxosError(
    () => zlibInflateEach([z], data.length + 1, context, () => {}),
    "E_PNG_CORRUPT",
    /too little data/,
  );
  await assertPxosError(
    () => zlibInflateEach([z.subarray(0, z.length >> 1)], data.length, context, () => {}),
    "E_PNG_CORRUPT",
    /not a valid zlib stream/,
  );
});

Deno.test("zlibInflateEach hands over the exact output in order, piece by piece", async () => {
  // 9 MB: past the one-shot limit, so the output streams in many pieces.
  const data = new TextEncoder().encode("scanline ".repeat(1_000_000));
  const z = new Uint8Array(deflateSync(data));
  const context = { code: "E_PNG_CORRUPT" as const, what: "t" };
  const pieces: Uint8Array[] = [];
  // Split input across several arrays, as IDAT chunks are.
  const third = Math.floor(z.length / 3);
  const input = [z.subarray(0, third), z.subarray(third, 2 * third), z.subarray(2 * third)];
  await zlibInflateEach(input, data.length, context, (piece) => pieces.push(piece));
  assert(pieces.length > 1, `expected several output pieces, got ${pieces.length}`);
  const joined = new Uint8Array(data.length);
  let at = 0;
  for (const piece of pieces) {
    joined.set(piece, at);
    at += piece.length;
  }
  assertEquals(at, data.length);
  assertEquals(joined, data);

  // zlibInflateExact's observer sees the same pieces it copies.
  let observed = 0;
  const out = await zlibInflateExact(input, data.length, context, (piece) => {
    assertEquals(piece, data.subarray(observed, observed + piece.length));
    observed += piece.length;
  });
  assertEquals([observed, out], [data.length, data]);
});

Deno.test("zlibInflateEach refuses too much and too little data, and passes on the handler's error", async () => {
  const data = new TextEncoder().encode("row ".repeat(50_000));
  const z = new Uint8Array(deflateSync(data));
  const context = { code: "E_PNG_CORRUPT" as const, what: "IDAT data" };
  let seen = 0;
  await assertPxosError(
    () => zlibInflateEach([z], data.length - 1, context, (p) => (seen += p.length)),
    "E_PNG_CORRUPT",
    /more than the expected/,
  );
  assert(seen <= data.length - 1, "the handler never sees bytes past the expected size");
  await assertPxosError(
    () => zlibInflateEach([z], data.length + 1, context, () => {}),
    "E_PNG_CORRUPT",
    /too little data/,
  );
  await assertPxosError(
    () => zlibInflateEach([z.subarray(0, z.length >> 1)], data.length, context, () => {}),
    "E_PNG_CORRUPT",
  );
  const own = new PxosError("E_PIXEL_HEADER", "header refused by the handler");
  let caught: unknown;
  try {
    await zlibInflateEach([z], data.length, context, () => {
      throw own;
    });
  } catch (e) {
    caught = e;
  }
  assert(caught === own, "the handler's PxosError is passed on unchanged");
});
