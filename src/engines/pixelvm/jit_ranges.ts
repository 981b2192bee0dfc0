/**
 * How each PixelVM instruction the compiled tier runs changes what is known of its frame's slots
 * (see `../slot_ranges.ts`), so the emitter can leave out bounds checks an inductive range of the
 * slots makes needless.
 *
 * @module
 */
import { type SlotRanges, sum } from "../slot_ranges.ts";
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
