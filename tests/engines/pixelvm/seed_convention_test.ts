/**
 * The seed's calling convention: one stack, `CALL` pushes the return address (the code byte offset
 * after the CALL) on the data stack, `RET` pops it from there. Seed-style programs reach their
 * arguments by SWAPping around it. Expected values come from plain JS functions, and every run
 * goes through all tiers (runBoth: compiled, interpreted, precise), which must agree.
 */
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { disassemblePxi } from "../../../src/engines/pixelvm/disassembler.ts";
import { loadPixelProgram } from "../../../src/engines/pixelvm/engine.ts";
import {
  SEED_FIB_FUNCTION,
  SEED_SUM_FUNCTION,
} from "../../../src/engines/pixelvm/example_programs.ts";
import { linkPxi } from "../../../src/engines/pixelvm/linker.ts";
import { decodeModule } from "../../../src/engines/pixelvm/module.ts";
import { PxosError } from "../../../src/errors.ts";
import { assert, assertEquals, assertMatch, assertPxosError, fail } from "../../assert.ts";
import { mutate, Rng } from "./corpus.ts";
import { runBoth, runBytes, runTiers } from "./helpers.ts";
import { generateSeedSource } from "./seed_corpus.ts";

const SUM = SEED_SUM_FUNCTION;

const FACT = `fact:   SWAP            ; (ret n)
        DUP
        PUSH 2
        LT
        JNZ base
        DUP
        PUSH 1
        SUB
        CALL fact       ; (ret n fact(n-1))
        MUL
        SWAP
        RET
base:   POP
        PUSH 1
        SWAP
        RET`;

const FIB = SEED_FIB_FUNCTION;

const EVEN_ODD = `even:   SWAP            ; (ret n)
        DUP
        JZ yes
        PUSH 1
        SUB
        CALL odd
        SWAP
        RET
yes:    POP
        PUSH 1
        SWAP
        RET
odd:    SWAP
        DUP
        JZ no
        PUSH 1
        SUB
        CALL even
        SWAP
        RET
no:     POP
        PUSH 0
        SWAP
        RET`;

/** A headerless seed program: print f(n) for each n, then HALT; the functions follow. */
function calls(fn: string, inputs: number[], functions: string): string {
  const lines = inputs.flatMap((n) => [`PUSH ${n}`, `CALL ${fn}`, "PRINT"]);
  return `${lines.join("\n")}\nHALT\n${functions}\n`;
}

const sum = (n: number): number => (n === 0 ? 0 : (n + sum(n - 1)) | 0);
const fact = (n: number): number => (n < 2 ? 1 : Math.imul(n, fact(n - 1)));
const fib = (n: number): number => (n < 2 ? n : (fib(n - 1) + fib(n - 2)) | 0);
const isEven = (n: number): number => 1 - (n % 2);

const CASES: [string, string, string, (n: number) => number, number[]][] = [
  ["sum", "sum", SUM, sum, [0, 1, 10, 100, 5000]],
  ["factorial (wrapping past 12!)", "fact", FACT, fact, [0, 1, 5, 12, 13, 20]],
  ["fib", "fib", FIB, fib, [0, 1, 2, 10, 20]],
  ["mutual recursion", "even", EVEN_ODD, isEven, [0, 1, 7, 10, 999]],
];

for (const [what, fn, functions, expected, inputs] of CASES) {
  Deno.test(`seed convention: recursive ${what} gives the seed's results on every tier`, async () => {
    const { out, error, result } = await runBoth(calls(fn, inputs, functions));
    assertEquals(error, undefined);
    assertEquals(out, inputs.map((n) => `${expected(n)}\n`).join(""));
    assertEquals(result?.exitCode, 0);
  });
}

Deno.test("seed convention: CALL pushes the byte offset after the CALL", async () => {
  // PUSH 7 (5 bytes), CALL f (5 bytes): the return address is 10; f prints it, then returns.
  const { out, error } = await runBoth("PUSH 7\nCALL f\nPRINT\nHALT\nf: PRINT\nPUSH 10\nRET");
  assertEquals(error, undefined);
  assertEquals(out, "10\n7\n");
});

Deno.test("seed convention: RET goes to any instruction the popped offset names", async () => {
  // A computed return: RET to offset 13 (the second PRINT_STR) skips "no".
  const source = 'PUSH 13\nRET\nPRINT_STR "no"\nPRINT_STR "yes"\nHALT';
  assertEquals(assemblePxasm(source)[13], 0x13);
  const { out, error } = await runBoth(source);
  assertEquals(error, undefined);
  assertEquals(out, "yes\n");
});

Deno.test("seed convention: a loop made of RETs stops with E_FUEL on every tier", async () => {
  const { error } = await runBoth("PUSH 0\nRET", { limits: { fuel: 10_001 } });
  assert(error instanceof PxosError);
  assertEquals(error.code, "E_FUEL");
});

Deno.test("the same program under .callstack separate traps: its RET finds no SWAPped frame", async () => {
  const { error } = await runBoth(`.callstack separate\n${calls("sum", [3], SUM)}`);
  assert(error instanceof PxosError);
  assertEquals(error.code, "E_TRAP");
  assertMatch(error.message, /stack underflow/);
});

Deno.test("a program with a frame instruction keeps the separate call stack undeclared", async () => {
  const source = "PUSH 20\nCALL double\nPRINT\nHALT\ndouble: ENTER 1\nLGET 0\nLGET 0\nADD\nRETN 1";
  const program = loadPixelProgram(assemblePxasm(source), { path: "d.pxi" });
  assertEquals(program.singleStack, false);
  const { out } = await runBoth(source);
  assertEquals(out, "40\n");
  const seed = loadPixelProgram(assemblePxasm(calls("sum", [1], SUM)), { path: "s.pxi" });
  assertEquals(seed.singleStack, true);
});

Deno.test(".callstack single with a frame instruction is refused at the instruction", async () => {
  const bytes = assemblePxasm(".callstack single\nPUSH 1\nENTER 1\nHALT");
  const e = await assertPxosError(
    () => loadPixelProgram(bytes, { path: "x.pxi" }),
    "E_VERIFY",
    /ENTER needs the separate call stack/,
  );
  assertEquals(e.offset, 5);
});

Deno.test(".callstack is refused with anything but single or separate", async () => {
  await assertPxosError(() => assemblePxasm(".callstack both\nHALT"), "E_ASSEMBLE", /found "both"/);
});

Deno.test(".callstack is written to the header and shown by the disassembler", () => {
  for (const kind of ["single", "separate"]) {
    const bytes = assemblePxasm(`.callstack ${kind}\nPUSH 1\nPRINT\nHALT`);
    assertEquals(bytes[5], kind === "separate" ? 1 : 2);
    assertEquals(decodeModule(bytes).callStack, kind);
    const text = disassemblePxi(bytes);
    assertMatch(text, new RegExp(`^\\.callstack ${kind}$`, "m"));
    assertEquals(assemblePxasm(text), bytes);
  }
  assertMatch(disassemblePxi(assemblePxasm(calls("sum", [1], SUM))), /seed's single stack/);
});

Deno.test("linking: undeclared modules adopt the declared convention; two conventions are refused", async () => {
  const lib = assemblePxasm(
    `.module lib\n.export triple\ntriple: SWAP\nDUP\nDUP\nADD\nADD\nSWAP\nRET`,
  );
  const main = assemblePxasm(".import lib.triple\nPUSH 14\nCALL lib.triple\nPRINT\nHALT");
  const linked = linkPxi([{ bytes: main }, { bytes: lib }]);
  assertEquals(decodeModule(linked).callStack, undefined);
  assertEquals((await runBytes(linked)).out, "42\n");
  const separate = assemblePxasm(`.callstack separate\n.module lib\n.export triple\ntriple: RET`);
  const single = assemblePxasm(`.callstack single\n.import lib.triple\nCALL lib.triple\nHALT`);
  await assertPxosError(
    () => linkPxi([{ bytes: single }, { bytes: separate }]),
    "E_VERIFY",
    /single stack/,
  );
  const declared = linkPxi([{ bytes: main }, { bytes: separate }]);
  assertEquals(decodeModule(declared).callStack, "separate");
});

Deno.test("seed convention: recursive seed functions run in the compiled tier", async () => {
  const { out, program } = await runBoth(calls("fib", [20], FIB));
  assertEquals(out, `${fib(20)}\n`);
  const tier = program?.native;
  assert(tier !== undefined, "fib should have a compiled region");
  const region = tier.byStart.values().next().value!;
  assertEquals([region.seed, region.n, region.results], [true, 2, 1]);
  assert(tier.entries > 0, "the compiled code should have run");
});

Deno.test("seed convention: 300 generated seed-style programs agree across tiers", async () => {
  let compiled = 0;
  for (let i = 0; i < 300; i++) {
    const o = await runTiers(generateSeedSource(new Rng(9_000 + i)), { limits: { fuel: 20_000 } });
    if ((o.program?.native?.entries ?? 0) > 0) compiled++;
  }
  if (compiled < 200) fail(`only ${compiled} generated programs entered compiled code`);
});

Deno.test("seed convention: 1500 mutations of seed-style programs agree across tiers", async () => {
  const rng = new Rng(77);
  const bases = Array.from(
    { length: 30 },
    (_, i) => assemblePxasm(generateSeedSource(new Rng(5_000 + i))),
  );
  let compiled = 0;
  for (let i = 0; i < 1500; i++) {
    const o = await runTiers(mutate(rng, rng.pick(bases)), { limits: { fuel: 3_000 } });
    if ((o.program?.native?.entries ?? 0) > 0) compiled++;
  }
  if (compiled < 100) fail(`only ${compiled} mutated programs entered compiled code`);
});
