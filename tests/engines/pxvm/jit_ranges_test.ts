/**
 * Bounds checks left out of the fast tier's unrolled laps (`jit_ranges.ts`,
 * `../slot_ranges.ts`): loops whose laps run without the checks against the interpreter on
 * every fuel budget, and loops whose registers fail the laps' entry test (a negative or too
 * large base or index, an index that wraps, a range one byte past memory), where the checked
 * code must warn exactly where the interpreter does.
 */
import { assert, assertEquals } from "../../assert.ts";
import { assemblePxvm } from "../../../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../../../src/engines/pxvm/engine.ts";
import type { PxvmProgram } from "../../../src/engines/pxvm/decode.ts";
import { compileFast } from "../../../src/engines/pxvm/jit.ts";
import { outcome } from "./helpers.ts";

/**
 * The sieve's loops: from `start`, stores a byte at `base` + index while the index is below
 * `limit`, stepping by `step` (in a register); then counts the non-zero bytes read back over the
 * same range; prints the count.
 */
const marking = (base: number, start: number, step: number, limit: number) =>
  `        IMM32 R5, ${base}
        IMM32 R1, ${start}
        IMM32 R2, ${step}
        IMM32 R4, ${limit}
        IMM8 R0, 1
mark:   ADD R6, R5, R1
        STORE8 R6, R0
        ADD R1, R1, R2
        CMP R1, R4
        JLT mark
        IMM32 R1, ${start}
        IMM8 R3, 0
scan:   ADD R6, R5, R1
        LOAD8 R6, R6
        JZ R6, skip
        ADDI R3, 1
skip:   ADDI R1, 1
        CMP R1, R4
        JLT scan
        MOV R1, R3
        SYSCALL PRINT_INT
        HALT`;

/** Whether the compiled form's unrolled laps test the registers on the way in. */
function hoists(source: string): boolean {
  const program = pxvmEngine.load(assemblePxvm(source), { path: "t.pxvm" });
  return /budget >= \d+ && r\d >>> 0 <= \d+/.test(
    compileFast(program as unknown as PxvmProgram).run.toString(),
  );
}

const LOOPS: [name: string, source: string][] = [
  ["in memory", marking(0x8000, 0, 3, 120)],
  ["ending at the last byte", marking(0x8000, 32700, 1, 32768)],
  ["one byte past memory", marking(0x8000, 32700, 1, 32769)],
  ["from a base past half the memory", marking(65500, 0, 1, 60)],
  ["from a negative index", marking(0x100, -300, 7, 40)],
  ["with a negative base", marking(-5, 0, 1, 40)],
  ["with an index that wraps", marking(0x100, 40, 0x7ffffff0, 60)],
];

for (const [name, source] of LOOPS) {
  Deno.test(`fast tier ranges: a loop ${name} agrees with the interpreter on every budget`, async () => {
    assert(hoists(source), "the laps leave bounds checks out behind an entry test");
    const full = await outcome(source, false, 1e6);
    assertEquals(await outcome(source, true, 1e6), full);
    const need = Number(/^ok fuel=(\d+)/.exec(full)?.[1]);
    assert(Number.isFinite(need), full);
    for (let fuel = 1; fuel <= need + 1; fuel++) {
      const slow = await outcome(source, false, fuel);
      assertEquals(await outcome(source, true, fuel), slow, `fuel ${fuel}:\n${source}`);
    }
  });
}
