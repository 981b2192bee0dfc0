/**
 * PohLang values and the operations both engines share: printing, truthiness, equality,
 * arithmetic. Values are plain JS values where possible (numbers, strings, booleans, `null`,
 * arrays for lists, `Map`s for dictionaries) so the VM's fast paths are a `typeof` away.
 *
 * @module
 */

/** A PohLang list (mutable, shared by reference). */
export type PohList = Value[];
/** A dictionary key: keys are compared by value, like the language's primitive equality. */
export type PohKey = string | number | boolean | null;
/** A PohLang dictionary (insertion-ordered). */
export type PohDict = Map<PohKey, Value>;

/** Base of function values; each engine extends it with what it needs to call one. */
export abstract class PohFunction {
  /** The function's name as written after `Make`. */
  abstract readonly name: string;
}

/** An error value (`error of type "T" with message "m"`, or one the runtime raised). */
export class PohErrorValue {
  /** The error's type name, e.g. `"TypeError"`. */
  readonly type: string;
  /** The human message. */
  readonly message: string;
  /**
   * Creates an error value.
   *
   * @param type error type name
   * @param message human message
   */
  constructor(type: string, message: string) {
    this.type = type;
    this.message = message;
  }
}

/** Any PohLang value. */
export type Value =
  | number
  | string
  | boolean
  | null
  | PohList
  | PohDict
  | PohFunction
  | PohErrorValue;

/**
 * A guest-level error in flight: thrown by engines and builtins, catchable by `try this:`.
 * `cause` keeps the host's PxosError (e.g. a permission denial) so an uncaught one keeps its code.
 */
export class PohThrow extends Error {
  /** The value the guest sees in `if error as e`. */
  readonly value: PohErrorValue;
  /** The host error behind it, when the error came from a host call. */
  readonly hostError?: unknown;
  /**
   * Creates a guest-level error.
   *
   * @param value the error value
   * @param hostError the host error behind it, if any
   */
  constructor(value: PohErrorValue, hostError?: unknown) {
    super(`${value.type}: ${value.message}`);
    this.name = "PohThrow";
    this.value = value;
    this.hostError = hostError;
  }
}

/** Throws a guest-level error of `type`. */
export function pohError(type: string, message: string): never {
  throw new PohThrow(new PohErrorValue(type, message));
}

/** Formats a number the PohLang way: whole numbers without `.0`. */
export function formatNumber(n: number): string {
  if (n === 0) return "0";
  return String(n);
}

/** The type name used in messages ("a number", "a list", …). */
export function describeType(v: Value): string {
  if (v === null) return "nothing";
  switch (typeof v) {
    case "number":
      return "a number";
    case "string":
      return "text";
    case "boolean":
      return "a boolean";
  }
  if (Array.isArray(v)) return "a list";
  if (v instanceof Map) return "a dictionary";
  if (v instanceof PohErrorValue) return "an error";
  return "a function";
}

/** Text of a value as `Write` prints it. */
export function toText(v: Value): string {
  if (typeof v === "string") return v;
  if (v instanceof PohErrorValue) return v.message;
  return repr(v, new Set(), false);
}

function repr(v: Value, seen: Set<unknown>, nested: boolean): string {
  if (v === null) return "None";
  // Printing recurses; a value nested deeper than this prints as `…` instead of overflowing.
  if (seen.size > 100 && (Array.isArray(v) || v instanceof Map)) return "…";
  switch (typeof v) {
    case "number":
      return formatNumber(v);
    case "string":
      return nested ? quote(v) : v;
    case "boolean":
      return v ? "True" : "False";
  }
  if (Array.isArray(v)) {
    if (seen.has(v)) return "[...]";
    seen.add(v);
    const out = "[" + v.map((x) => repr(x, seen, true)).join(", ") + "]";
    seen.delete(v);
    return out;
  }
  if (v instanceof Map) {
    if (seen.has(v)) return "{...}";
    seen.add(v);
    const parts: string[] = [];
    for (const [k, x] of v) parts.push(`${repr(k, seen, true)}: ${repr(x, seen, true)}`);
    seen.delete(v);
    return "{" + parts.join(", ") + "}";
  }
  if (v instanceof PohErrorValue) return `<error ${v.type}: ${v.message}>`;
  return `<function ${v.name}>`;
}

function quote(s: string): string {
  return '"' + s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n") + '"';
}

/** Truthiness: False, nothing, 0, empty text, empty list and empty dictionary are false. */
export function truthy(v: Value): boolean {
  if (typeof v === "boolean") return v;
  if (v === null) return false;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

/** Structural equality (lists and dictionaries by content; functions by identity). */
export function valuesEqual(a: Value, b: Value, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 200) pohError("TypeError", "values are nested too deeply to compare");
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, x] of a) {
      if (!b.has(k) || !valuesEqual(x, b.get(k) as Value, depth + 1)) return false;
    }
    return true;
  }
  if (a instanceof PohErrorValue && b instanceof PohErrorValue) {
    return a.type === b.type && a.message === b.message;
  }
  return false;
}

/**
 * `a plus b`: numbers add, text joins (with the other side printed), lists concatenate.
 * `maxChars` bounds the length of the text or list made.
 */
export function addValues(a: Value, b: Value, maxChars: number): Value {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "string" || typeof b === "string") {
    const s = toText(a) + toText(b);
    if (s.length > maxChars) memoryError(s.length);
    return s;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length + b.length > maxChars) memoryError(a.length + b.length);
    return a.concat(b);
  }
  return pohError("TypeError", `cannot add ${describeType(a)} and ${describeType(b)}`);
}

/** Raised when a value would exceed the memory limit; the engines turn it into `E_MEMORY`. */
export class PohMemoryError extends Error {
  /**
   * Creates the error.
   *
   * @param message what would have been too large
   */
  constructor(message: string) {
    super(message);
    this.name = "PohMemoryError";
  }
}

function memoryError(size: number): never {
  throw new PohMemoryError(`a value of ${size} items would exceed the memory limit`);
}

/** Arithmetic other than `+` on two values; `op` is one of `- * / %`. */
export function arith(op: "-" | "*" | "/" | "%", a: Value, b: Value): number {
  if (typeof a !== "number" || typeof b !== "number") {
    const verb = { "-": "subtract", "*": "multiply", "/": "divide", "%": "take the modulo of" }[op];
    return pohError("TypeError", `cannot ${verb} ${describeType(a)} and ${describeType(b)}`);
  }
  switch (op) {
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0) pohError("MathError", "Division by zero");
      return a / b;
    case "%":
      if (b === 0) pohError("MathError", "Modulo by zero");
      return a % b;
  }
}

/** Ordering comparison (`< <= > >=`) of two numbers or two texts. */
export function compare(op: "<" | "<=" | ">" | ">=", a: Value, b: Value): boolean {
  if (
    !((typeof a === "number" && typeof b === "number") ||
      (typeof a === "string" && typeof b === "string"))
  ) {
    return pohError("TypeError", `cannot compare ${describeType(a)} with ${describeType(b)}`);
  }
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/** Unary minus. */
export function negate(v: Value): number {
  if (typeof v !== "number") return pohError("TypeError", `cannot negate ${describeType(v)}`);
  return -v;
}

/** Reads `target[index]` (lists and text by position, negative from the end; dictionaries). */
export function indexValue(target: Value, index: Value): Value {
  if (Array.isArray(target) || typeof target === "string") {
    const i = position(target.length, index);
    return target[i];
  }
  if (target instanceof Map) {
    const key = asKey(index);
    if (!target.has(key)) {
      pohError("KeyError", `Key ${repr(key, new Set(), true)} not found in dictionary`);
    }
    return target.get(key) as Value;
  }
  return pohError("TypeError", `cannot index ${describeType(target)}`);
}

/** Writes `target[index] = value` for lists and dictionaries. */
export function setIndexValue(target: Value, index: Value, value: Value): void {
  if (Array.isArray(target)) {
    target[position(target.length, index)] = value;
    return;
  }
  if (target instanceof Map) {
    target.set(asKey(index), value);
    return;
  }
  pohError("TypeError", `cannot set an item of ${describeType(target)}`);
}

/** Resolves a (possibly negative) position against `length`, or raises `IndexError`. */
export function position(length: number, index: Value): number {
  if (typeof index !== "number" || !Number.isInteger(index)) {
    return pohError(
      "TypeError",
      `expected a whole number as position, found ${describeType(index)}`,
    );
  }
  const i = index < 0 ? length + index : index;
  if (i < 0 || i >= length) {
    pohError("IndexError", `position ${formatNumber(index)} is out of range (length ${length})`);
  }
  return i;
}

/** Checks that `v` can be a dictionary key. */
export function asKey(v: Value): PohKey {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
    return v;
  }
  return pohError("TypeError", `${describeType(v)} cannot be a dictionary key`);
}
