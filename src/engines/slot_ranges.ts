/**
 * What a compiled tier knows about the values in its slots (a frame's stack slots, a machine's
 * registers) along one path of emitted code: an interval per value, shared by every slot that
 * holds a copy of it (a copy is the same value, so a compare on the copy also bounds the
 * original). The emitters use it to leave out a memory access's bounds check where the address
 * is known to lie in memory: inside the unrolled laps of a self-loop whose entry tests the slots
 * against an *inductive* assumption (each lap that comes back to the head leaves the slots inside
 * it again, see {@link findAssumption}).
 *
 * Every fact is about the int32 value the generated JavaScript holds, so a fact must follow the
 * wrap of the i32 arithmetic: a sum is bounded only when no wrap can occur.
 *
 * @module
 */

/** An inclusive range of int32 values. */
export type Interval = readonly [lo: number, hi: number];

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

/** Slot values along one path: a value number per slot, an interval per value number. */
export class SlotRanges {
  readonly #slot: number[];
  readonly #of: Map<number, Interval>;
  #next: number;

  private constructor(slot: number[], of: Map<number, Interval>, next: number) {
    this.#slot = slot;
    this.#of = of;
    this.#next = next;
  }

  /** Nothing known about any slot. */
  static unknown(): SlotRanges {
    return new SlotRanges([], new Map(), 1);
  }

  /** Slot `j` in the interval given for it (the assumption a loop's entry checks). */
  static assuming(facts: ReadonlyMap<number, Interval>): SlotRanges {
    const r = SlotRanges.unknown();
    for (const [j, range] of facts) r.set(j, range);
    return r;
  }

  /** An independent copy (for the other way of a branch). */
  clone(): SlotRanges {
    return new SlotRanges([...this.#slot], new Map(this.#of), this.#next);
  }

  /** What is known of slot `j`. */
  get(j: number): Interval | undefined {
    const id = this.#slot[j];
    return id === undefined ? undefined : this.#of.get(id);
  }

  /** Slot `j` gets a new value in `range` (unknown if none). */
  set(j: number, range?: Interval): void {
    const id = this.#next++;
    this.#slot[j] = id;
    if (range && range[0] <= range[1]) this.#of.set(id, range);
  }

  /** Slot `to` gets a copy of slot `from`'s value. */
  copy(to: number, from: number): void {
    if (this.#slot[from] === undefined) this.set(from);
    this.#slot[to] = this.#slot[from];
  }

  /** Slots `a` and `b` exchange values. */
  swap(a: number, b: number): void {
    if (this.#slot[a] === undefined) this.set(a);
    if (this.#slot[b] === undefined) this.set(b);
    [this.#slot[a], this.#slot[b]] = [this.#slot[b], this.#slot[a]];
  }

  /** Every slot from `j` up is written with values not known. */
  forgetFrom(j: number): void {
    for (let k = j; k < this.#slot.length; k++) this.#slot[k] = this.#next++;
  }

  /** Narrows what is known of slot `j`'s value to `range` (a path's branch condition). */
  #narrow(j: number, lo: number, hi: number): void {
    const now = this.get(j) ?? [I32_MIN, I32_MAX];
    if (this.#slot[j] === undefined) this.set(j);
    const both: Interval = [Math.max(now[0], lo), Math.min(now[1], hi)];
    // An empty range means the path cannot run; knowing nothing there is still sound.
    if (both[0] <= both[1]) this.#of.set(this.#slot[j], both);
    else this.#of.delete(this.#slot[j]);
  }

  /**
   * The path on which `a op b` holds (`op` one of `<`, `<=`, `>`, `>=`, signed): narrows each
   * side by what is known of the other.
   */
  assume(a: number, op: string, b: number): void {
    const ra = this.get(a) ?? [I32_MIN, I32_MAX];
    const rb = this.get(b) ?? [I32_MIN, I32_MAX];
    if (op === "<") this.#narrow(a, I32_MIN, rb[1] - 1), this.#narrow(b, ra[0] + 1, I32_MAX);
    if (op === "<=") this.#narrow(a, I32_MIN, rb[1]), this.#narrow(b, ra[0], I32_MAX);
    if (op === ">") this.#narrow(a, rb[0] + 1, I32_MAX), this.#narrow(b, I32_MIN, ra[1] - 1);
    if (op === ">=") this.#narrow(a, rb[0], I32_MAX), this.#narrow(b, I32_MIN, ra[1]);
  }
}

/** The comparison that holds when `op` does not (for the other way of a branch). */
export const NEGATED: ReadonlyMap<string, string> = new Map([
  ["<", ">="],
  [">=", "<"],
  [">", "<="],
  ["<=", ">"],
]);

/** The range of `a + b` (or `a - b`) when both are known and it cannot wrap; else unknown. */
export function sum(a?: Interval, b?: Interval, minus = false): Interval | undefined {
  if (!a || !b) return undefined;
  const [lo, hi] = minus ? [a[0] - b[1], a[1] - b[0]] : [a[0] + b[0], a[1] + b[1]];
  return lo >= I32_MIN && hi <= I32_MAX ? [lo, hi] : undefined;
}

/** Whether an access at slot `j` is known to lie in `[0, size)`. */
export function inBounds(r: SlotRanges, j: number, size: number): boolean {
  const range = r.get(j);
  return range !== undefined && range[0] >= 0 && range[1] < size;
}

/**
 * The next assumption for a loop head, from the current one and the ranges at the end of each
 * lap that comes back to it: a slot keeps its bound if every lap leaves it inside, is widened to
 * all non-negative values if they leave it non-negative, and is dropped otherwise. Stable (the
 * same map back) once the assumption is inductive.
 */
export function inductiveAssumption(
  assumed: ReadonlyMap<number, Interval>,
  laps: readonly SlotRanges[],
): Map<number, Interval> {
  const next = new Map<number, Interval>();
  for (const [j, [lo, hi]] of assumed) {
    const ends = laps.map((r) => r.get(j));
    if (ends.every((e) => e !== undefined && e[0] >= lo && e[1] <= hi)) next.set(j, [lo, hi]);
    else if (ends.every((e) => e !== undefined && e[0] >= 0)) next.set(j, [0, I32_MAX]);
  }
  return next;
}

/** Whether two assumptions are the same. */
export function sameAssumption(
  a: ReadonlyMap<number, Interval>,
  b: ReadonlyMap<number, Interval>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [j, range] of a) {
    const other = b.get(j);
    if (!other || other[0] !== range[0] || other[1] !== range[1]) return false;
  }
  return true;
}

/** A lap emitted under an assumption: its code and the slots' ranges at each of its back edges. */
export interface AssumedLap {
  code: string;
  ends: readonly SlotRanges[];
}

/**
 * The assumption a loop's unrolled laps can rely on, and their code under it: for each first
 * bound tried (every slot in `slots` from 0 up to it), the assumption is narrowed until every
 * lap keeps it (see {@link inductiveAssumption}); of those, the one whose lap `checks` counts
 * the fewest bounds checks in, then without each slot it does not need. `undefined` when no
 * assumption leaves out a check that `lap(new Map())` has. Each call of `lap` emits the same
 * code but for the checks.
 */
export function findAssumption(
  slots: readonly number[],
  firstBounds: readonly number[],
  lap: (assumed: ReadonlyMap<number, Interval>) => AssumedLap,
  checks: (code: string) => number,
): { assumed: Map<number, Interval>; code: string } | undefined {
  /** The assumption's lap if it is inductive as it stands. */
  const holding = (assumed: Map<number, Interval>) => {
    const emitted = lap(assumed);
    return sameAssumption(inductiveAssumption(assumed, emitted.ends), assumed)
      ? { assumed, code: emitted.code, checks: checks(emitted.code) }
      : undefined;
  };
  let best: { assumed: Map<number, Interval>; code: string; checks: number } | undefined;
  for (const bound of firstBounds) {
    let assumed = new Map(slots.map((j) => [j, [0, bound] as Interval]));
    for (let pass = 0; pass < MAX_PASSES && assumed.size > 0; pass++) {
      const emitted = lap(assumed);
      const next = inductiveAssumption(assumed, emitted.ends);
      if (!sameAssumption(next, assumed)) {
        assumed = next;
        continue;
      }
      const found = { assumed, code: emitted.code, checks: checks(emitted.code) };
      if (!best || found.checks < best.checks) best = found;
      // Inductive: so is the tighter assumption the laps end in (the laps only get tighter
      // from a tighter start), which may prove more accesses in memory.
      const tighter = tightenedAssumption(assumed, emitted.ends);
      if (sameAssumption(tighter, assumed)) break;
      assumed = tighter;
    }
  }
  if (!best || best.checks >= checks(lap(new Map()).code)) return undefined;
  // Slots the checks left out do not depend on are not tested at the entry.
  for (const j of [...best.assumed.keys()]) {
    const fewer = new Map(best.assumed);
    fewer.delete(j);
    const without = holding(fewer);
    if (without && without.checks <= best.checks) best = without;
  }
  return { assumed: best.assumed, code: best.code };
}

/** Most passes that change one first assumption (each drops, widens or tightens a slot). */
const MAX_PASSES = 8;

/**
 * An inductive assumption with each slot's upper bound lowered to the highest value the laps
 * end with (the lower bound stays: the way in still starts from it).
 */
function tightenedAssumption(
  assumed: ReadonlyMap<number, Interval>,
  laps: readonly SlotRanges[],
): Map<number, Interval> {
  const next = new Map<number, Interval>();
  for (const [j, [lo, hi]] of assumed) {
    const highest = Math.max(lo, ...laps.map((r) => r.get(j)?.[1] ?? hi));
    next.set(j, [lo, Math.min(hi, highest)]);
  }
  return next;
}

/**
 * The JS test that each slot (named by `name`) holds a value in its assumed range: one unsigned
 * compare for a range from 0, which also rules out negative values.
 */
export function entryTest(
  assumed: ReadonlyMap<number, Interval>,
  name: (j: number) => string,
): string {
  const int = (x: number) => String(x | 0);
  return [...assumed].map(([j, [lo, hi]]) =>
    lo === 0
      ? ` && ${name(j)} >>> 0 <= ${int(hi)}`
      : ` && ${name(j)} >= ${int(lo)} && ${name(j)} <= ${int(hi)}`
  ).join("");
}
