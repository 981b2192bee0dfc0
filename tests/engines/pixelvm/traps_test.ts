import { PxosError } from "../../../src/errors.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { runBoth, runSource } from "./helpers.ts";

/** [what, program, message pattern, op at the trap, byte offset of the trap]. */
const TRAPS: [string, string, RegExp, string, number][] = [
  ["stack underflow", "PUSH 1\nADD\nHALT", /stack underflow/, "ADD", 5],
  ["underflow on POP", "POP\nHALT", /stack underflow/, "POP", 0],
  ["stack overflow", "l: PUSH 1\nJMP l", /stack overflow/, "PUSH", 0],
  ["call stack overflow", ".callstack separate\nf: CALL f", /call stack overflow/, "CALL", 0],
  ["seed CALL overflowing the stack", "f: CALL f", /stack overflow/, "CALL", 0],
  ["seed RET to a non-instruction", "PUSH 1\nRET", /RET popped 1, which is not/, "RET", 5],
  ["seed RET with an empty stack", "RET", /stack underflow/, "RET", 0],
  ["division by zero", "PUSH 1\nPUSH 0\nDIV\nHALT", /division by zero/, "DIV", 10],
  ["remainder by zero", "PUSH 1\nPUSH 0\nMOD\nHALT", /division by zero/, "MOD", 10],
  ["word out of range", "PUSH 16384\nLOAD\nHALT", /out-of-range memory: word 16384/, "LOAD", 5],
  ["negative word", "PUSH 1\nPUSH -1\nSTORE\nHALT", /out-of-range memory: word -1/, "STORE", 10],
  ["byte out of range", "PUSH 65536\nLOADB\nHALT", /out-of-range memory: byte 65536/, "LOADB", 5],
  ["byte store out of range", "PUSH 1\nPUSH 70000\nSTOREB\nHALT", /byte 70000/, "STOREB", 10],
  ["return with no caller", ".callstack separate\nPUSH 1\nRET", /bad return address/, "RET", 5],
  ["RETN with no caller", "RETN 0", /bad return address/, "RETN", 0],
  ["RETN without enough values", "CALL f\nHALT\nf: ENTER 0\nRETN 1", /RETN 1/, "RETN", 8],
  ["local outside the frame", "ENTER 0\nLGET 0\nHALT", /local 0 is outside the frame/, "LGET", 2],
  ["LSET outside the frame", "PUSH 1\nENTER 0\nLSET 0\nHALT", /local 0 is outside/, "LSET", 7],
  ["ENTER beyond the stack", "PUSH 1\nENTER 2\nHALT", /stack underflow/, "ENTER", 5],
  ["running past the end", "PUSH 1\nPOP", /ran past the end of the code/, "END", 6],
  [
    "host call memory range",
    "PUSH 65530\nPUSH 10\nHOST_CALL write_str\nHALT",
    /memory range 65530\+10/,
    "HOST_CALL",
    10,
  ],
  ["host call underflow", "PUSH 1\nHOST_CALL write_str\nHALT", /stack underflow/, "HOST_CALL", 5],
  ["print underflow", "PRINT\nHALT", /stack underflow/, "PRINT", 0],
];

for (const [what, source, pattern, op, pc] of TRAPS) {
  Deno.test(`trap: ${what} is E_TRAP with pc, op and a stack snapshot`, async () => {
    const { error } = await runBoth(source);
    assert(error instanceof PxosError, `expected a PxosError, got ${error}`);
    assertEquals(error.code, "E_TRAP");
    assertMatch(error.message, pattern);
    assertMatch(error.message, new RegExp(`pc ${pc} \\(${op}\\)`));
    assertEquals(error.details?.pc, pc);
    assertEquals(error.details?.op, op);
    assertEquals(error.offset, pc);
    assert(Array.isArray(error.details?.stack));
  });
}

Deno.test("a trap's stack snapshot shows the top of the stack, bottom first", async () => {
  const { error } = await runSource("PUSH 1\nPUSH 2\nPUSH 3\nPUSH 0\nDIV\nHALT");
  assert(error instanceof PxosError);
  assertEquals(error.details?.stack, [1, 2, 3, 0]);
  assertEquals(error.details?.sp, 4);
});

Deno.test("a deep snapshot is cut to the top 16 values", async () => {
  const { error } = await runSource("l: PUSH 7\nJMP l");
  assert(error instanceof PxosError);
  assertEquals((error.details?.stack as number[]).length, 16);
  assertEquals(error.details?.sp, 65536);
});
