/**
 * PixelVM speed against plain JavaScript doing the same work (the baseline in each group).
 * Run: deno bench --allow-read bench/pixelvm_bench.ts — quote the ratios, not the times.
 */
import { assemblePxasm } from "../src/engines/pixelvm/assembler.ts";
import { loadPixelProgram, type PixelProgram } from "../src/engines/pixelvm/engine.ts";
import { execute } from "../src/engines/pixelvm/vm.ts";
import {
  fibJs,
  fibProgram,
  loopJs,
  loopProgram,
  seedFibProgram,
  sieveJs,
  sieveProgram,
} from "../src/engines/pixelvm/example_programs.ts";
import { createHost } from "../src/host/host.ts";

const LIMITS = {
  fuel: 1e12,
  timeoutMs: 120_000,
  memoryBytes: 64 * 1024 * 1024,
  outputBytes: 1 << 30,
};

function load(source: string, compiledTier = true): PixelProgram {
  return loadPixelProgram(assemblePxasm(source), { path: "bench.pxi" }, { compiledTier });
}

async function run(program: PixelProgram): Promise<string> {
  let out = "";
  await execute(program, createHost({ stdout: (t) => (out += t) }), LIMITS);
  return out.trim();
}

const FIB_SOURCE = fibProgram(30);
const LOOP_N = 10_000_000;
const SIEVE_N = 1_000_000;
const sieveArray = new Uint8Array(SIEVE_N); // reused and cleared per run, as the VM's memory

/** One group: a program, and plain JS doing the same work (the group's baseline). */
interface Group {
  group: string;
  label: string;
  source: string;
  js: () => number;
}

const GROUPS: Group[] = [
  { group: "fib", label: "fib(30)", source: FIB_SOURCE, js: () => fibJs(30) },
  // The seed's single-stack convention: arguments under the return address, SWAPs to reach them.
  {
    group: "fib, seed style",
    label: "seed-style fib(30)",
    source: seedFibProgram(30),
    js: () => fibJs(30),
  },
  { group: "loop", label: "10M loop", source: loopProgram(LOOP_N), js: () => loopJs(LOOP_N) },
  {
    group: "sieve",
    label: "sieve(1e6)",
    source: sieveProgram(SIEVE_N),
    js: () => sieveJs(SIEVE_N, sieveArray),
  },
];

// Each group also runs the program without the compiled tier, to show what the tier adds.
const loaded = GROUPS.map((g) => [load(g.source), load(g.source, false)] as const);

// Both sides must compute the same answer, or the comparison means nothing.
for (const [i, { js }] of GROUPS.entries()) {
  const expected = String(js());
  for (const program of loaded[i]) {
    const got = await run(program);
    if (got !== expected) throw new Error(`expected ${expected}, PixelVM printed ${got}`);
  }
}

let sink = 0;
for (const [i, { group, label, js }] of GROUPS.entries()) {
  const [compiled, interpreted] = loaded[i];
  Deno.bench({ name: `${label} plain JS`, group, baseline: true, fn: () => void (sink += js()) });
  Deno.bench({ name: `${label} PixelVM`, group, fn: async () => void (await run(compiled)) });
  Deno.bench({
    name: `${label} PixelVM, interpreter only`,
    group,
    fn: async () => void (await run(interpreted)),
  });
}
