import { assertEquals } from "../assert.ts";
import {
  inflateOneShot,
  type InflateOutcome,
  inflateRawBounded,
} from "../../src/archive/inflate_engine.ts";
import { loadNativeZlib } from "../../src/native_modules.ts";

/**
 * The outcome without the one-shot call's error object, for comparing the two ways; bytes as
 * their length and an FNV-1a hash (a failing comparison of 87,000-element arrays takes minutes
 * to print).
 */
function plain(outcome: InflateOutcome): unknown {
  if (outcome.bytes === undefined) {
    return outcome.tooLong ? { tooLong: true } : { broken: outcome.broken };
  }
  let hash = 0x811c9dc5;
  for (const byte of outcome.bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return { length: outcome.bytes.length, hash };
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

Deno.test("the reused inflate engine ends every member as the one-shot call does, errors in between", async () => {
  const zlib = await loadNativeZlib();
  const deflate = (b: Uint8Array) => new Uint8Array(zlib.deflateRawSync(b, { level: 6 }));
  const text = bytesOf("pixel cartridge stack engine ".repeat(3000)); // 87,000 bytes
  const small = bytesOf("hello hello hello");
  const random = new Uint8Array(70_000).map((_, i) => (i * 2654435761) >>> 24);
  const packedText = deflate(text);
  const packedSmall = deflate(small);
  // A stored block of 3 bytes whose copy refers 10 bytes back: "invalid distance too far back"
  // unless a kept engine remembered an earlier member's bytes.
  const farBack = new Uint8Array(deflate(bytesOf("abc")));
  const cases: [string, Uint8Array, number][] = [
    ["text", packedText, text.length],
    ["small", packedSmall, small.length],
    ["random", deflate(random), random.length],
    ["empty", deflate(new Uint8Array(0)), 0],
    ["one byte", deflate(new Uint8Array([7])), 1],
    ["declared one byte short", packedText, text.length - 1],
    ["declared two bytes short", packedText, text.length - 2],
    ["declared far too short", packedText, 100],
    ["small, declared one byte short", packedSmall, small.length - 1],
    ["small, declared 5 short", packedSmall, small.length - 5],
    ["declared longer", packedText, text.length + 10],
    ["declared 0, gives 17", packedSmall, 0],
    ["truncated", packedText.subarray(0, packedText.length >> 1), text.length],
    ["truncated small", packedSmall.subarray(0, 5), small.length],
    ["garbage", new Uint8Array([0xff, 0xff, 0xff, 0x00]), 10],
    ["empty input", new Uint8Array(0), 10],
    ["after the errors, text again", packedText, text.length],
    ["a distance too far back", new Uint8Array([0x4b, 0x04, 0x02, 0x00]), 10],
    ["far back after a member", farBack, 3],
    ["garbage after the end", new Uint8Array([...packedSmall, 1, 2, 3]), small.length],
  ];
  const seen = new Set<string>();
  for (const [name, data, size] of cases) {
    const reused = inflateRawBounded(zlib, data, size);
    assertEquals(plain(reused), plain(inflateOneShot(zlib, data, size)), name);
    seen.add(
      reused.bytes
        ? (reused.bytes.length === size ? "exact" : "wrong size")
        : reused.tooLong
        ? "too long"
        : "broken",
    );
  }
  // Every way a member can end was met (so the comparison above covered each).
  assertEquals([...seen].sort(), ["broken", "exact", "too long", "wrong size"]);
  assertEquals(inflateRawBounded(zlib, packedText, text.length).bytes, text);
});
