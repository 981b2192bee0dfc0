/**
 * The slow paths compiled Poh code calls (see `jit_emit.ts`): what an instruction does beyond
 * its inline fast path, exactly as the interpreter does it. A guest error is not thrown through
 * compiled code: the slow path answers {@link FAIL}, compiled code exits before the instruction,
 * and the interpreter runs it again and raises the error itself — with its handlers, its Poh
 * stack trace and its line. (Every slow path here either fails before it changes anything or
 * cannot fail, so running the instruction again is the same as running it once.)
 *
 * @module
 */
import { type BuiltinContext, BUILTINS } from "./builtins.ts";
import { dictFrom, repeatCount } from "./exec_common.ts";
import {
  addValues,
  arith,
  compare,
  indexValue,
  negate,
  PohThrow,
  setIndexValue,
  truthy,
  type Value,
  valuesEqual,
} from "./values.ts";
import { EXIT, exitFrame, placeFrames, refuel, unwindFrame } from "./jit_runtime.ts";
import { ABORT, moreFuel } from "./jit_pure_runtime.ts";
import { Cell, UNSET } from "./vm_support.ts";

/** What a slow path answers when the instruction raises a guest error. */
export const FAIL: Value = Object.freeze({ failed: true }) as unknown as Value;

/** A guest error becomes {@link FAIL}; anything else (limits, host faults) goes on. */
function failed(e: unknown): Value {
  if (e instanceof PohThrow) return FAIL;
  throw e;
}

/** `a plus b` beyond two numbers. */
export function addSlow(a: Value, b: Value, ctx: BuiltinContext): Value {
  try {
    const max = ctx.maxItems;
    if (typeof a === "string" && typeof b === "string" && a.length + b.length <= max) return a + b;
    return addValues(a, b, max);
  } catch (e) {
    return failed(e);
  }
}

/** `- * / %` beyond the number fast path. */
export function arithSlow(op: "-" | "*" | "/" | "%", a: Value, b: Value): Value {
  try {
    return arith(op, a, b);
  } catch (e) {
    return failed(e);
  }
}

/** Ordering comparison beyond two numbers. */
export function compareSlow(op: "<" | "<=" | ">" | ">=", a: Value, b: Value): Value {
  try {
    return compare(op, a, b);
  } catch (e) {
    return failed(e);
  }
}

/** Structural equality (fails only on values nested too deeply). */
export function equalSlow(a: Value, b: Value): Value {
  try {
    return valuesEqual(a, b);
  } catch (e) {
    return failed(e);
  }
}

/** Unary minus beyond a number. */
export function negateSlow(a: Value): Value {
  try {
    return negate(a);
  } catch (e) {
    return failed(e);
  }
}

/** `t[i]` beyond a list and an in-range whole number. */
export function indexSlow(t: Value, i: Value): Value {
  try {
    return indexValue(t, i);
  } catch (e) {
    return failed(e);
  }
}

/** `t[i] = v`: null when done. */
export function setIndexSlow(t: Value, i: Value, v: Value): Value {
  try {
    setIndexValue(t, i, v);
    return null;
  } catch (e) {
    return failed(e);
  }
}

/** A dictionary from alternating keys and values. */
export function makeDictSlow(kv: Value[]): Value {
  try {
    return dictFrom(kv, 0, kv.length >> 1);
  } catch (e) {
    return failed(e);
  }
}

/** A built-in that does not touch the host (so it answers synchronously). */
export function builtinSlow(b: number, args: Value[], ctx: BuiltinContext): Value {
  try {
    return BUILTINS[b].fn(args, ctx) as Value;
  } catch (e) {
    return failed(e);
  }
}

/** `Repeat n times`: the count. */
export function toCountSlow(v: Value): Value {
  try {
    return repeatCount(v);
  } catch (e) {
    return failed(e);
  }
}

/** The helpers compiled code uses, by the names the generated source uses. */
export const JIT_HELPERS = {
  addSlow,
  arithSlow,
  compareSlow,
  equalSlow,
  negateSlow,
  indexSlow,
  setIndexSlow,
  makeDictSlow,
  builtinSlow,
  toCountSlow,
  truthy,
  Cell,
  UNSET,
  FAIL,
  EXIT,
  exit: exitFrame,
  unwind: unwindFrame,
  placeFrames,
  refuel,
  isArray: Array.isArray,
  ABORT,
  moreFuel,
};
