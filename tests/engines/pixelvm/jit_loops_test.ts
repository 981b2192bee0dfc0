/**
 * Loops in the compiled tier (`jit_emit.ts`, `../../../src/engines/loop_edges.ts`): every way into
 * a loop goes through the dispatch to its head's case and the loop's own blocks are emitted there,
 * so a sieve's three loops are three self-loops whose hot paths all stay in the unrolled laps —
 * and loops of other shapes (entered at their test, entered from two places, an irreducible
 * cycle) agree with the interpreter on every fuel budget.
 */
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { loadPixelProgram } from "../../../src/engines/pixelvm/engine.ts";
import { sieveProgram } from "../../../src/engines/pixelvm/example_programs.ts";
import { moduleSource } from "../../../src/engines/pixelvm/jit.ts";
import { assert, assertEquals } from "../../assert.ts";
import { runTiers } from "./helpers.ts";

/** The instruction index of each label of `source`'s program, and its generated module. */
function compiled(source: string): { labels: Map<string, number>; js: string } {
  const program = loadPixelProgram(assemblePxasm(source, { debug: true }), { path: "t.pxi" });
  const labels = new Map([...program.labels].map(([k, name]) => [name, k]));
  return { labels, js: moduleSource(program, program.native!) };
}

/** Numbers captured by `pattern` (one group) everywhere in `js`. */
const captured = (js: string, pattern: RegExp) =>
  new Set([...js.matchAll(pattern)].map((m) => Number(m[1])));

Deno.test("jit loops: the sieve is one case per loop, each unrolled, and only loop heads are dispatched to", () => {
  const { labels, js } = compiled(sieveProgram(1e6));
  const heads = new Set(["outer", "mark", "scan"].map((name) => labels.get(name)!));
  assertEquals(captured(js, /case (\d+): b\d+: for/g), heads, "the cases are the loops' heads");
  assertEquals(captured(js, /w(\d+): for/g), heads, "every loop runs unrolled laps");
  // The scan loop's prime path (counting) stays in its laps: it used to leave them through the
  // dispatch, because the outer loop's exit had already emitted a copy of the scan's first lap.
  assertEquals(
    captured(js, /b = (\d+); continue L;/g),
    heads,
    "nothing but a loop head is dispatched to",
  );
});

Deno.test("jit loops: the sieve agrees with the interpreter on every fuel budget", async () => {
  const source = sieveProgram(48);
  const o = await runTiers(source);
  assertEquals(o.out, "15\n");
  const need = o.result!.fuelUsed;
  for (let fuel = 1; fuel <= need + 1; fuel++) {
    // runTiers fails unless the compiled tier, the fast loop and the precise loop agree.
    const t = await runTiers(source, { limits: { fuel } });
    if (fuel >= need) assertEquals(t.result?.fuelUsed, need);
  }
});

/**
 * An outer loop entered at its test; its body enters an inner loop at the inner test from two
 * places (straight there for odd `i`, after a store for even `i`); the inner loop reads bytes.
 */
const NESTED = `.memory 64
        PUSH 0          ; local 0: i
        PUSH 0          ; local 1: j
        PUSH 0          ; local 2: total
        ENTER 3
        JMP otest
obody:  PUSH 0
        LSET 1
        LGET 0
        PUSH 1
        AND
        JNZ itest
        LGET 0
        LGET 0
        STOREB
itest:  LGET 1
        LGET 0
        LT
        JZ olatch
        LGET 2
        LGET 1
        LOADB
        ADD
        LGET 1
        ADD
        LSET 2
        LGET 1
        PUSH 1
        ADD
        LSET 1
        JMP itest
olatch: LGET 0
        PUSH 1
        ADD
        LSET 0
otest:  LGET 0
        PUSH 14
        LT
        JNZ obody
        LGET 2
        PRINT
        HALT`;

/** A cycle of two blocks entered at either (irreducible: it has no head), by local 2. */
const irreducible = (entry: number) => `
        PUSH 0          ; local 0: i
        PUSH 0          ; local 1: sum
        PUSH ${entry}   ; local 2: which block to enter at
        ENTER 3
        LGET 2
        PUSH 3
        LT
        JNZ b
a:      LGET 1
        LGET 0
        ADD
        LSET 1
b:      LGET 0
        PUSH 1
        ADD
        LSET 0
        LGET 0
        PUSH 30
        LT
        JNZ a
        LGET 1
        PRINT
        HALT`;

/** What {@link NESTED} prints, in plain JavaScript. */
function nestedJs(): number {
  const memory = new Uint8Array(64);
  let total = 0;
  for (let i = 0; i < 14; i++) {
    if ((i & 1) === 0) memory[i] = i;
    for (let j = 0; j < i; j++) total += memory[j] + j;
  }
  return total;
}

/** What {@link irreducible} prints, in plain JavaScript. */
function irreducibleJs(entry: number): number {
  let i = 0, sum = 0;
  for (let atFirst = entry >= 3;; atFirst = true) {
    if (atFirst) sum += i;
    i++;
    if (i >= 30) return sum;
  }
}

const SHAPES: [name: string, source: string, printed: number][] = [
  ["nested loops entered at their tests and from two places", NESTED, nestedJs()],
  ["an irreducible cycle entered at its first block", irreducible(5), irreducibleJs(5)],
  ["an irreducible cycle entered at its second block", irreducible(0), irreducibleJs(0)],
];

for (const [name, source, printed] of SHAPES) {
  Deno.test(`jit loops: ${name} agree with the interpreter on every budget`, async () => {
    const o = await runTiers(source);
    assertEquals(o.out, `${printed}\n`);
    const need = o.result!.fuelUsed;
    for (let fuel = 1; fuel <= need + 1; fuel++) {
      const t = await runTiers(source, { limits: { fuel } });
      if (fuel >= need) assertEquals(t.result?.fuelUsed, need);
    }
  });
}

Deno.test("jit loops: an irreducible cycle still runs as a self-loop in the case of each block", () => {
  const { labels, js } = compiled(irreducible(5));
  assert(
    js.includes(`w${labels.get("a")}: for`),
    "the cycle from its first block runs unrolled laps",
  );
});
