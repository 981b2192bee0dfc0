/**
 * The ranges the compiled tiers track to leave bounds checks out of unrolled laps
 * (`src/engines/slot_ranges.ts`): copies, compares, sums that could wrap, and the search for an
 * inductive assumption at a loop head.
 */
import {
  entryTest,
  findAssumption,
  inBounds,
  inductiveAssumption,
  type Interval,
  SlotRanges,
  sum,
} from "../../src/engines/slot_ranges.ts";
import { assert, assertEquals } from "../assert.ts";

Deno.test("slot ranges: copies share a value, a compare bounds both sides", () => {
  const r = SlotRanges.unknown();
  r.set(0, [0, 10]);
  r.copy(2, 0); // a copy of slot 0
  r.set(3, [5, 5]);
  r.assume(2, "<", 3); // the copy is below 5: so is slot 0
  assertEquals(r.get(0), [0, 4]);
  assert(inBounds(r, 0, 5) && !inBounds(r, 0, 4));
  const other = r.clone();
  other.assume(2, ">=", 3); // an empty range: nothing known rather than a wrong fact
  assertEquals(other.get(0), undefined);
  assertEquals(r.get(2), [0, 4], "a clone does not change the original");
  r.swap(0, 3);
  assertEquals([r.get(0), r.get(3)], [[5, 5], [0, 4]]);
  r.forgetFrom(2);
  assertEquals([r.get(2), r.get(3)], [undefined, undefined]);
  assert(!inBounds(SlotRanges.unknown(), 0, 100), "nothing known: never in bounds");
});

Deno.test("slot ranges: a sum is bounded only where it cannot wrap", () => {
  assertEquals(sum([0, 10], [1, 1]), [1, 11]);
  assertEquals(sum([0, 10], [1, 2], true), [-2, 9]);
  assertEquals(sum([0, 2 ** 31 - 1], [1, 1]), undefined);
  assertEquals(sum([-(2 ** 31), 0], [1, 1], true), undefined);
  assertEquals(sum(undefined, [1, 1]), undefined);
});

Deno.test("slot ranges: a loop head's assumption is kept, widened or dropped by its laps", () => {
  const assumed = new Map<number, Interval>([[0, [0, 100]], [1, [0, 100]], [2, [0, 100]]]);
  const lap = SlotRanges.assuming(assumed);
  lap.set(0, [0, 107]); // grew, still non-negative: widened
  lap.set(1, [-1, 3]); // may be negative: dropped
  // slot 2 untouched: kept
  const next = inductiveAssumption(assumed, [lap]);
  assertEquals(next.get(0), [0, 2 ** 31 - 1]);
  assertEquals(next.has(1), false);
  assertEquals(next.get(2), [0, 100]);
  assertEquals(entryTest(next, (j) => `v${j}`), " && v0 >>> 0 <= 2147483647 && v2 >>> 0 <= 100");
});

Deno.test("slot ranges: the assumption found is inductive and tests only the slots it needs", () => {
  // A lap `i += step while i < 50; check mem[i]`, slots 0 (i), 1 (step), 2 (unused).
  const lap = (assumed: ReadonlyMap<number, Interval>) => {
    const r = SlotRanges.assuming(assumed);
    r.set(3, [50, 50]);
    r.assume(0, "<", 3);
    const code = inBounds(r, 0, 64) ? "unchecked" : "checked";
    r.set(0, sum(r.get(0), r.get(1)));
    return { code, ends: [r] };
  };
  const checks = (code: string) => code === "checked" ? 1 : 0;
  const found = findAssumption([0, 1, 2], [2 ** 30], lap, checks);
  assertEquals(found?.code, "unchecked");
  assertEquals([...found!.assumed], [[0, [0, 2 ** 31 - 1]], [1, [0, 2 ** 30]]]);
  // A lap whose checks no assumption removes: none found.
  assertEquals(
    findAssumption([0], [2 ** 30], () => ({ code: "checked", ends: [] }), checks),
    undefined,
  );
});
