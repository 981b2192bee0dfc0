/**
 * Fuzz: seeded mutations of compiled `.pbc` modules. Each is refused by the loader (reader and
 * verifier) with a PxosError, or loads and then runs under small fuel and time limits to a
 * result or a PxosError — never another exception, never a hang.
 */
import { compilePoh, pohEngine } from "../../../src/engines/poh/mod.ts";
import { createHost, GuestExit } from "../../../src/host/host.ts";
import { assert } from "../../assert.ts";
import { fuzz, FUZZ_MUTATIONS, fuzzSeed, mutateBytes } from "../../fuzz.ts";

const SEED = fuzzSeed(20261207);
const LIMITS = { fuel: 2_000, timeoutMs: 500, memoryBytes: 1 << 20, outputBytes: 1 << 20 };

const SOURCES = [
  "Make add with a, b set to 1\n  Return a + b\nEnd\nWrite add(2) plus add(2, 3)\n",
  'Set xs to [1, 2.5, "s", True, nothing]\nFor each x in xs\n  Write x\nEnd\n',
  'Make outer with x\n  Make inner Return x\n  Return inner\nEnd\nWrite {"k": outer(3)}\n',
  'Set n to 1\nWhile n is at most 15\n  If n % 15 is 0\n    Write "FizzBuzz"\n' +
  "  Otherwise\n    Write n\n  End\n  Increase n\nEnd\n",
  'try this:\n  throw error of type "E" with message "m"\nif error as e\n  Write e\nend try\n',
];

Deno.test(`fuzz: ${FUZZ_MUTATIONS} mutated .pbc modules are refused or run within limits (seed ${SEED})`, async () => {
  const encoder = new TextEncoder();
  const bases = SOURCES.map((s) => compilePoh(encoder.encode(s), { path: "main.poh" }));
  const host = createHost({ stdout: () => {}, stderr: () => {} });
  let ran = 0;
  const tally = await fuzz({
    name: "poh pbc",
    seed: SEED,
    input: (rand) => {
      const base = bases[rand(bases.length)];
      const mutated = mutateBytes(base, rand);
      // Mostly keep the POHC magic, so the bytecode reader (not the source lexer) is fuzzed.
      if (rand(10) > 0 && mutated.length >= 4) mutated.set(base.subarray(0, 4));
      return mutated;
    },
    attempt: async (bytes) => {
      const program = await pohEngine.load(bytes, { path: "fuzz.pbc" });
      try {
        await pohEngine.run(program, host, LIMITS);
      } catch (e) {
        if (!(e instanceof GuestExit)) throw e;
      }
      ran++;
    },
    note: () => `${ran} loaded and ran`,
  });
  assert(tally.refused > FUZZ_MUTATIONS / 2 && ran > 0, JSON.stringify([...tally.codes]));
  assert(tally.codes.has("E_VERIFY"), "the verifier refused some");
});
