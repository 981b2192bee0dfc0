import { assertEquals } from "../assert.ts";
import {
  deflateRawReused,
  deflateRawScratch,
  isDeflateScratch,
} from "../../src/archive/deflate_engine.ts";
import { loadNativeZlib } from "../../src/native_modules.ts";
import { pseudoRandomBytes, utf8 } from "./helpers.ts";

const WORDS = ["pixel", "cartridge", "stack", "engine", "host", "layer", "frame", "manifest"];

/** Source-like lines, words and numbers picked by seeded bytes. */
function sourceText(size: number, seed: number): Uint8Array {
  const pick = pseudoRandomBytes(Math.max(size, 1), seed);
  let at = 0;
  const next = () => pick[at++ % pick.length];
  let text = "";
  while (text.length < size) {
    const word = WORDS[next() & 7];
    text += `let ${word}${next()} = ${word}(${next() * 397 + next()});\n`;
  }
  return utf8(text.slice(0, size));
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
  60 * KiB - 1,
  60 * KiB,
  64 * KiB - 263,
  64 * KiB + 7,
  200_000,
  1024 * KiB,
  1024 * KiB + 1,
  1536 * KiB,
];

Deno.test("the reused deflate engine gives deflateRawSync's bytes, member after member", async () => {
  const zlib = await loadNativeZlib();
  let seed = 7;
  const kinds: [string, (n: number) => Uint8Array][] = [
    ["text", (n) => sourceText(n, seed++)],
    ["random", (n) => pseudoRandomBytes(n, seed++)],
    ["zeros", (n) => new Uint8Array(n)],
    ["text then random", (n) => {
      const out = sourceText(n, seed++);
      out.set(pseudoRandomBytes(n >> 1, seed++), n - (n >> 1));
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
    const data = sourceText(100 + ((seed * 7919) % 20_000), seed++);
    const expected = zlib.deflateRawSync(data, { level: 6 });
    assertEquals(deflateRawReused(zlib, data), new Uint8Array(expected), `source file ${i}`);
    compared++;
  }
  assertEquals(compared, kinds.length * SIZES.length + 300);
});

Deno.test("the reused deflate engine's result is the caller's: the next call does not change it", async () => {
  const zlib = await loadNativeZlib();
  const first = deflateRawReused(zlib, sourceText(50_000, 3));
  const copy = first.slice();
  deflateRawReused(zlib, pseudoRandomBytes(50_000, 4));
  assertEquals(first, copy);
  assertEquals(zlib.inflateRawSync(first).length, 50_000);
});

Deno.test("the lent result (deflateRawScratch) gives deflateRawSync's bytes, mixed with owned calls", async () => {
  const zlib = await loadNativeZlib();
  let lent = 0;
  for (let i = 0; i < 200; i++) {
    const size = 100 + ((i * 7919) % 40_000);
    const data = i % 3 === 2 ? pseudoRandomBytes(size, i) : sourceText(size, i);
    const expected = new Uint8Array(zlib.deflateRawSync(data, { level: 6 }));
    // Every fifth call takes an owned copy: both kinds of call share the engine and its clear.
    const out = i % 5 === 4 ? deflateRawReused(zlib, data) : deflateRawScratch(zlib, data);
    if (isDeflateScratch(out.buffer)) lent++;
    assertEquals(out, expected, `member ${i} (${size} bytes)`);
  }
  // The engine is there in this runtime, so the lent path was the one taken.
  assertEquals(lent, 160);
});

Deno.test("members of any size below 64 KiB, longer and shorter in turn, give deflateRawSync's bytes", async () => {
  // The window clear after a member of up to 60 KiB covers only what it wrote: a shorter member
  // after a longer one is where leftovers would show.
  const zlib = await loadNativeZlib();
  let seed = 99;
  for (let i = 0; i < 240; i++) {
    const size = 100 + ((seed * 48271) % (64 * KiB - 100));
    const data = i % 4 === 3 ? pseudoRandomBytes(size, seed++) : sourceText(size, seed++);
    const expected = new Uint8Array(zlib.deflateRawSync(data, { level: 6 }));
    assertEquals(deflateRawScratch(zlib, data), expected, `member ${i} (${size} bytes)`);
  }
});

Deno.test("members up to 256 KiB, longer and shorter in turn, give deflateRawSync's bytes", async () => {
  // Members past 64 KiB slide the window: what they leave in it is cleared whole.
  const zlib = await loadNativeZlib();
  let seed = 123;
  for (let i = 0; i < 160; i++) {
    const size = 100 + ((seed * 48271) % (256 * KiB));
    const data = i % 4 === 3 ? pseudoRandomBytes(size, seed++) : sourceText(size, seed++);
    const expected = new Uint8Array(zlib.deflateRawSync(data, { level: 6 }));
    assertEquals(deflateRawScratch(zlib, data), expected, `member ${i} (${size} bytes)`);
  }
});
