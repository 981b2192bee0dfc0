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

/** One group: a program, and plain JS doing the same work (the group's baseline). */
interface Group {
  group: string;
  label: string;
  source: string;
  js: () => number;
}

const GROUPS: Group[] = [
  { group: "loop", label: "10M loop", source: loopProgram(10_000_000), js: () => loopJs(1e7) },
  {
    group: "sieve",
    label: `sieve(${SIEVE_N}) ×${SIEVE_PASSES}`,
    source: sieveProgram(SIEVE_N, SIEVE_PASSES),
    js: () => sieveJs(SIEVE_N, SIEVE_PASSES, flags),
  },
  { group: "fib", label: "fib(30)", source: fibProgram(30), js: () => fibJs(30) },
];

let printed = "";
const host = createHost({ stdout: (t) => (printed += t) });
const loaded = GROUPS.map((g) => pxvmEngine.load(assemblePxvm(g.source), { path: "bench.pxvm" }));

async function run(i: number, jit: boolean): Promise<string> {
  printed = "";
  await pxvmEngine.run(loaded[i], host, LIMITS, { flags: { jit } });
  return printed.trim();
}

// Both sides must compute the same answer, or the comparison means nothing.
for (const [i, { js }] of GROUPS.entries()) {
  const expected = String(js());
  for (const jit of [true, false]) {
    const got = await run(i, jit);
    if (got !== expected) throw new Error(`expected ${expected}, pxVM printed ${got}`);
  }
}

let sink = 0;
for (const [i, { group, label, js }] of GROUPS.entries()) {
  Deno.bench({ name: `${label} plain JS`, group, baseline: true, fn: () => void (sink += js()) });
  Deno.bench({ name: `${label} pxVM`, group, fn: async () => void (await run(i, true)) });
  Deno.bench({
    name: `${label} pxVM, interpreter only`,
    group,
    n: 3,
    fn: async () => void (await run(i, false)),
  });
}
