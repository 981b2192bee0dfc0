/**
 * Bounds checks left out of a self-loop's unrolled laps (`jit_ranges.ts`, `../slot_ranges.ts`):
 * how PixelVM instructions change the ranges, and loops whose laps run without the checks against the interpreter on every
 * fuel budget — including loops whose range reaches past memory, whose slots fail the laps'
 * entry test, and whose index would wrap.
 */
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { loadPixelProgram } from "../../../src/engines/pixelvm/engine.ts";
import { moduleSource } from "../../../src/engines/pixelvm/jit.ts";
import { track } from "../../../src/engines/pixelvm/jit_ranges.ts";
import { SlotRanges } from "../../../src/engines/slot_ranges.ts";
import { I_ADD } from "../../../src/engines/pixelvm/decode.ts";
import { PxosError } from "../../../src/errors.ts";
import { assertEquals } from "../../assert.ts";
import { runTiers } from "./helpers.ts";

Deno.test("jit ranges: a sum that could wrap, or of an unknown, is unknown", () => {
  const wraps = SlotRanges.assuming(new Map([[0, [0, 2 ** 31 - 1]], [1, [1, 1]]]));
  wraps.copy(2, 0);
  wraps.copy(3, 1);
  track(wraps, I_ADD, 0, 4); // slot 2 + slot 3 could wrap past 2^31 - 1: unknown
  assertEquals(wraps.get(2), undefined);
  const fits = SlotRanges.assuming(new Map([[0, [0, 10]], [1, [1, 1]]]));
  fits.copy(2, 0);
  fits.copy(3, 1);
  track(fits, I_ADD, 0, 4);
  assertEquals(fits.get(2), [1, 11]);
  fits.set(3);
  track(fits, I_ADD, 0, 4);
  assertEquals(fits.get(2), undefined, "an unknown operand gives an unknown sum");
});

/**
 * The sieve's marking loop: local 0 from `start` by local 1 (`step`) while below `limit`, a
 * byte stored at each; prints where it stopped.
 */
const marking = (memory: number, start: number, step: number, limit: number) =>
  `.memory ${memory}
        PUSH ${start}
        PUSH ${step}
        ENTER 2
mark:   LGET 0
        PUSH ${limit}
        LT
        JZ done
        PUSH 1
        LGET 0
        STOREB
        LGET 0
        LGET 1
        ADD
        LSET 0
        JMP mark
done:   LGET 0
        PRINT
        HALT`;

/** A loop summing what it reads below `limit`, by word or byte (a value stored first). */
const summing = (memory: number, limit: number, words: boolean) =>
  `.memory ${memory}
        PUSH 0
        PUSH 0
        ENTER 2
        PUSH 7
        PUSH 2
        ${words ? "STORE" : "STOREB"}
sum:    LGET 0
        PUSH ${limit}
        LT
        JZ done
        LGET 1
        LGET 0
        ${words ? "LOAD" : "LOADB"}
        ADD
        LSET 1
        LGET 0
        PUSH 1
        ADD
        LSET 0
        JMP sum
done:   LGET 1
        PRINT
        HALT`;

/** Whether the unrolled laps of `source` test an assumption on entry (checks left out). */
function hoists(source: string): boolean {
  const program = loadPixelProgram(assemblePxasm(source), { path: "t.pxi" });
  return /&& v\d+ >>> 0 <= \d+/.test(moduleSource(program, program.native!));
}

const LOOPS: [name: string, source: string, hoisted: boolean][] = [
  ["in memory", marking(64, 3, 5, 60), true],
  ["from a large start", marking(64, 2 ** 30 + 5, 5, 60), true],
  ["reaching past memory (the check stays)", marking(64, 3, 5, 100), false],
  ["reaching one byte past memory", marking(64, 0, 1, 65), false],
  ["from a negative start (entry test fails)", marking(64, -7, 3, 60), true],
  ["with a negative step (entry test fails)", marking(64, 50, -3, 60), true],
  ["with an index that wraps (entry test fails)", marking(64, 40, 0x7ffffff0, 60), true],
  ["reading bytes", summing(64, 64, false), true],
  ["reading words", summing(64, 16, true), true],
  ["reading words past memory", summing(64, 17, true), false],
];

for (const [name, source, hoisted] of LOOPS) {
  Deno.test(`jit ranges: a loop ${name} agrees with the interpreter on every budget`, async () => {
    assertEquals(hoists(source), hoisted, "laps without bounds checks");
    const o = await runTiers(source);
    const need = o.result?.fuelUsed ?? 0;
    const trapped = o.error instanceof PxosError && o.error.code !== "E_FUEL";
    for (let fuel = 1; fuel <= Math.max(need, 200) + 1; fuel++) {
      // runTiers fails unless the compiled tier, the fast loop and the precise loop agree.
      const t = await runTiers(source, { limits: { fuel } });
      if (!trapped && fuel >= need) assertEquals(t.result?.fuelUsed, need);
    }
  });
}
