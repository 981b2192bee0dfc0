/**
 * What the compiled tier knows about the values in a frame's slots along one path of emitted
 * code: an interval per value, shared by every slot that holds a copy of it (`LGET` copies, so a
 * compare on the copy also bounds the local). The emitter uses it to leave out a memory access's
 * bounds check where the address is known to lie in memory: inside the unrolled laps of a
 * self-loop whose entry checks the slots against an *inductive* assumption (each lap that comes
 * back to the head leaves the slots inside it again, see {@link inductiveAssumption}).
 *
 * Every fact is about the int32 value the generated JavaScript holds, so a fact must follow the
 * wrap of the i32 arithmetic: a sum is bounded only when no wrap can occur.
 *
 * @module
 */
import { byOpcodeName } from "./op_semantics.ts";

/** An inclusive range of int32 values. */
export type Interval = readonly [lo: number, hi: number];

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
/**
 * The first bound assumed for a slot at a loop head: large enough for any index, small enough
 * that an index below the memory size plus it cannot wrap.
 */
const SMALL = 2 ** 30;

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
function sum(a?: Interval, b?: Interval, minus = false): Interval | undefined {
  if (!a || !b) return undefined;
  const [lo, hi] = minus ? [a[0] - b[1], a[1] - b[0]] : [a[0] + b[0], a[1] + b[1]];
  return lo >= I32_MIN && hi <= I32_MAX ? [lo, hi] : undefined;
}

/**
 * How each instruction the emitter compiles changes the slots' ranges (`d`: the depth before it,
 * `a`: its operand). Every other instruction {@link track} is given (a binary operator, `NEG`,
 * `NOT`) writes only slot `d - 2` or `d - 1`.
 */
const RANGE_EFFECTS: ReadonlyMap<number, (r: SlotRanges, d: number, a: number) => void> =
  byOpcodeName({
    PUSH: (r, d, a) => r.set(d, [a | 0, a | 0]),
    DUP: (r, d) => r.copy(d, d - 1),
    OVER: (r, d) => r.copy(d, d - 2),
    SWAP: (r, d) => r.swap(d - 1, d - 2),
    ROT: (r, d) => (r.swap(d - 3, d - 2), r.swap(d - 2, d - 1)),
    LGET: (r, d, a) => r.copy(d, a),
    LSET: (r, d, a) => r.copy(a, d - 1),
    POP: () => {},
    NOP: () => {},
    ADD: (r, d) => r.set(d - 2, sum(r.get(d - 2), r.get(d - 1))),
    SUB: (r, d) => r.set(d - 2, sum(r.get(d - 2), r.get(d - 1), true)),
    LOADB: (r, d) => r.set(d - 1, [0, 255]),
    LOAD: (r, d) => r.set(d - 1),
    STOREB: () => {},
    STORE: () => {},
  });

/**
 * The ranges after instruction `o` (operand `a`) at depth `d`, a data instruction (no jump or
 * call): its listed effect, or every slot it may have written forgotten.
 */
export function track(r: SlotRanges, o: number, a: number, d: number): void {
  const effect = RANGE_EFFECTS.get(o);
  if (effect) effect(r, d, a);
  else r.forgetFrom(Math.max(0, d - 2));
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

/** The first assumption tried at a loop head: every live slot in `[0, 2^30]`. */
export function firstAssumption(depth: number): Map<number, Interval> {
  return new Map(Array.from({ length: depth }, (_, j) => [j, [0, SMALL] as Interval]));
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
