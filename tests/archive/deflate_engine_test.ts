import { assertEquals } from "../assert.ts";
import { deflateRawReused } from "../../src/archive/deflate_engine.ts";
import { loadNativeZlib } from "../../src/native_modules.ts";

/** A small xorshift generator: the same contents on every run. */
function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const WORDS = ["pixel", "cartridge", "stack", "engine", "host", "layer", "frame", "manifest"];

function sourceText(size: number, next: () => number): Uint8Array {
  let s = "";
  while (s.length < size) {
    const w = WORDS[Math.floor(next() * WORDS.length)];
    s += `let ${w}${Math.floor(next() * 1000)} = ${w}(${Math.floor(next() * 100000)});\n`;
  }
  return new TextEncoder().encode(s.slice(0, size));
}

function randomBytes(size: number, next: () => number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (next() * 256) | 0;
  return out;
}

const KiB = 1024;
const SIZES = [
  0,
  1,
  2,
  63,
  64,
  100,
  1000,
  16 * KiB - 1,
  16 * KiB,
  16 * KiB + 1,
  32 * KiB,
  64 * KiB + 7,
  200_000,
  1024 * KiB,
  1024 * KiB + 1,
  1536 * KiB,
];

Deno.test("the reused deflate engine gives deflateRawSync's bytes, member after member", async () => {
  const zlib = await loadNativeZlib();
  const next = generator(7);
  const kinds: [string, (n: number) => Uint8Array][] = [
    ["text", (n) => sourceText(n, next)],
    ["random", (n) => randomBytes(n, next)],
    ["zeros", (n) => new Uint8Array(n)],
    ["text then random", (n) => {
      const out = sourceText(n, next);
      out.set(randomBytes(n >> 1, next), n - (n >> 1));
      return out;
    }],
  ];
  let compared = 0;
  // Every size after every kind: each member follows different leftovers in the engine's window.
  for (const [kind, make] of kinds) {
    for (const size of SIZES) {
      const data = make(size);
      const expected = zlib.deflateRawSync(data, { level: 6 });
      assertEquals(
        deflateRawReused(zlib, data),
        new Uint8Array(expected),
        `${kind}, ${size} bytes`,
      );
      compared++;
    }
  }
  // Small source files one after another, as a tree of them is packed: the case where the
  // previous member's bytes in the window changed the output before the window was cleared.
  for (let i = 0; i < 300; i++) {
    const data = sourceText(100 + Math.floor(next() * 20_000), next);
    const expected = zlib.deflateRawSync(data, { level: 6 });
    assertEquals(deflateRawReused(zlib, data), new Uint8Array(expected), `source file ${i}`);
    compared++;
  }
  assertEquals(compared, kinds.length * SIZES.length + 300);
});

Deno.test("the reused deflate engine's result is the caller's: the next call does not change it", async () => {
  const zlib = await loadNativeZlib();
  const first = deflateRawReused(zlib, sourceText(50_000, generator(3)));
  const copy = first.slice();
  deflateRawReused(zlib, randomBytes(50_000, generator(4)));
  assertEquals(first, copy);
  assertEquals(zlib.inflateRawSync(first).length, 50_000);
});
