/**
 * Rules every PohLang executor applies the same way — the AST interpreter, the bytecode VM and
 * the VM's compiled functions (through `jit_runtime.ts`): the errors for unset variables, calls
 * of non-functions, wrong argument counts and runaway recursion, `Repeat` counts, what `throw`
 * raises, and dictionary literals. Written once so the three cannot drift apart (the tests run
 * every program on all of them and compare).
 *
 * @module
 */
import { arityMessage, MAX_CALL_DEPTH } from "./runtime.ts";
import {
  describeType,
  type PohDict,
  pohError,
  PohErrorValue,
  PohThrow,
  setIndexValue,
  toText,
  type Value,
} from "./values.ts";

/** Raises the error for reading a variable that has no value yet. */
export function unsetError(name: string): never {
  return pohError("NameError", `\`${name}\` has no value yet (give it one with Set ${name} to …)`);
}

/** Raises the error for calling something that is not a function. */
export function notCallable(v: Value): never {
  return pohError("TypeError", `cannot call ${describeType(v)}: it is not a function`);
}

/**
 * Checks a call's argument count.
 *
 * @param name the function's name
 * @param required parameters without defaults
 * @param max all parameters
 * @param got arguments given
 */
export function checkArity(name: string, required: number, max: number, got: number): void {
  if (got < required || got > max) pohError("TypeError", arityMessage(name, required, max, got));
}

/** Raises a RecursionError when a call would run at `depth` (1 = called from main). */
export function checkCallDepth(depth: number): void {
  if (depth >= MAX_CALL_DEPTH) {
    pohError("RecursionError", `calls nested deeper than ${MAX_CALL_DEPTH} (runaway recursion?)`);
  }
}

/** `Repeat v times`: the whole number of times (a TypeError for anything but a number). */
export function repeatCount(v: Value): number {
  if (typeof v !== "number") {
    pohError("TypeError", `Repeat expects a number of times, found ${describeType(v)}`);
  }
  return Math.floor(v);
}

/** What `throw v` raises: an error value as it is, anything else as a RuntimeError. */
export function thrownError(v: Value): PohThrow {
  return new PohThrow(
    v instanceof PohErrorValue ? v : new PohErrorValue("RuntimeError", toText(v)),
  );
}

/** Whether `v` is an error of `type` (`if error of type "T"`; names compare ignoring case). */
export function errorHasType(v: Value, type: string): boolean {
  return v instanceof PohErrorValue && v.type.toLowerCase() === type.toLowerCase();
}

/**
 * A dictionary literal from alternating keys and values.
 *
 * @param kv where the keys and values are
 * @param from index of the first key
 * @param pairs how many key/value pairs
 * @returns the dictionary (a later duplicate key wins)
 */
export function dictFrom(kv: ArrayLike<Value>, from: number, pairs: number): PohDict {
  const m: PohDict = new Map();
  for (let i = 0; i < pairs; i++) setIndexValue(m, kv[from + 2 * i], kv[from + 2 * i + 1]);
  return m;
}

/** A cell slot that holds no cell: only hand-made bytecode gets here. */
export function noCellError(): never {
  throw new PohThrow(new PohErrorValue("InternalError", "a cell slot holds no cell"));
}

/** FOR_NEXT without a list and a position: only hand-made bytecode gets here. */
export function badWalkError(): never {
  throw new PohThrow(new PohErrorValue("InternalError", "FOR_NEXT needs a list and a position"));
}
