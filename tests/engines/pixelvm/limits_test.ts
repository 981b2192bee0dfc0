import { PxosError } from "../../../src/errors.ts";
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { runBoth, runBytes, runSource } from "./helpers.ts";

Deno.test("an infinite loop ends with E_FUEL, in both loops", async () => {
  // The loops may stop at different instructions of the last block, so compare codes only.
  for (const precise of [false, true]) {
    const { error } = await runSource("l: NOP\nJMP l", { limits: { fuel: 10_000 }, precise });
    assert(error instanceof PxosError);
    assertEquals(error.code, "E_FUEL");
    assertMatch(error.message, /10000 instructions/);
  }
});

Deno.test("fuel N lets exactly N instructions run", async () => {
  const ok = await runBoth("PUSH 42\nPRINT\nHALT", { limits: { fuel: 3 } });
  assertEquals(ok.error, undefined);
  assertEquals(ok.result?.fuelUsed, 3);
  const short = await runBoth("PUSH 42\nPRINT\nHALT", { limits: { fuel: 2 } });
  assert(short.error instanceof PxosError);
  assertEquals(short.error.code, "E_FUEL");
});

Deno.test("fuelUsed counts instructions, superinstructions included", async () => {
  // 1 + 10 × (PUSH, ADD, DUP, PUSH, LT, JNZ) + POP + HALT
  const src = "PUSH 0\nl: PUSH 1\nADD\nDUP\nPUSH 10\nLT\nJNZ l\nPOP\nHALT";
  const { result } = await runBoth(src);
  assertEquals(result?.fuelUsed, 1 + 10 * 6 + 2);
});

Deno.test("an infinite loop with plenty of fuel ends with E_TIMEOUT", async () => {
  const start = performance.now();
  const { error } = await runSource("l: JMP l", { limits: { fuel: 1e15, timeoutMs: 50 } });
  assert(error instanceof PxosError);
  assertEquals(error.code, "E_TIMEOUT");
  assert(performance.now() - start < 2000, "stopped promptly");
});

Deno.test("infinite recursion ends with a trap, not a hang", async () => {
  const { error } = await runSource("f: CALL f");
  assert(error instanceof PxosError);
  assertEquals(error.code, "E_TRAP");
});

Deno.test("a module asking for more memory than the limit is E_MEMORY", async () => {
  const bytes = assemblePxasm(".memory 1048576\nHALT");
  const { error } = await runBytes(bytes, { limits: { memoryBytes: 65536 } });
  assert(error instanceof PxosError);
  assertEquals(error.code, "E_MEMORY");
  const fine = await runBytes(bytes, { limits: { memoryBytes: 2 * 1048576 } });
  assertEquals(fine.error, undefined);
});

Deno.test("declared memory size is what LOAD/LOADB can reach", async () => {
  const { error } = await runSource(".memory 64\nPUSH 15\nLOAD\nPUSH 16\nLOAD\nHALT");
  assert(error instanceof PxosError);
  assertMatch(error.message, /word 16 is outside 0–15/);
});
