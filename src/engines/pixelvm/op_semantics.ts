/**
 * What the instruction walkers share about the internal opcodes (`decode.ts`): each binary
 * operator's meaning, the stack effect of every instruction that only moves data or jumps, and
 * where control goes after an instruction. The precise loop, the region analysis and the compiled
 * tier's emitter all read these, so each fact is written once. (The fast loop spells its cases out
 * because a call per instruction would cost more than the work; the differential tests hold all
 * the tiers to the same answers.)
 *
 * @module
 */
import { I_JMP, I_JNZ, I_JZ, I_RETN, INTERNAL_NAMES } from "./decode.ts";
import { PIXELVM_ISA } from "./isa.ts";

/** A binary operator: pops `b`, then `a`, and pushes the i32 result of `a op b`. */
export interface BinaryOp {
  /** The result, for the interpreter. */
  readonly apply: (a: number, b: number) => number;
  /** The same result as a JS expression over two operand expressions, for the compiled tier. */
  readonly source: (a: string, b: string) => string;
  /** Whether `b = 0` traps ("division by zero") instead of computing. */
  readonly trapsOnZero: boolean;
  /**
   * For a comparison, the JS condition it tests (the result is 1 when it holds), so a compare
   * followed by `JZ`/`JNZ` compiles to one `if` without materialising the 0/1.
   */
  readonly test?: (a: string, b: string) => string;
}

/** The internal opcode of a mnemonic (a misspelt name is a build bug). */
function opcodeNamed(name: string): number {
  const op = INTERNAL_NAMES.indexOf(name);
  if (op < 0) throw new Error(`pixelvm: no opcode named ${name}`);
  return op;
}

/** A table keyed by mnemonic, as one keyed by internal opcode. */
export function byOpcodeName<T>(rows: Record<string, T>): ReadonlyMap<number, T> {
  return new Map(Object.entries(rows).map(([name, row]) => [opcodeNamed(name), row]));
}

// Each operator's two forms stand side by side so they are read (and changed) together; a test
// evaluates every `source` against its `apply` on edge values.
const binary = (
  apply: (a: number, b: number) => number,
  source: (a: string, b: string) => string,
  trapsOnZero = false,
): BinaryOp => Object.freeze({ apply, source, trapsOnZero });

/** A comparison: `apply` gives 1 when the JS operator `op` holds, else 0. */
const comparison = (apply: (a: number, b: number) => number, op: string): BinaryOp => {
  const test = (a: string, b: string) => `${a} ${op} ${b}`;
  return Object.freeze({
    apply,
    source: (a: string, b: string) => `${test(a, b)} ? 1 : 0`,
    trapsOnZero: false,
    test,
  });
};

/** Every binary operator, by internal opcode. */
export const BINARY_OPS: ReadonlyMap<number, BinaryOp> = byOpcodeName({
  ADD: binary((a, b) => (a + b) | 0, (a, b) => `(${a} + ${b}) | 0`),
  SUB: binary((a, b) => (a - b) | 0, (a, b) => `(${a} - ${b}) | 0`),
  MUL: binary(Math.imul, (a, b) => `Math.imul(${a}, ${b})`),
  DIV: binary((a, b) => (a / b) | 0, (a, b) => `(${a} / ${b}) | 0`, true),
  MOD: binary((a, b) => (a % b) | 0, (a, b) => `(${a} % ${b}) | 0`, true),
  AND: binary((a, b) => a & b, (a, b) => `${a} & ${b}`),
  OR: binary((a, b) => a | b, (a, b) => `${a} | ${b}`),
  XOR: binary((a, b) => a ^ b, (a, b) => `${a} ^ ${b}`),
  SHL: binary((a, b) => a << b, (a, b) => `${a} << ${b}`),
  SHR: binary((a, b) => a >> b, (a, b) => `${a} >> ${b}`),
  SHRU: binary((a, b) => (a >>> b) | 0, (a, b) => `(${a} >>> ${b}) | 0`),
  EQ: comparison((a, b) => (a === b ? 1 : 0), "==="),
  NE: comparison((a, b) => (a !== b ? 1 : 0), "!=="),
  LT: comparison((a, b) => (a < b ? 1 : 0), "<"),
  GT: comparison((a, b) => (a > b ? 1 : 0), ">"),
  LE: comparison((a, b) => (a <= b ? 1 : 0), "<="),
  GE: comparison((a, b) => (a >= b ? 1 : 0), ">="),
});

/** A stack effect: values the instruction needs on the stack, and how it changes the height. */
export type StackEffect = readonly [needs: number, delta: number];

/**
 * The stack effect an ISA row states in Forth notation, `(before -- after)` with one word per
 * value: `(a b -- a+b)` needs 2 and shrinks the stack by 1.
 */
export function parseStackEffect(notation: string): StackEffect {
  const sides = /^\((.*)--(.*)\)$/.exec(notation);
  if (!sides) throw new Error(`pixelvm: stack effect ${notation} is not (before -- after)`);
  const count = (side: string) => side.trim() === "" ? 0 : side.trim().split(/\s+/).length;
  const needs = count(sides[1]);
  return [needs, count(sides[2]) - needs];
}

/**
 * The stack effect of each instruction that only moves data or jumps, read from the `stack`
 * column of `isa.ts` (frames, calls, returns and host calls have effects no fixed count states).
 */
export const DATA_FLOW_EFFECTS: ReadonlyMap<number, StackEffect> = new Map(
  [
    ..."PUSH POP DUP SWAP OVER ROT NEG NOT LOAD LOADB STORE STOREB NOP JMP JZ JNZ".split(" ")
      .map(opcodeNamed),
    ...BINARY_OPS.keys(),
  ].map((op) => [op, parseStackEffect(PIXELVM_ISA[op].stack)]),
);

/**
 * Where control goes after instruction `k` (internal op `o`, operand `a`) when it runs to its end:
 * a jump's target (and the next instruction for a conditional one), nothing after `RETN`, else the
 * next instruction. Calls count as returning; callers that know better handle `CALL` first.
 */
export function flowTargets(o: number, a: number, k: number): number[] {
  if (o === I_JMP) return [a];
  if (o === I_JZ || o === I_JNZ) return [a, k + 1];
  if (o === I_RETN) return [];
  return [k + 1];
}
