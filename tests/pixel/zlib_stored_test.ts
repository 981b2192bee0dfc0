import { deflateSync } from "node:zlib";
import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { adler32, zlibInflateEach, zlibStoreThenDeflate } from "../../src/pixel/zlib.ts";
import { inflateStoredFirst } from "../../src/pixel/zlib_stored.ts";
import { loadNativeZlib } from "../../src/native_modules.ts";
import { seededBytes } from "./png_builder.ts";

const context = { code: "E_PNG_CORRUPT" as const, what: "IDAT data" };

/** Cuts `bytes` into pieces of `size` (the last shorter), as IDAT chunks cut a stream. */
function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

/** Runs `inflateStoredFirst` and gathers its output (each piece copied: the buffers are reused). */
async function readAll(
  pieces: Uint8Array[],
  expected: number,
): Promise<{ used: boolean; out: Uint8Array }> {
  const out = new Uint8Array(expected);
  let at = 0;
  const used = await inflateStoredFirst(pieces, expected, context, (chunk) => {
    out.set(chunk, at);
    at += chunk.length;
  });
  assertEquals(at, used ? expected : 0);
  return { used, out };
}

Deno.test("inflateStoredFirst reads stored-then-deflated streams, however they are cut", async () => {
  await loadNativeZlib();
  const data = seededBytes(200_000, 5);
  data.fill(9, 150_000); // a compressible tail, as the label rows are
  for (const stored of [1, 65535, 65536, 150_000, 200_000]) {
    const z = await zlibStoreThenDeflate(data, stored);
    for (const size of [z.length, 1 << 20, 65536, 7, 1]) {
      if (size === 1 && stored !== 65536) continue; // byte by byte once is enough
      const { used, out } = await readAll(cut(z, size), data.length);
      assert(used, `stored ${stored}, pieces of ${size}: the stored path was taken`);
      assertEquals(out, data, `stored ${stored}, pieces of ${size}`);
    }
  }
  const empty = await zlibStoreThenDeflate(new Uint8Array(0));
  assertEquals((await readAll([empty], 0)).used, true);
});

Deno.test("inflateStoredFirst leaves a stream that starts deflated to the inflater", async () => {
  const data = seededBytes(10_000, 6).fill(3, 5_000);
  for (const z of [new Uint8Array(deflateSync(data)), await zlibStoreThenDeflate(data, 0)]) {
    let called = false;
    const used = await inflateStoredFirst([z], data.length, context, () => called = true);
    assertEquals(used, false);
    assertEquals(called, false);
  }
  assertEquals(await inflateStoredFirst([Uint8Array.of(0x78)], 0, context, () => {}), false);
});

Deno.test("inflateStoredFirst refuses broken, short and long streams", async () => {
  await loadNativeZlib();
  const data = seededBytes(100_000, 7);
  const z = await zlibStoreThenDeflate(data);
  const broken = (edit: (bytes: Uint8Array) => Uint8Array) => edit(z.slice());
  const cases: [string, Uint8Array, number][] = [
    ["NLEN does not match LEN", broken((b) => (b[5] ^= 1, b)), data.length],
    ["the Adler-32 cut off", z.subarray(0, z.length - 1), data.length],
    ["cut short", z.subarray(0, z.length - 100), data.length],
    ["bytes after the Adler-32", broken((b) => Uint8Array.of(...b, 0)), data.length],
    ["more data than expected", z, data.length - 1],
    ["less data than expected", z, data.length + 1],
  ];
  for (const [what, stream, expected] of cases) {
    await assertPxosError(
      () => inflateStoredFirst(cut(stream, 4096), expected, context, () => {}),
      "E_PNG_CORRUPT",
    ).catch((e) => {
      throw new Error(`${what}: ${e.message}`);
    });
  }
});

Deno.test("a deflated block that refers back into stored data: refused here, read by the inflater", async () => {
  // Valid zlib, but not the cartridge encoder's: the deflated tail uses the stored bytes as its
  // window. The image decoder retries such a stream with the inflater, which must accept it.
  await loadNativeZlib();
  const head = seededBytes(2000, 11);
  const tail = new Uint8Array(10).fill(head[head.length - 1]); // one match: length 10, distance 1
  const blockHead = Uint8Array.of(0, 2000 & 0xff, 2000 >>> 8, ~2000 & 0xff, (~2000 >>> 8) & 0xff);
  const deflated = fixedHuffmanBackReference();
  const whole = new Uint8Array([...head, ...tail]);
  const sum = adler32(whole);
  const stream = Uint8Array.of(
    0x78,
    0x01,
    ...blockHead,
    ...head,
    ...deflated,
    sum >>> 24,
    (sum >>> 16) & 0xff,
    (sum >>> 8) & 0xff,
    sum & 0xff,
  );
  await assertPxosError(
    () => inflateStoredFirst([stream], whole.length, context, () => {}),
    "E_PNG_CORRUPT",
  );
  const pieces: Uint8Array[] = [];
  await zlibInflateEach([stream], whole.length, context, (p) => pieces.push(p.slice()));
  assertEquals(new Uint8Array(pieces.flatMap((p) => [...p])), whole);
});

/**
 * A final fixed-Huffman deflate block holding one match (length 10, distance 1) and the end of
 * block: it only makes sense after earlier output. Huffman codes go most significant bit first.
 */
function fixedHuffmanBackReference(): Uint8Array {
  const bytes: number[] = [];
  let bitCount = 0;
  const put = (value: number, n: number) => {
    for (let i = 0; i < n; i++, bitCount++) {
      if (bitCount % 8 === 0) bytes.push(0);
      bytes[bytes.length - 1] |= ((value >>> i) & 1) << (bitCount % 8);
    }
  };
  const code = (value: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) put((value >>> i) & 1, 1);
  };
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE 01: fixed Huffman codes
  code(264 - 256, 7); // length 10 (symbols 256–279 have 7-bit codes 0000000 + n)
  code(0, 5); // distance code 0: distance 1
  code(0, 7); // end of block
  return Uint8Array.from(bytes);
}
