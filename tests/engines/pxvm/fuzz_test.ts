import { assertEquals } from "../../assert.ts";
import { assemblePxvm } from "../../../src/engines/pxvm/assembler.ts";
import { disassemblePxvm } from "../../../src/engines/pxvm/disassembler.ts";
import { PxosError } from "../../../src/errors.ts";
import { SeededRandom } from "../../../src/host/prng.ts";
import { runPxvm } from "./helpers.ts";
import { assert } from "../../assert.ts";
import { fuzz, FUZZ_MUTATIONS, fuzzSeed, mutateBytes } from "../../fuzz.ts";

/** Random programs biased toward real opcodes so execution gets somewhere. */
function randomProgram(rng: SeededRandom, length: number): Uint8Array {
  const bytes = rng.fill(new Uint8Array(length));
  const common = [
    0x00,
    0x10,
    0x11,
    0x20,
    0x30,
    0x3c,
    0x50,
    0x58,
    0x59,
    0x5a,
    0x5b,
    0x62,
    0x65,
    0xf0,
  ];
  for (let i = 0; i < length; i += 3) {
    if (bytes[i] & 1) bytes[i] = common[bytes[i] % common.length];
  }
  return bytes;
}

Deno.test("fuzzed .pxvm bytes with small fuel end cleanly (PxosError or a result)", async () => {
  const rng = new SeededRandom(new TextEncoder().encode("pxvm-fuzz"));
  const codes = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const bytes = randomProgram(rng, 4 + (rng.nextU32() % 120));
    for (const strict of [false, true]) {
      const outcome = async (jit: boolean) => {
        try {
          const r = await runPxvm(bytes, { fuel: 500, strict, jit });
          return `ok ${r.result.exitCode} ${r.result.fuelUsed} ${r.out.length} ${r.ops.length}`;
        } catch (e) {
          if (!(e instanceof PxosError)) throw new Error(`non-PxosError on ${bytes}: ${e}`);
          return e.code;
        }
      };
      const slow = await outcome(false);
      const fast = await outcome(true);
      assertEquals(fast, slow, `tiers disagree on [${bytes}] strict=${strict}`);
      codes.set(slow.split(" ")[0], (codes.get(slow.split(" ")[0]) ?? 0) + 1);
    }
  }
  // The corpus must exercise more than one outcome, or the test proves little.
  assertEquals(codes.size >= 3, true, JSON.stringify([...codes]));
});

Deno.test("disassembly of fuzzed bytes always assembles back to the same bytes", () => {
  const rng = new SeededRandom(new TextEncoder().encode("pxvm-disasm-fuzz"));
  for (let i = 0; i < 300; i++) {
    const bytes = randomProgram(rng, 1 + (rng.nextU32() % 80));
    const text = disassemblePxvm(bytes);
    assertEquals(Array.from(assemblePxvm(text)), Array.from(bytes), text);
  }
});

const SEED = fuzzSeed(20261208);

Deno.test(`fuzz: ${FUZZ_MUTATIONS} mutated .pxvm programs are refused or run within limits (seed ${SEED})`, async () => {
  const examples = ["pxvm-hello", "pxvm-window"].map((name) =>
    Deno.readTextFileSync(new URL(`../../../examples/${name}/main.pxvmasm`, import.meta.url))
  );
  const bases = [
    ...examples,
    "IMM8 R1, 2\nloop: ADDI R1, -1\nJNZ R1, loop\nHALT",
    "IMM8 R1, 1\nSYSCALL PRINT_ID\nHALT\n",
  ].map((source) => assemblePxvm(source));
  const tally = await fuzz({
    name: "pxvm",
    seed: SEED,
    input: (rand) => mutateBytes(bases[rand(bases.length)], rand),
    attempt: (bytes) => runPxvm(bytes, { fuel: 500, timeoutMs: 500, strict: true }),
  });
  // A bare program has no header to refuse: many mutations still run, the rest trap.
  assert(tally.accepted > 0 && tally.refused > 0, JSON.stringify([...tally.codes]));
});
