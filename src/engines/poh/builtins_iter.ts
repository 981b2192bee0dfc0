/**
 * Hidden built-ins behind `For each` and `map`/`filter`/`reduce`: both engines call them, so the
 * two agree on what can be walked and on the error a wrong argument gives. They have no source
 * name; the compiler emits them and the AST interpreter calls the helpers directly.
 *
 * @module
 */
import type { BuiltinSpec } from "./builtins.ts";
import { describeType, pohError, PohFunction, toText, type Value } from "./values.ts";

/**
 * What `For each` (and `map`, `filter`, `reduce`) walks: a list itself (so items appended during
 * the walk are reached), the characters of a text, or a snapshot of a dictionary's keys.
 *
 * @param v the value to walk
 * @param what the construct, for the error message
 * @returns the items
 */
export function iterItems(v: Value, what: string): Value[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [...v];
  if (v instanceof Map) return [...v.keys()];
  return pohError(
    "TypeError",
    `${what} expects a list, text or dictionary, found ${describeType(v)}`,
  );
}

/**
 * Checks a function argument of `map`, `filter` or `reduce`.
 *
 * @param f the argument
 * @param what the built-in, for the error message
 * @returns `f`
 */
export function expectFunction(f: Value, what: string): PohFunction {
  if (!(f instanceof PohFunction)) {
    pohError("TypeError", `${what} expects a function, found ${describeType(f)}`);
  }
  return f;
}

/** The hidden rows (appended to `BUILTINS`; the order is part of `.pbc`). */
export const ITER_BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "iterItems",
    min: 2,
    max: 2,
    doc: "(hidden) the items For each / map / filter / reduce walk",
    fn: ([v, what]) => iterItems(v, toText(what)),
  },
  {
    name: "expectFunction",
    min: 2,
    max: 2,
    doc: "(hidden) checks the function argument of map / filter / reduce",
    fn: ([f, what]) => expectFunction(f, toText(what)),
  },
];
