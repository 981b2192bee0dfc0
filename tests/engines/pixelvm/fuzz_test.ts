import { PxosError } from "../../../src/errors.ts";
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { pixelvmEngine } from "../../../src/engines/pixelvm/engine.ts";
import { createHost, GuestExit } from "../../../src/host/host.ts";
import { fail } from "../../assert.ts";
import { generateModule, generateRunnableSource, mutate, Rng } from "./corpus.ts";
import { describe, runBytes } from "./helpers.ts";
import { assertEquals } from "../../assert.ts";
import { fuzz, FUZZ_MUTATIONS, fuzzSeed } from "../../fuzz.ts";

const LIMITS = { fuel: 2000, timeoutMs: 1000, memoryBytes: 1 << 20, outputBytes: 1 << 20 };
const host = createHost({ stdout: () => {}, stderr: () => {} });

/** Loads and runs `bytes`; anything but a PxosError, a GuestExit or completion fails the test. */
async function survive(bytes: Uint8Array, what: string): Promise<string> {
  try {
    const program = await pixelvmEngine.load(bytes, { path: "fuzz.pxi", files: new Map() });
    await pixelvmEngine.run(program, host, LIMITS);
    return "ok";
  } catch (e) {
    if (e instanceof PxosError) return e.code;
    if (e instanceof GuestExit) return "exit";
    const hexBytes = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return fail(`${what}: ${e instanceof Error ? e.stack : e}\nbytes: ${hexBytes}`);
  }
}

const SEEDS = [
  "PUSH 5\nl: DUP\nPRINT\nPUSH 1\nSUB\nDUP\nJNZ l\nHALT",
  "PUSH 10\nCALL f\nPRINT\nHALT\nf: ENTER 1\nLGET 0\nPUSH 2\nLT\nJZ r\nLGET 0\nRETN 1\n" +
  "r: LGET 0\nPUSH 1\nSUB\nCALL f\nLGET 0\nPUSH 2\nSUB\nCALL f\nADD\nRETN 1",
  '.data\ns: .string "hi"\ne:\n.code\nPUSH s\nPUSH e - s\nHOST_CALL write_str\nPUSH 3\nLOAD 0\nHALT',
  ".module m\n.export f\n.import lib.g\nf: CALL lib.g\nPUSH 7\nSTOREB 9\nHALT",
];

Deno.test("fuzz: 10000 random byte strings are refused or run within limits", async () => {
  const rng = new Rng(12345);
  const seen = new Map<string, number>();
  for (let i = 0; i < 10_000; i++) {
    const raw = rng.bytes(rng.int(64));
    // Half of them start with the module magic so the header parser gets exercised too.
    if (i % 2 === 0 && raw.length >= 4) raw.set([0x50, 0x58, 0x49, 0x52]);
    const code = await survive(raw, `random #${i}`);
    seen.set(code, (seen.get(code) ?? 0) + 1);
  }
  if (!seen.has("E_VERIFY")) fail(`expected some refusals, saw ${[...seen]}`);
});

const SEED = fuzzSeed(777);

Deno.test(`fuzz: ${FUZZ_MUTATIONS} mutations of valid programs are refused or run within limits (seed ${SEED})`, async () => {
  const rng = new Rng(SEED);
  const bases = SEEDS.map((s) => assemblePxasm(s));
  for (let i = 0; i < 40; i++) bases.push(generateModule(new Rng(50_000 + i)));
  // The corpus's own mutator (it smashes little-endian words), driven by the same seed.
  const tally = await fuzz({
    name: "pixelvm pxi",
    seed: SEED,
    input: () => mutate(rng, rng.pick(bases)),
    attempt: async (bytes) => {
      const program = await pixelvmEngine.load(bytes, { path: "fuzz.pxi", files: new Map() });
      try {
        await pixelvmEngine.run(program, host, LIMITS);
      } catch (e) {
        if (!(e instanceof GuestExit)) throw e;
      }
    },
  });
  for (const expected of ["E_VERIFY", "E_TRAP"]) {
    if (!tally.codes.has(expected)) fail(`expected some ${expected}, saw ${[...tally.codes]}`);
  }
});

Deno.test("fuzz: generated valid programs run to completion or a PxosError", async () => {
  for (let seed = 0; seed < 500; seed++) {
    const bytes = generateModule(new Rng(90_000 + seed));
    await survive(bytes, `generated seed ${seed}`);
  }
});

Deno.test("fuzz: the fast loop and the precise loop agree on generated and mutated programs", async () => {
  const rng = new Rng(4242);
  const bases = SEEDS.map((src) => assemblePxasm(src));
  let compared = 0;
  for (let i = 0; i < 1500; i++) {
    const bytes = i % 2 === 0 ? generateModule(new Rng(70_000 + i)) : mutate(rng, rng.pick(bases));
    const fast = await runBytes(bytes, { limits: LIMITS });
    const precise = await runBytes(bytes, { limits: LIMITS, precise: true });
    const codes = [fast.error, precise.error].map((e) => (e as PxosError | undefined)?.code);
    if (codes.includes("E_FUEL") || codes.includes("E_TIMEOUT")) continue;
    assertEquals(describe(fast.error), describe(precise.error), `program #${i}`);
    assertEquals(fast.out, precise.out, `program #${i}`);
    compared++;
  }
  if (compared < 500) fail(`only ${compared} programs compared`);
});

Deno.test("fuzz: both loops agree on 1500 generated programs shaped like the fused patterns", async () => {
  let compared = 0, completed = 0;
  for (let seed = 0; seed < 1500; seed++) {
    const bytes = assemblePxasm(generateRunnableSource(new Rng(30_000 + seed)));
    const limits = { ...LIMITS, fuel: 20_000 };
    const fast = await runBytes(bytes, { limits });
    const precise = await runBytes(bytes, { limits, precise: true });
    const codes = [fast.error, precise.error].map((e) => (e as PxosError | undefined)?.code);
    if (codes.includes("E_FUEL") || codes.includes("E_TIMEOUT")) continue;
    assertEquals(describe(fast.error), describe(precise.error), `seed ${seed}`);
    assertEquals(fast.out, precise.out, `seed ${seed}`);
    if (fast.result) assertEquals(fast.result.fuelUsed, precise.result?.fuelUsed, `seed ${seed}`);
    compared++;
    if (!fast.error) completed++;
  }
  if (compared < 700 || completed < 100) fail(`compared ${compared}, completed ${completed}`);
});
