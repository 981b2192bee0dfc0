/**
 * Source snippets of the compiled tier (see `jit_emit.ts`): numbers, frame slots and the
 * instructions that only move values between slots. Only numbers reach the generated source.
 *
 * @module
 */
import { byOpcodeName } from "./op_semantics.ts";

/** A number as JS source (integers only, so nothing but digits and a sign can appear). */
export function num(x: number): string {
  const v = x | 0;
  return v < 0 ? `(${v})` : String(v);
}

/** Stack slot `j` of a region's frame, as its variable. */
export const v = (j: number): string => `v${num(j)}`;

/**
 * Source for each instruction that only moves values between slots: `d` is the depth before it,
 * `a` its operand. `POP` and `NOP` need no code (the depth after them says where values are).
 */
export const SLOT_MOVES: ReadonlyMap<number, (d: number, a: number) => string> = byOpcodeName({
  PUSH: (d, a) => `${v(d)} = ${num(a)};`,
  DUP: (d) => `${v(d)} = ${v(d - 1)};`,
  OVER: (d) => `${v(d)} = ${v(d - 2)};`,
  SWAP: (d) => `{ const t = ${v(d - 1)}; ${v(d - 1)} = ${v(d - 2)}; ${v(d - 2)} = t; }`,
  ROT: (d) => {
    const [third, second, top] = [v(d - 3), v(d - 2), v(d - 1)];
    return `{ const t = ${third}; ${third} = ${second}; ${second} = ${top}; ${top} = t; }`;
  },
  NEG: (d) => `${v(d - 1)} = -${v(d - 1)} | 0;`,
  NOT: (d) => `${v(d - 1)} = ~${v(d - 1)};`,
  LGET: (d, a) => `${v(d)} = ${v(a)};`,
  LSET: (d, a) => `${v(a)} = ${v(d - 1)};`,
  POP: () => "",
  NOP: () => "",
});
