/**
 * Argument checks and shared helpers for the PohLang built-ins: each raises a `TypeError` (or
 * `MemoryError` signal) that names the built-in and what it found.
 *
 * @module
 */
import type { BuiltinContext } from "./builtins.ts";
import {
  asKey,
  describeType,
  formatNumber,
  type PohDict,
  pohError,
  PohErrorValue,
  PohMemoryError,
  toText,
  type Value,
  valuesEqual,
} from "./values.ts";

export function num(v: Value, what: string): number {
  if (typeof v !== "number") {
    pohError("TypeError", `${what} expects a number, found ${describeType(v)}`);
  }
  return v;
}

export function str(v: Value, what: string): string {
  if (typeof v !== "string") {
    pohError("TypeError", `${what} expects text, found ${describeType(v)}`);
  }
  return v;
}

export function list(v: Value, what: string): Value[] {
  if (!Array.isArray(v)) pohError("TypeError", `${what} expects a list, found ${describeType(v)}`);
  return v;
}

export function sized(v: Value, what: string): { length: number } & ArrayLike<Value> {
  if (typeof v === "string" || Array.isArray(v)) return v;
  return pohError("TypeError", `${what} expects a list or text, found ${describeType(v)}`);
}

/** A dictionary argument (a TypeError naming `what` otherwise). */
export function dict(v: Value, what: string): PohDict {
  if (!(v instanceof Map)) {
    pohError("TypeError", `${what} expects a dictionary, found ${describeType(v)}`);
  }
  return v;
}

/** A list or text with at least one item (an IndexError naming `what` when empty). */
export function nonEmpty(v: Value, what: string): { length: number } & ArrayLike<Value> {
  const xs = sized(v, what);
  if (xs.length === 0) pohError("IndexError", `${what} an empty list`);
  return xs;
}

export function numbers(v: Value[], what: string): number[] {
  const xs = v.length === 1 && Array.isArray(v[0]) ? v[0] : v;
  if (xs.length === 0) pohError("ValueError", `${what} of an empty list`);
  return xs.map((x) => num(x, what));
}

export function checkSize(n: number, ctx: BuiltinContext): void {
  if (n > ctx.maxItems) {
    throw new PohMemoryError(`a value of ${n} items would exceed the memory limit`);
  }
}

export function contains(needle: Value, hay: Value): boolean {
  if (typeof hay === "string") return hay.includes(toText(needle));
  if (Array.isArray(hay)) return hay.some((x) => valuesEqual(x, needle));
  if (hay instanceof Map) return hay.has(asKey(needle));
  return pohError(
    "TypeError",
    `contains expects a list, text or dictionary, found ${describeType(hay)}`,
  );
}

export function removed(x: Value, xs: Value[]): Value[] {
  const i = xs.findIndex((y) => valuesEqual(x, y));
  if (i < 0) return xs.slice();
  return xs.slice(0, i).concat(xs.slice(i + 1));
}

export function insertAt(xs: Value[], index: Value, x: Value): void {
  const n = num(index, "insert");
  const i = n < 0 ? xs.length + 1 + n : n;
  if (!Number.isInteger(n) || i < 0 || i > xs.length) {
    pohError(
      "IndexError",
      `insert position ${formatNumber(n)} is out of range (length ${xs.length})`,
    );
  }
  xs.splice(i, 0, x);
}

export function rangeOf(args: Value[], ctx: BuiltinContext): Value[] {
  const [a, b, s] = args.map((x) => num(x, "range"));
  const start = args.length === 1 ? 0 : a;
  const end = args.length === 1 ? a : b;
  const step = args.length === 3 ? s : 1;
  if (step === 0) pohError("ValueError", "range step cannot be 0");
  const count = Math.max(0, Math.ceil((end - start) / step));
  checkSize(count, ctx);
  const out: Value[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  return out;
}

export function toNumber(v: Value): Value {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v.trim()))) {
    return Number(v.trim());
  }
  return pohError("ValueError", `cannot turn ${toText(v)} into a number`);
}

export function errorOf(v: Value, what: string): PohErrorValue {
  if (!(v instanceof PohErrorValue)) {
    pohError("TypeError", `${what} expects an error, found ${describeType(v)}`);
  }
  return v;
}
