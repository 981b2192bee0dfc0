import { PIXELVM_ISA } from "../../../src/engines/pixelvm/isa.ts";
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { assert, assertEquals } from "../../assert.ts";
import { hex, runBoth } from "./helpers.ts";

/** [opcode exercised, program, expected stdout]. */
type Case = [string, string, string];

/**
 * An operator's case: for each row `[...operands, result]`, push the operands, run `op` and print;
 * the program must print every row's result.
 */
function operatorCase(op: string, ...rows: number[][]): Case {
  const source = rows.map((row) =>
    row.slice(0, -1).map((v) => `PUSH ${v}\n`).join("") + `${op}\nPRINT\n`
  );
  return [op, `${source.join("")}HALT`, rows.map((row) => `${row.at(-1)}\n`).join("")];
}

/** Programs print what they compute. */
const CASES: Case[] = [
  ["PUSH", "PUSH -7\nPRINT\nPUSH 0xFFFFFFFF\nPRINT\nHALT", "-7\n-1\n"],
  ["POP", "PUSH 1\nPUSH 2\nPOP\nPRINT\nHALT", "1\n"],
  operatorCase("ADD", [2147483647, 1, -2147483648]),
  operatorCase("SUB", [7, 10, -3]),
  operatorCase("MUL", [65536, 65537, 65536], [-6, 7, -42]),
  operatorCase("DIV", [-7, 2, -3], [-2147483648, -1, -2147483648]),
  operatorCase("MOD", [-7, 3, -1], [7, -3, 1]),
  operatorCase("NEG", [5, -5], [-2147483648, -2147483648]),
  operatorCase("AND", [12, 10, 8]),
  operatorCase("OR", [12, 10, 14]),
  operatorCase("XOR", [12, 10, 6]),
  operatorCase("NOT", [0, -1]),
  operatorCase("SHL", [1, 33, 2], [1, 31, -2147483648]),
  operatorCase("SHR", [-16, 2, -4]),
  operatorCase("SHRU", [-16, 28, 15]),
  ["PRINT", "PUSH 42\nPRINT\nHALT", "42\n"],
  ["DUP", "PUSH 3\nDUP\nADD\nPRINT\nHALT", "6\n"],
  ["SWAP", "PUSH 1\nPUSH 2\nSWAP\nPRINT\nPRINT\nHALT", "1\n2\n"],
  ["PRINT_STR", 'PRINT_STR "hi \\"there\\"\\t✓"\nHALT', 'hi "there"\t✓\n'],
  ["OVER", "PUSH 1\nPUSH 2\nOVER\nPRINT\nPRINT\nPRINT\nHALT", "1\n2\n1\n"],
  ["ROT", "PUSH 1\nPUSH 2\nPUSH 3\nROT\nPRINT\nPRINT\nPRINT\nHALT", "1\n3\n2\n"],
  operatorCase("EQ", [4, 4, 1], [4, 5, 0]),
  operatorCase("LT", [-1, 0, 1], [0, 0, 0]),
  operatorCase("GT", [1, -1, 1], [0, 0, 0]),
  operatorCase("NE", [4, 5, 1], [4, 4, 0]),
  operatorCase("LE", [4, 4, 1], [5, 4, 0]),
  operatorCase("GE", [4, 4, 1], [3, 4, 0]),
  ["JMP", "JMP over\nPUSH 1\nPRINT\nover: PUSH 2\nPRINT\nHALT", "2\n"],
  ["JZ", 'PUSH 0\nJZ a\nPRINT_STR "no"\na: PUSH 1\nJZ b\nPRINT_STR "yes"\nb: HALT', "yes\n"],
  ["JNZ", 'PUSH 5\nJNZ a\nPRINT_STR "no"\na: PUSH 0\nJNZ b\nPRINT_STR "yes"\nb: HALT', "yes\n"],
  ["CALL", 'CALL f\nPRINT_STR "back"\nHALT\nf: PRINT_STR "in f"\nRET', "in f\nback\n"],
  ["RET", "PUSH 9\nCALL f\nPRINT\nHALT\nf: RET", "9\n"],
  [
    "ENTER",
    "PUSH 10\nPUSH 20\nCALL f\nPRINT\nHALT\nf: ENTER 2\nLGET 0\nLGET 1\nSUB\nRETN 1",
    "-10\n",
  ],
  ["LGET", "PUSH 7\nENTER 1\nLGET 0\nLGET 0\nMUL\nPRINT\nHALT", "49\n"],
  ["LSET", "PUSH 7\nENTER 1\nPUSH 8\nLSET 0\nLGET 0\nPRINT\nHALT", "8\n"],
  [
    "RETN",
    "PUSH 99\nPUSH 1\nCALL f\nPRINT\nPRINT\nPRINT\nHALT\nf: ENTER 1\nPUSH 5\nPUSH 6\nRETN 2",
    "6\n5\n99\n",
  ],
  [
    "LOAD",
    "PUSH 123\nPUSH 3\nSTORE\nPUSH 3\nLOAD\nPRINT\nPUSH 12\nLOADB\nPRINT\nHALT",
    "123\n123\n",
  ],
  ["STORE", "PUSH -2\nSTORE 1\nLOAD 1\nPRINT\nPUSH 7\nLOADB\nPRINT\nHALT", "-2\n255\n"],
  ["LOADB", "PUSH 0x01020304\nPUSH 0\nSTORE\nPUSH 1\nLOADB\nPRINT\nHALT", "3\n"],
  ["STOREB", "PUSH 0x1FF\nPUSH 4\nSTOREB\nPUSH 1\nLOAD\nPRINT\nHALT", "255\n"],
  ["HOST_CALL", "PUSH 42\nHOST_CALL 0\nPRINT\nHALT", "42\n42\n"],
  ["NOP", "NOP\nPUSH 1\nNOP\nPRINT\nHALT", "1\n"],
  ["HALT", "PUSH 1\nPRINT\nHALT\nPUSH 2\nPRINT", "1\n"],
];

Deno.test("every opcode in the ISA table has a behaviour test", () => {
  const covered = new Set(CASES.map((c) => c[0]));
  const missing = PIXELVM_ISA.map((s) => s.name).filter((n) => !covered.has(n));
  assertEquals(missing, []);
});

for (const [op, source, expected] of CASES) {
  Deno.test(`opcode ${op}: fast and precise loops agree on the expected output`, async () => {
    const { out, error, result } = await runBoth(source);
    assertEquals(error, undefined);
    assertEquals(out, expected);
    assertEquals(result?.exitCode, 0);
  });
}

Deno.test("seed example: PUSH 42; PRINT; HALT assembles to 01 2A 00 00 00 10 FF", () => {
  assertEquals(hex(assemblePxasm("PUSH 42\nPRINT\nHALT\n")), "01 2A 00 00 00 10 FF");
});

Deno.test("seed example: countdown with DUP PRINT PUSH 1 SUB DUP JNZ prints 5 4 3 2 1", async () => {
  const { out } = await runBoth("PUSH 5\nl: DUP\nPRINT\nPUSH 1\nSUB\nDUP\nJNZ l\nHALT");
  assertEquals(out, "5\n4\n3\n2\n1\n");
});

Deno.test("HOST_CALL's operand is one byte (the seed assembler's four-byte form is not used)", () => {
  assertEquals(hex(assemblePxasm("HOST_CALL 0\nHALT")), "50 00 FF");
});

/** `return n + f(n - 1)` in a function `f` of one argument: the recursive step of a sum. */
const RECURSIVE_SUM_STEP = "LGET 0\nPUSH 1\nSUB\nCALL f\nLGET 0\nADD\nRETN 1";

Deno.test("superinstructions compute what the plain sequences compute", async () => {
  // Each fused shape, with values at the i32 edges, in loops so both branches run.
  const source = `
    PUSH 2147483647
    ENTER 1
    LGET 0
    PUSH -5
    SUB
    PRINT
    LGET 0
    PUSH 1
    ADD
    LSET 0
    LGET 0
    PRINT
    PUSH 0
loop: PUSH 1
    ADD
    DUP
    PUSH 3
    LT
    JNZ loop
    PRINT
    PUSH 3
    PUSH 4
    GE
    JZ skip
    PRINT_STR "bad"
skip: LGET 0
    PUSH -2147483648
    EQ
    JZ bad
    PUSH 10
    CALL f
    PRINT
    LGET 0
    LGET 0
    SUB
    PRINT
    HALT
bad: PRINT_STR "bad"
    HALT
f:  ENTER 1
    LGET 0
    PUSH 1
    LE
    JNZ base
${RECURSIVE_SUM_STEP}
base: LGET 0
    RETN 1`;
  const { out, error } = await runBoth(source);
  assertEquals(error, undefined);
  assertEquals(out, "-2147483644\n-2147483648\n3\n55\n0\n");
  assert(!out.includes("bad"));
});

Deno.test("base-case superinstructions: every condition, both branches, agree with plain", async () => {
  for (const cmp of ["EQ", "NE", "LT", "GE", "GT", "LE"]) {
    for (const branch of ["JZ", "JNZ"]) {
      // sum(n) = n (base case) or n + sum(n - 1), for n = 0..6 against a threshold of 3.
      const src = `PUSH 0
loop: DUP
CALL f
PRINT
PUSH 1
ADD
DUP
PUSH 7
LT
JNZ loop
HALT
f: ENTER 1
LGET 0
PUSH 3
${cmp}
${branch} more
LGET 0
RETN 1
more: LGET 0
JZ zero
${RECURSIVE_SUM_STEP}
zero: PUSH 0
RETN 1`;
      const { out, error } = await runBoth(src);
      assertEquals(error, undefined, `${cmp} ${branch}`);
      assertEquals(out.split("\n").length, 8, `${cmp} ${branch}`);
    }
  }
  // The fall-through path must still trap exactly when the plain RETN would.
  const noCaller = await runBoth(
    "PUSH 1\nENTER 1\nLGET 0\nPUSH 5\nLT\nJZ x\nLGET 0\nRETN 1\nx: HALT",
  );
  assertEquals((noCaller.error as { code?: string }).code, "E_TRAP");
});
