/**
 * PohLang built-ins, one table shared by both engines: the parser maps phrasal forms
 * (`count of xs`, `split s by ","`) and call forms (`length(xs)`) onto these names, the compiler
 * stores the table index in `BUILTIN` instructions, and both engines call the same function.
 * The order of {@link BUILTINS} is part of the `.pbc` format: append new rows, never reorder.
 *
 * @module
 */
import type { Host } from "../../host/host.ts";
import { HOST_BUILTIN_NAMES, HOST_BUILTINS, HOST_BUILTINS_2 } from "./builtins_host.ts";
import { GFX_BUILTINS, GFX_HOST_NAMES } from "./builtins_gfx.ts";
import { ITER_BUILTINS } from "./builtins_iter.ts";
import { JSON_BUILTINS } from "./builtins_json.ts";
import { FILE_BUILTINS, FILE_HOST_NAMES } from "./builtins_files.ts";
import { PLAY_BUILTINS, PLAY_HOST_NAMES } from "./builtins_play.ts";
import { newWebState, WEB_BUILTINS, WEB_HOST_NAMES, type WebState } from "./builtins_web.ts";
import {
  checkSize,
  contains,
  dict,
  errorOf,
  insertAt,
  list,
  nonEmpty,
  num,
  numbers,
  rangeOf,
  removed,
  sized,
  str,
  toNumber,
} from "./builtin_args.ts";
import {
  addValues,
  asKey,
  pohError,
  PohErrorValue,
  toText,
  type Value,
  valuesEqual,
} from "./values.ts";

/** What a built-in may use besides its arguments. */
export interface BuiltinContext {
  readonly host: Host;
  /** Longest text or list a built-in may build (from the memory limit). */
  readonly maxItems: number;
  /** The web server built-ins' state for this run. */
  readonly web: WebState;
}

export { newWebState };

/** One built-in: name, accepted argument counts, implementation. */
export interface BuiltinSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly doc: string;
  readonly fn: (args: Value[], ctx: BuiltinContext) => Value | Promise<Value>;
}

/** The list argument of `append`, checked to have room for one more item. */
function appendable(xs: Value, ctx: BuiltinContext): Value[] {
  const l = list(xs, "append");
  checkSize(l.length + 1, ctx);
  return l;
}

/** The built-in table (order is part of the bytecode format). */
export const BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "length",
    min: 1,
    max: 1,
    doc: "count of / size of / length(x)",
    fn: ([x]) => {
      if (x instanceof Map) return x.size;
      return sized(x, "count of").length;
    },
  },
  { name: "range", min: 1, max: 3, doc: "range(n), range(a, b), range(a, b, step)", fn: rangeOf },
  {
    name: "join",
    min: 2,
    max: 2,
    doc: "join xs with sep",
    fn: ([xs, sep], ctx) => {
      const out = list(xs, "join").map(toText).join(toText(sep));
      checkSize(out.length, ctx);
      return out;
    },
  },
  {
    name: "split",
    min: 2,
    max: 2,
    doc: "split s by sep",
    fn: ([s, sep]) => {
      const text = str(s, "split");
      const by = str(sep, "split");
      return by === "" ? [...text] : text.split(by);
    },
  },
  {
    name: "abs",
    min: 1,
    max: 1,
    doc: "absolute value of x",
    fn: ([x]) => Math.abs(num(x, "absolute value")),
  },
  {
    name: "round",
    min: 1,
    max: 1,
    doc: "round x (halves away from zero)",
    fn: ([x]) => {
      const n = num(x, "round");
      return Math.sign(n) * Math.round(Math.abs(n));
    },
  },
  {
    name: "floor",
    min: 1,
    max: 1,
    doc: "round down x",
    fn: ([x]) => Math.floor(num(x, "round down")),
  },
  { name: "ceil", min: 1, max: 1, doc: "round up x", fn: ([x]) => Math.ceil(num(x, "round up")) },
  {
    name: "min",
    min: 1,
    max: 64,
    doc: "smallest in xs / min(a, b, …)",
    fn: (a) => Math.min(...numbers(a, "smallest")),
  },
  {
    name: "max",
    min: 1,
    max: 64,
    doc: "largest in xs / max(a, b, …)",
    fn: (a) => Math.max(...numbers(a, "largest")),
  },
  {
    name: "sqrt",
    min: 1,
    max: 1,
    doc: "square root of x",
    fn: ([x]) => {
      const n = num(x, "square root");
      if (n < 0) pohError("MathError", "square root of a negative number");
      return Math.sqrt(n);
    },
  },
  {
    name: "total",
    min: 1,
    max: 1,
    doc: "total of xs",
    fn: ([xs], ctx) => {
      let t: Value = 0;
      for (const x of list(xs, "total of")) t = addValues(t, x, ctx.maxItems);
      return t;
    },
  },
  {
    name: "first",
    min: 1,
    max: 1,
    doc: "first in xs",
    fn: ([x]) => nonEmpty(x, "first in")[0],
  },
  {
    name: "last",
    min: 1,
    max: 1,
    doc: "last in xs",
    fn: ([x]) => {
      const xs = nonEmpty(x, "last in");
      return xs[xs.length - 1];
    },
  },
  {
    name: "reverse",
    min: 1,
    max: 1,
    doc: "reverse of xs (a new list or text)",
    fn: ([x]) => {
      if (typeof x === "string") return [...x].reverse().join("");
      return list(x, "reverse of").slice().reverse();
    },
  },
  { name: "contains", min: 2, max: 2, doc: "contains x in y", fn: ([x, y]) => contains(x, y) },
  {
    name: "append",
    min: 2,
    max: 2,
    doc: "append x to xs (expression: a new list)",
    fn: ([x, xs], ctx) => appendable(xs, ctx).concat([x]),
  },
  {
    name: "remove",
    min: 2,
    max: 2,
    doc: "remove x from xs (expression: a new list)",
    fn: ([x, xs]) => {
      return removed(x, list(xs, "remove"));
    },
  },
  {
    name: "insert",
    min: 3,
    max: 3,
    doc: "insert x at i in xs (expression: a new list)",
    fn: ([x, i, xs]) => {
      const out = list(xs, "insert").slice();
      insertAt(out, i, x);
      return out;
    },
  },
  {
    name: "appendInPlace",
    min: 2,
    max: 2,
    doc: "statement `append x to xs`",
    fn: ([x, xs], ctx) => {
      appendable(xs, ctx).push(x);
      return null;
    },
  },
  {
    name: "removeInPlace",
    min: 2,
    max: 2,
    doc: "statement `remove x from xs`",
    fn: ([x, xs]) => {
      if (xs instanceof Map) {
        xs.delete(asKey(x));
        return null;
      }
      const l = list(xs, "remove");
      const i = l.findIndex((y) => valuesEqual(x, y));
      if (i >= 0) l.splice(i, 1);
      return null;
    },
  },
  {
    name: "insertInPlace",
    min: 3,
    max: 3,
    doc: "statement `insert x at i in xs`",
    fn: ([x, i, xs]) => {
      insertAt(list(xs, "insert"), i, x);
      return null;
    },
  },
  {
    name: "uppercase",
    min: 1,
    max: 1,
    doc: "make uppercase s",
    fn: ([s]) => str(s, "make uppercase").toUpperCase(),
  },
  {
    name: "lowercase",
    min: 1,
    max: 1,
    doc: "make lowercase s",
    fn: ([s]) => str(s, "make lowercase").toLowerCase(),
  },
  {
    name: "trim",
    min: 1,
    max: 1,
    doc: "trim s / trim spaces from s",
    fn: ([s]) => str(s, "trim").trim(),
  },
  {
    name: "keys",
    min: 1,
    max: 1,
    doc: "keys of d",
    fn: ([d]) => [...dict(d, "keys of").keys()],
  },
  {
    name: "values",
    min: 1,
    max: 1,
    doc: "values of d",
    fn: ([d]) => [...dict(d, "values of").values()],
  },
  { name: "text", min: 1, max: 1, doc: "text of x / text(x)", fn: ([x]) => toText(x) },
  { name: "number", min: 1, max: 1, doc: "number of s / number(s)", fn: ([x]) => toNumber(x) },
  {
    name: "power",
    min: 2,
    max: 2,
    doc: "power(x, y)",
    fn: ([x, y]) => num(x, "power") ** num(y, "power"),
  },
  {
    name: "errorNew",
    min: 2,
    max: 2,
    doc: 'error of type "T" with message "m"',
    fn: ([t, m]) => {
      return new PohErrorValue(toText(t), toText(m));
    },
  },
  {
    name: "errorMessage",
    min: 1,
    max: 1,
    doc: "error message of e",
    fn: ([e]) => errorOf(e, "error message of").message,
  },
  {
    name: "errorType",
    min: 1,
    max: 1,
    doc: "error type of e",
    fn: ([e]) => errorOf(e, "error type of").type,
  },
  {
    name: "position",
    min: 2,
    max: 2,
    doc: "index of x in xs (-1 when absent)",
    fn: ([x, xs]) => {
      if (typeof xs === "string") return xs.indexOf(toText(x));
      return list(xs, "index of").findIndex((y) => valuesEqual(x, y));
    },
  },
  // Built-ins that reach outside the VM, each through a permission-checked host call.
  ...HOST_BUILTINS,
  // Appended later (the order is part of `.pbc`): directories, the network, drawing.
  ...HOST_BUILTINS_2,
  ...GFX_BUILTINS,
  ...ITER_BUILTINS,
  // PohLang's JSON values and web server (appended: the order is part of `.pbc`).
  ...JSON_BUILTINS,
  ...WEB_BUILTINS,
  {
    name: "undefinedFunction",
    min: 1,
    max: 1,
    doc: "(hidden) a call of a name nothing in the program defines",
    fn: ([name]) => pohError("NameError", `Function '${toText(name)}' is not defined`),
  },
  ...FILE_BUILTINS,
  ...PLAY_BUILTINS,
];

/** Built-ins that call the host: they may answer with a Promise, so never run as pure. */
export const HOST_BACKED_BUILTINS: ReadonlySet<string> = new Set([
  ...HOST_BUILTIN_NAMES,
  ...GFX_HOST_NAMES,
  ...WEB_HOST_NAMES,
  ...FILE_HOST_NAMES,
  ...PLAY_HOST_NAMES,
]);

/** Index of each built-in by name. */
export const BUILTIN_INDEX: ReadonlyMap<string, number> = new Map(
  BUILTINS.map((b, i) => [b.name, i]),
);

/** Checks an argument count against a built-in's arity (used by the parser and verifier). */
export function builtinArityOk(index: number, argc: number): boolean {
  const b = BUILTINS[index];
  return b !== undefined && argc >= b.min && argc <= b.max;
}
