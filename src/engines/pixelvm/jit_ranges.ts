/**
 * How each PixelVM instruction the compiled tier runs changes what is known of its frame's slots
 * (see `../slot_ranges.ts`), so the emitter can leave out bounds checks an inductive range of the
 * slots makes needless; and what the emitter keeps while it looks for that range.
 *
 * @module
 */
import { NEGATED, type SlotRanges, sum } from "../slot_ranges.ts";
import { I_GE, I_GT, I_LE, I_LT } from "./decode.ts";
import { byOpcodeName } from "./op_semantics.ts";

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

/** The signed compares whose outcome bounds their operands on each way of the branch. */
const ORDERINGS: ReadonlyMap<number, string> = new Map([
  [I_LT, "<"],
  [I_LE, "<="],
  [I_GT, ">"],
  [I_GE, ">="],
]);

/**
 * The ranges on the two ways of compare `o` at depth `d` fused with the branch after it (which
 * jumps when the compare holds if `jumpsOnTrue`, else when it fails): `[jumped, fell through]`,
 * each narrowed by what it knows of the operands, slots `d - 2` and `d - 1` (the second is
 * `ranges` itself).
 */
export function compareWays(
  ranges: SlotRanges,
  o: number,
  jumpsOnTrue: boolean,
  d: number,
): [SlotRanges, SlotRanges] {
  const [taken, next] = [ranges.clone(), ranges];
  const order = ORDERINGS.get(o);
  if (order !== undefined) {
    const jumpsWhen = jumpsOnTrue ? order : NEGATED.get(order)!;
    taken.assume(d - 2, jumpsWhen, d - 1);
    next.assume(d - 2, NEGATED.get(jumpsWhen)!, d - 1);
  }
  return [taken, next];
}

/**
 * A self-loop's body for its unrolled laps, and the test its entry adds to the fuel test: the
 * slots are within an assumption every lap keeps, so the bounds checks that follow from it are
 * left out of the body (empty: the checked body, nothing added).
 */
export interface Lap {
  body: string;
  entry: string;
}

/** What emitting a piece of code changes in the emitter, to emit the same code again. */
export interface EmitterState {
  inlined: number[];
  cases: number[];
  pending: number[];
  copyBudget: number;
  lapCost: number;
  cheapestLap: number;
  lapCalls: boolean;
}

/** Bounds checks in emitted code. */
export const countChecks = (code: string): number => code.split(" >>> 0 >= ").length - 1;
