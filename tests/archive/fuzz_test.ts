/**
 * Fuzz: seeded mutations of a valid archive. Each is read correctly (every member hash-checked
 * and equal to the original) or refused with a PxosError — never another error, never a hang.
 */
import { assert, assertEquals } from "../assert.ts";
import { fuzz, FUZZ_MUTATIONS, fuzzSeed, mutateBytes } from "../fuzz.ts";
import { packArchive } from "../../src/archive/writer.ts";
import { readArchive } from "../../src/archive/reader.ts";
import { pseudoRandomBytes, utf8 } from "./helpers.ts";

const SEED = fuzzSeed(20261121);

Deno.test(`fuzz: ${FUZZ_MUTATIONS} mutated archives are read correctly or refused with PxosError (seed ${SEED})`, async () => {
  const files = new Map([
    ["pxos.json", utf8('{"name":"f","version":"1.0.0","entry":"a.txt"}')],
    ["a.txt", utf8("abc ".repeat(100))],
    ["dir/b.bin", pseudoRandomBytes(300, 3)],
    ["dir/empty", new Uint8Array(0)],
  ]);
  const original = await packArchive([...files].map(([path, data]) => ({ path, data })));
  const tally = await fuzz({
    name: "archive",
    seed: SEED,
    input: (rand) => mutateBytes(original, rand),
    attempt: async (bytes, i) => {
      const archive = await readArchive(bytes, { maxUnpackedBytes: 1 << 20 });
      for (const e of archive.entries) {
        if (e.directory) continue;
        const content = await archive.read(e.path);
        // A hash-checked read must give exactly the original bytes (a hash collision aside).
        const expected = files.get(e.path);
        if (expected) assertEquals(content, expected, `mutation ${i}: ${e.path}`);
      }
    },
  });
  assert(
    tally.refused > FUZZ_MUTATIONS * 0.8,
    `only ${tally.refused} of ${FUZZ_MUTATIONS} refused`,
  );
});
