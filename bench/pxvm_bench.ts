/**
 * pxVM speed against plain JavaScript doing the same work (the baseline in each group): the
 * programs of `src/engines/pxvm/example_programs.ts`, each also run on the interpreter alone
 * (`flags.jit = false`) to show what the fast tier adds.
 *
 *   deno bench --allow-read bench/pxvm_bench.ts
 *
 * Quote the ratios, not the times.
 */
import { assemblePxvm } from "../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../src/engines/pxvm/engine.ts";
import {
  fibJs,
  fibProgram,
  loopJs,
  loopProgram,
  SIEVE_MAX,
  sieveJs,
  sieveProgram,
} from "../src/engines/pxvm/example_programs.ts";
import { createHost } from "../src/host/host.ts";

const LIMITS = { fuel: 1e12, timeoutMs: 120_000, memoryBytes: 0, outputBytes: 1 << 30 };
const SIEVE_N = 28_000;
const SIEVE_PASSES = 40;
const flags = new Uint8Array(SIEVE_MAX); // the JS side reuses its array, as pxVM its memory

// Each group: [group, label, pxVM source, the same work in plain JS (the group's baseline)].
const GROUPS: [string, string, string, () => number][] = [
  ["loop", "10M loop", loopProgram(10_000_000), () => loopJs(1e7)],
  [
    "sieve",
    `sieve(${SIEVE_N}) ×${SIEVE_PASSES}`,
    sieveProgram(SIEVE_N, SIEVE_PASSES),
    () => sieveJs(SIEVE_N, SIEVE_PASSES, flags),
  ],
  ["fib", "fib(30)", fibProgram(30), () => fibJs(30)],
];

let printed = "";
const host = createHost({ stdout: (t) => (printed += t) });
const loaded = GROUPS.map(([, , source]) =>
  pxvmEngine.load(assemblePxvm(source), { path: "bench.pxvm" })
);

async function run(i: number, jit: boolean): Promise<string> {
  printed = "";
  await pxvmEngine.run(loaded[i], host, LIMITS, { flags: { jit } });
  return printed.trim();
}

// Both sides must compute the same answer, or the comparison means nothing.
for (const [i, [, , , js]] of GROUPS.entries()) {
  const expected = String(js());
  for (const jit of [true, false]) {
    const got = await run(i, jit);
    if (got !== expected) throw new Error(`expected ${expected}, pxVM printed ${got}`);
  }
}

let sink = 0;
for (const [i, [group, label, , js]] of GROUPS.entries()) {
  Deno.bench({ name: `${label} plain JS`, group, baseline: true, fn: () => void (sink += js()) });
  Deno.bench({ name: `${label} pxVM`, group, fn: async () => void (await run(i, true)) });
  Deno.bench({
    name: `${label} pxVM, interpreter only`,
    group,
    n: 3,
    fn: async () => void (await run(i, false)),
  });
}
