/**
 * PixelVM speed against plain JavaScript doing the same work (the baseline in each group).
 * Run: deno bench --allow-read bench/pixelvm_bench.ts — quote the ratios, not the times.
 */
import { assemblePxasm } from "../src/engines/pixelvm/assembler.ts";
import { loadPixelProgram, type PixelProgram } from "../src/engines/pixelvm/engine.ts";
import { execute } from "../src/engines/pixelvm/vm.ts";
import { fibProgram } from "../src/engines/pixelvm/example_programs.ts";
import { createHost } from "../src/host/host.ts";

const LIMITS = { fuel: 1e12, timeoutMs: 120_000, memoryBytes: 64 * 1024 * 1024 };

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

// Each group also runs the program without the compiled tier, to show what the tier adds.
const [FIB, FIB_INTERPRETED] = [load(FIB_SOURCE), load(FIB_SOURCE, false)];
const [LOOP, LOOP_INTERPRETED] = [load(LOOP_SOURCE), load(LOOP_SOURCE, false)];
const [SIEVE, SIEVE_INTERPRETED] = [load(SIEVE_SOURCE), load(SIEVE_SOURCE, false)];

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

// Both sides must compute the same answer, or the comparison means nothing.
const check = async (program: PixelProgram, expected: number) => {
  const got = await run(program);
  if (got !== String(expected)) throw new Error(`expected ${expected}, PixelVM printed ${got}`);
};
for (const fib of [FIB, FIB_INTERPRETED]) await check(fib, fibJs(30));
for (const loop of [LOOP, LOOP_INTERPRETED]) await check(loop, loopJs());
for (const sieve of [SIEVE, SIEVE_INTERPRETED]) await check(sieve, sieveJs(SIEVE_N));

let sink = 0;
Deno.bench({
  name: "fib(30) plain JS",
  group: "fib",
  baseline: true,
  fn: () => void (sink += fibJs(30)),
});
Deno.bench({ name: "fib(30) PixelVM", group: "fib", fn: async () => void (await run(FIB)) });
Deno.bench({
  name: "fib(30) PixelVM, interpreter only",
  group: "fib",
  fn: async () => void (await run(FIB_INTERPRETED)),
});
Deno.bench({
  name: "10M loop plain JS",
  group: "loop",
  baseline: true,
  fn: () => void (sink += loopJs()),
});
Deno.bench({ name: "10M loop PixelVM", group: "loop", fn: async () => void (await run(LOOP)) });
Deno.bench({
  name: "10M loop PixelVM, interpreter only",
  group: "loop",
  fn: async () => void (await run(LOOP_INTERPRETED)),
});
Deno.bench({
  name: "sieve(1e6) plain JS",
  group: "sieve",
  baseline: true,
  fn: () => void (sink += sieveJs(SIEVE_N)),
});
Deno.bench({ name: "sieve(1e6) PixelVM", group: "sieve", fn: async () => void (await run(SIEVE)) });
Deno.bench({
  name: "sieve(1e6) PixelVM, interpreter only",
  group: "sieve",
  fn: async () => void (await run(SIEVE_INTERPRETED)),
});
