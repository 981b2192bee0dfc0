import { PxosError } from "../../src/errors.ts";
import { assert, assertEquals, fail } from "../assert.ts";
import { packArchive } from "../../src/archive/writer.ts";
import { readArchive } from "../../src/archive/reader.ts";
import { pseudoRandomBytes, utf8 } from "./helpers.ts";

/** xorshift32: a seeded source so a failing mutation can be replayed from its number. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function mutate(original: Uint8Array, random: () => number): Uint8Array {
  const kind = Math.floor(random() * 4);
  const at = Math.floor(random() * original.length);
  if (kind === 0) { // bit flips
    const b = original.slice();
    for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
      b[Math.floor(random() * b.length)] ^= 1 << Math.floor(random() * 8);
    }
    return b;
  }
  if (kind === 1) return original.slice(0, at); // truncation
  if (kind === 2) { // splice: a piece of the archive copied over another place
    const b = original.slice();
    const from = Math.floor(random() * original.length);
    const len = Math.floor(random() * 64);
    b.set(
      original.subarray(from, Math.min(from + len, original.length)).subarray(0, b.length - at),
      at,
    );
    return b;
  }
  const b = original.slice(); // random bytes overwritten
  for (let i = 0; i < 8 && at + i < b.length; i++) b[at + i] = Math.floor(random() * 256);
  return b;
}

Deno.test("fuzz: 3000 mutated archives are read correctly or refused with PxosError", async () => {
  const files = new Map([
    ["pxos.json", utf8('{"name":"f","version":"1.0.0","entry":"a.txt"}')],
    ["a.txt", utf8("abc ".repeat(100))],
    ["dir/b.bin", pseudoRandomBytes(300, 3)],
    ["dir/empty", new Uint8Array(0)],
  ]);
  const original = await packArchive([...files].map(([path, data]) => ({ path, data })));
  const random = rng(20261121);
  let refused = 0;
  for (let i = 0; i < 3000; i++) {
    const bytes = mutate(original, random);
    try {
      const archive = await readArchive(bytes, { maxUnpackedBytes: 1 << 20 });
      for (const e of archive.entries) {
        if (e.directory) continue;
        const content = await archive.read(e.path);
        // A hash-checked read must give exactly the original bytes (a hash collision aside).
        const expected = files.get(e.path);
        if (expected) assertEquals(content, expected, `mutation ${i}: ${e.path}`);
      }
    } catch (e) {
      if (!(e instanceof PxosError)) fail(`mutation ${i}: ${(e as Error).stack}`);
      refused++;
    }
  }
  assert(refused > 2500, `only ${refused} of 3000 mutations were refused`);
});
