/**
 * The fast tier against the interpreter on whole programs: the examples the benchmark times
 * (with every fuel budget around the places where the tier's unrolled laps and copied blocks
 * change how fuel is checked) and generated programs full of loops, compares, memory accesses
 * and calls. Both tiers must print the same, leave the same registers, use the same fuel and
 * fail with the same message.
 */
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { assemblePxvm } from "../../../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../../../src/engines/pxvm/engine.ts";
import {
  fibJs,
  fibProgram,
  loopJs,
  loopProgram,
  sieveJs,
  sieveProgram,
} from "../../../src/engines/pxvm/example_programs.ts";
import { compileFast } from "../../../src/engines/pxvm/jit.ts";
import type { PxvmProgram } from "../../../src/engines/pxvm/decode.ts";
import { SeededRandom } from "../../../src/host/prng.ts";
import { outcome } from "./helpers.ts";

async function assertTiersAgree(source: string, fuel: number): Promise<string> {
  const slow = await outcome(source, false, fuel);
  const fast = await outcome(source, true, fuel);
  assertEquals(fast, slow, `tiers disagree at fuel ${fuel} on:\n${source}`);
  return fast;
}

const fuelOf = (text: string) => Number(/^ok fuel=(\d+)/.exec(text)?.[1]);

const EXAMPLES: [string, string, string][] = [
  ["loop", loopProgram(1000), `${loopJs(1000)}\n`],
  ["sieve", sieveProgram(300, 3), `${sieveJs(300, 3)}\n`],
  ["fib", fibProgram(12), `${fibJs(12)}\n`],
];

for (const [name, source, printed] of EXAMPLES) {
  Deno.test(`fast tier: the ${name} example agrees with the interpreter, any budget`, async () => {
    const full = await assertTiersAgree(source, 1e9);
    assert(full.endsWith(`\n${printed}`), full);
    const need = fuelOf(full);
    // Every small budget (the unrolled laps' guards and the first blocks), and around the end.
    const budgets = Array.from({ length: 120 }, (_, i) => i + 1);
    for (const fuel of [...budgets, need - 40, need - 13, need - 2, need - 1, need, need + 1]) {
      const got = await assertTiersAgree(source, fuel);
      if (fuel < need) assertMatch(got, /^E_FUEL/);
      else assertEquals(fuelOf(got), need);
    }
  });
}

Deno.test("fast tier: small loops become unrolled JS loops, flags a compared pair", () => {
  const program = pxvmEngine.load(assemblePxvm(sieveProgram(300, 1)), { path: "t.pxvm" });
  const js = compileFast(program as unknown as PxvmProgram).run.toString();
  // The groups of laps are counted and charged once, before the laps (see CaseEmitter.unrolled).
  assertMatch(
    js,
    /b\d+: for \(;;\) \{ if \(budget >= \d+\) \{ let g = \(budget \/ \d+\) \| 0; budget -= \d+ \* g; w\d+: for \(;;\) \{ u0: \{/,
  );
  assertMatch(js, /fa = r\d+; fb = r\d+;/); // CMP keeps the pair, no -1/0/1 per compare
  assert(!/flag = r/.test(js), "no flag computed inside the code");
  // The compiled form is made once per program, not per run.
  assert(compileFast(program as unknown as PxvmProgram).run.toString() === js);
});

/**
 * Loops whose unrolled laps leave in every way a prepaid lap can: laps of two costs (a branch
 * inside), a store that runs out of memory from a late lap on (a warning, then on), a division
 * by zero on one lap, and the loop's own exit; each on every budget through its run.
 */
const PREPAID_LOOPS = [
  `        IMM32 R1, 23
        IMM32 R5, 65500
        IMM8 R2, 0
lap:    ADDI R1, -1
        ADD R6, R5, R1
        STORE8 R6, R1
        JZ R3, even
        ADDI R2, 7
even:   XOR R3, R3, R1
        ADDI R5, 2
        JNZ R1, lap
        MOV R1, R2
        SYSCALL PRINT_INT
        HALT`,
  `        IMM32 R1, 9
        IMM32 R4, 3
lap:    ADDI R4, -1
        DIV R2, R1, R4
        ADD R3, R3, R2
        ADDI R1, -1
        JNZ R1, lap
        MOV R1, R3
        SYSCALL PRINT_INT
        HALT`,
];

for (const [i, source] of PREPAID_LOOPS.entries()) {
  Deno.test(`fast tier: prepaid unrolled laps leave exactly, loop ${i + 1}, every budget`, async () => {
    const full = await assertTiersAgree(source, 1e6);
    const need = fuelOf(full);
    assert(Number.isFinite(need), full);
    for (let fuel = 1; fuel <= need + 1; fuel++) await assertTiersAgree(source, fuel);
  });
}

/**
 * Returns the fast tier takes without the dispatch (to the code after each CALL) and those it
 * must not: a function called from a loop and from straight code, a RET to an address pushed by
 * hand (into the middle of other code), the stack under the return addresses read back after
 * the returns; with `garbage`, last a RET to an address that is no instruction (a trap).
 */
const returning = (garbage: boolean) =>
  `        IMM32 R4, 100
        PUSH R4
        IMM32 R7, 5
again:  CALL twice
        ADDI R7, -1
        JNZ R7, again
        CALL twice
        JNZ R7, tail
        IMM32 R6, tail
        PUSH R6
        RET
        ADDI R3, 1000
tail:   POP R1
        SYSCALL PRINT_INT
        MOV R1, R3
        SYSCALL PRINT_INT
        ${garbage ? "IMM32 R6, 3\n        PUSH R6\n        RET" : "NOP"}
        HALT
twice:  ADD R3, R3, R3
        ADDI R3, 1
        RET`;

Deno.test("fast tier: predicted and unpredicted returns agree with the interpreter, every budget", async () => {
  const full = await assertTiersAgree(returning(false), 1e6);
  assertMatch(full, /^ok [^]*\n100\n63\n$/);
  for (let fuel = 1; fuel <= fuelOf(full) + 1; fuel++) {
    await assertTiersAgree(returning(false), fuel);
    await assertTiersAgree(returning(true), fuel);
  }
  assertMatch(await assertTiersAgree(returning(true), 1e6), /^E_TRAP: .*RET to 0x3,/);
});

/** A random program: straight code, counted loops, forward branches, memory, calls, stack. */
function generate(rng: SeededRandom): string {
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextU32() % xs.length];
  const reg = () => `R${rng.nextU32() % 5}`; // R0-R4 free; R5 memory base, R6 address, R7 count
  const edge = [0, 1, -1, 2, 7, 255, 65535, 65536, 0x7fffffff, -0x80000000, -7];
  const value = () => (rng.nextU32() & 1 ? pick(edge) : (rng.nextU32() % 2000) - 1000);
  const lines: string[] = ["        IMM32 R5, 32768"];
  for (let i = 0; i < 5; i++) lines.push(`        IMM32 R${i}, ${value()}`);
  const blocks = 3 + (rng.nextU32() % 5);
  const straight = () => {
    const n = 1 + (rng.nextU32() % 6);
    for (let i = 0; i < n; i++) {
      const r = rng.nextU32() % 14;
      if (r < 4) {
        lines.push(
          `        ${
            pick(["ADD", "SUB", "MUL", "AND", "XOR", "SHL", "SAR", "SHR", "OR"])
          } ${reg()}, ${reg()}, ${reg()}`,
        );
      } else if (r === 4) {
        lines.push(`        ${pick(["DIV", "MOD"])} ${reg()}, ${reg()}, ${reg()}`);
      } else if (r === 5) lines.push(`        ADDI ${reg()}, ${value()}`);
      else if (r === 6) lines.push(`        ${pick(["CMP", "CMPU"])} ${reg()}, ${reg()}`);
      else if (r === 7) lines.push(`        IMM32 ${reg()}, ${value()}`);
      else if (r === 8) {
        // Mostly inside memory, sometimes anywhere (then both tiers warn and skip).
        const addr = rng.nextU32() % 4 === 0 ? reg() : "R6";
        lines.push(`        IMM32 R6, ${rng.nextU32() % 4096}`, "        ADD R6, R6, R5");
        lines.push(`        ${pick(["LOAD8", "LOAD16", "LOAD32"])} ${reg()}, ${addr}`);
      } else if (r === 9) {
        const addr = rng.nextU32() % 4 === 0 ? reg() : "R6";
        lines.push(`        IMM32 R6, ${rng.nextU32() % 4096}`, "        ADD R6, R6, R5");
        lines.push(`        ${pick(["STORE8", "STORE16", "STORE32"])} ${addr}, ${reg()}`);
      } else if (r === 10) lines.push(`        PUSH ${reg()}`, `        POP ${reg()}`);
      else if (r === 11) lines.push(`        CALL sub`);
      else if (r === 12) lines.push(`        MOV ${reg()}, ${reg()}`);
      else lines.push(`        NOT ${reg()}, ${reg()}`);
    }
  };
  for (let b = 0; b < blocks; b++) {
    // A counted loop around some of the blocks (R7 counts laps; the body may change flags).
    const looped = rng.nextU32() % 2 === 0;
    if (looped) lines.push(`        IMM32 R7, ${1 + (rng.nextU32() % 40)}`);
    lines.push(`b${b}:`);
    straight();
    if (rng.nextU32() % 2 === 0) {
      lines.push(`        ${pick(["CMP", "CMPU"])} ${reg()}, ${reg()}`);
      const jump = pick(["JEQ", "JNE", "JLT", "JLE", "JGT", "JGE"]);
      lines.push(`        ${jump} f${b}`);
      straight();
      lines.push(`f${b}:`);
    }
    if (rng.nextU32() % 3 === 0) {
      lines.push(`        JZ ${reg()}, f${b}x`, `        ADDI R4, 3`, `f${b}x:`);
    }
    if (looped) lines.push("        ADDI R7, -1", `        JNZ R7, b${b}`);
  }
  for (let i = 0; i < 5; i++) lines.push(`        MOV R1, R${i}`, "        SYSCALL PRINT_INT");
  lines.push("        HALT", "sub:    ADDI R3, 5", "        CMPU R3, R2", "        RET");
  return lines.join("\n");
}

Deno.test("fast tier: 250 generated loop programs agree with the interpreter", async () => {
  const rng = new SeededRandom(new TextEncoder().encode("pxvm-jit-loops"));
  const verdicts = new Map<string, number>();
  for (let i = 0; i < 250; i++) {
    const source = generate(rng);
    const full = await assertTiersAgree(source, 200_000);
    const kind = full.split(/[ :]/)[0];
    verdicts.set(kind, (verdicts.get(kind) ?? 0) + 1);
    // The same program stopped by fuel somewhere in its run.
    const need = fuelOf(full);
    if (Number.isFinite(need) && need > 1) {
      await assertTiersAgree(source, 1 + (rng.nextU32() % need));
    }
  }
  // Most programs must finish (a corpus that only runs out of fuel proves little).
  assert((verdicts.get("ok") ?? 0) > 150, JSON.stringify([...verdicts]));
});
