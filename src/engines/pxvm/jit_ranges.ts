/**
 * How each pxVM instruction the fast tier runs changes what is known of the registers (see
 * `../slot_ranges.ts`), so the emitter can leave out bounds checks that an inductive range of
 * the registers makes needless. Slots 0–7 are the registers; the compared pair the flag is kept
 * as (`fa`, `fb`, see `FLAG_STATE`) are two more slots, so a flag jump bounds the registers the
 * last `CMP` compared.
 *
 * @module
 */
import { NEGATED, type SlotRanges, sum } from "../slot_ranges.ts";
import { NULL_REGISTER } from "./decode.ts";
import { OPCODE_BY_NAME } from "./isa.ts";

/** The slots of the compared pair (above any register number an instruction can name). */
const FA = 16, FB = 17;

const opcodeOf = (name: string): number => OPCODE_BY_NAME.get(name)!.opcode;

/** Effects on the ranges, by opcode (`a`, `b`, `c`: the decoded operands). */
const EFFECTS = new Map<number, (r: SlotRanges, a: number, b: number, c: number) => void>([
  [opcodeOf("IMM8"), (r, a, b) => r.set(a, [b | 0, b | 0])],
  [opcodeOf("IMM32"), (r, a, b) => r.set(a, [b | 0, b | 0])],
  [opcodeOf("MOV"), (r, a, b) => r.copy(a, b)],
  [opcodeOf("ADD"), (r, a, b, c) => r.set(a, sum(r.get(b), r.get(c)))],
  [opcodeOf("SUB"), (r, a, b, c) => r.set(a, sum(r.get(b), r.get(c), true))],
  [opcodeOf("ADDI"), (r, a, b) => r.set(a, sum(r.get(a), [b | 0, b | 0]))],
  [opcodeOf("CMP"), (r, a, b) => (r.copy(FA, a), r.copy(FB, b))],
  // CMPU compares sign-flipped values: nothing known of them.
  [opcodeOf("CMPU"), (r) => (r.set(FA), r.set(FB))],
  [opcodeOf("LOAD8"), (r, a) => r.set(a, [0, 255])],
  [opcodeOf("LOAD16"), (r, a) => r.set(a, [0, 65535])],
  [opcodeOf("LOAD32"), (r, a) => r.set(a)],
  [opcodeOf("POP"), (r, a) => r.set(a)],
  ...["PUSH", "STORE8", "STORE16", "STORE32", "NOP"].map((name) =>
    [opcodeOf(name), () => {}] as [number, () => void]
  ),
]);

/** Every ALU row that writes register `a` with a value not tracked. */
const WRITES_A = new Set(
  ["MUL", "DIV", "MOD", "AND", "OR", "XOR", "SHL", "SHR", "SAR", "NOT"].map(opcodeOf),
);

/**
 * The ranges after one instruction that does not transfer control (opcode `h`, operands `a`,
 * `b`, `c`): its effect, or nothing known of any register where it has none listed.
 */
export function trackRegisters(r: SlotRanges, h: number, a: number, b: number, c: number): void {
  // The stand-in for a bad register drops what is written to it: assume nothing after one.
  if (a === NULL_REGISTER) return r.forgetFrom(0);
  const effect = EFFECTS.get(h);
  if (effect) effect(r, a, b, c);
  else if (WRITES_A.has(h)) r.set(a);
  else r.forgetFrom(0);
}

/** The signed compare each flag jump tests (`fa op fb`), for the two that bound. */
const ORDERS = new Map(
  Object.entries({ JLT: "<", JLE: "<=", JGT: ">", JGE: ">=" })
    .map(([name, op]) => [opcodeOf(name), op]),
);

/**
 * The ranges on one way of jump `h`: `holds` true where it jumps, false where it falls through
 * (only a flag jump on an order narrows them).
 */
export function branchRegisters(r: SlotRanges, h: number, holds: boolean): SlotRanges {
  const order = ORDERS.get(h);
  const way = r.clone();
  if (order !== undefined) way.assume(FA, holds ? order : NEGATED.get(order)!, FB);
  return way;
}
