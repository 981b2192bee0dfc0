/**
 * PixelVM speed against plain JavaScript doing the same work (the baseline in each group).
 * Run: deno bench --allow-read bench/pixelvm_bench.ts — quote the ratios, not the times.
 */
import { assemblePxasm } from "../src/engines/pixelvm/assembler.ts";
import { loadPixelProgram, type PixelProgram } from "../src/engines/pixelvm/engine.ts";
import { execute } from "../src/engines/pixelvm/vm.ts";
import { fibProgram, seedFibProgram } from "../src/engines/pixelvm/example_programs.ts";
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

const LOOP_SOURCE = `
        PUSH 0
        ENTER 1
loop:   LGET 0
        PUSH 1
        ADD
        LSET 0
        LGET 0
        PUSH 10000000
        LT
        JNZ loop
        LGET 0
        PRINT
        HALT`;

const SIEVE_N = 1_000_000;
const SIEVE_SOURCE = `
.memory ${SIEVE_N}
        PUSH 2                  ; local 0: i
        PUSH 0                  ; local 1: j, later the count
        ENTER 2
outer:  LGET 0
        LGET 0
        MUL
        PUSH ${SIEVE_N}
        LT
        JZ count
        LGET 0
        LOADB
        JNZ next_i
        LGET 0
        LGET 0
        MUL
        LSET 1
mark:   LGET 1
        PUSH ${SIEVE_N}
        LT
        JZ next_i
        PUSH 1
        LGET 1
        STOREB
        LGET 1
        LGET 0
        ADD
        LSET 1
        JMP mark
next_i: LGET 0
        PUSH 1
        ADD
        LSET 0
        JMP outer
count:  PUSH 2
        LSET 0
        PUSH 0
        LSET 1
scan:   LGET 0
        PUSH ${SIEVE_N}
        LT
        JZ done
        LGET 0
        LOADB
        JNZ skip
        LGET 1
        PUSH 1
        ADD
        LSET 1
skip:   LGET 0
        PUSH 1
        ADD
        LSET 0
        JMP scan
done:   LGET 1
        PRINT
        HALT`;

function fibJs(n: number): number {
  return n < 2 ? n : fibJs(n - 1) + fibJs(n - 2);
}

function loopJs(): number {
  let i = 0;
  while (i < 10_000_000) i = (i + 1) | 0;
  return i;
}

function sieveJs(n: number): number {
  const composite = new Uint8Array(n);
  for (let i = 2; i * i < n; i++) {
    if (composite[i]) continue;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  let count = 0;
  for (let i = 2; i < n; i++) if (!composite[i]) count++;
  return count;
}

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
  { group: "loop", label: "10M loop", source: LOOP_SOURCE, js: loopJs },
  { group: "sieve", label: "sieve(1e6)", source: SIEVE_SOURCE, js: () => sieveJs(SIEVE_N) },
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
