/**
 * PohLang's JSON values: `new json object`, `new json array`, `parse json from s`,
 * `convert to json x`, `convert to pretty json x`, `get "k" from json x`,
 * `set "k" in json x to v`, `push v to json xs`, `json length of x`. A JSON object is a
 * dictionary and a JSON array a list, so indexing, `For each` and printing work on them as on any
 * other; `set … in json` and `push … to json` answer a new value and leave the old one as it was.
 *
 * @module
 */
import type { BuiltinContext, BuiltinSpec } from "./builtins.ts";
import { checkSize, dict, list, str } from "./builtin_args.ts";
import { describeType, type PohDict, pohError, toText, type Value } from "./values.ts";

/** Deepest nesting a JSON text or value may have (conversion recurses). */
const MAX_JSON_DEPTH = 200;

/** A parsed JSON value as a Poh value (objects become dictionaries, arrays lists). */
function fromJson(v: unknown, depth: number): Value {
  if (depth > MAX_JSON_DEPTH) {
    pohError("JsonError", `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") {
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => fromJson(x, depth + 1));
  const m: PohDict = new Map();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    m.set(k, fromJson(x, depth + 1));
  }
  return m;
}

/** A Poh value as a plain JS value `JSON.stringify` can write (a TypeError for functions). */
function toJson(v: Value, depth: number): unknown {
  if (depth > MAX_JSON_DEPTH) {
    pohError("JsonError", `a value nested deeper than ${MAX_JSON_DEPTH} levels has no JSON form`);
  }
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map((x) => toJson(x, depth + 1));
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[toText(k)] = toJson(x, depth + 1);
    return o;
  }
  return pohError("JsonError", `convert to json expects data, found ${describeType(v)}`);
}

/**
 * The JSON text of a Poh value.
 *
 * @param v the value
 * @param pretty two-space indentation when true
 * @param ctx the run's built-in context (for the size cap)
 * @returns the text
 */
export function jsonText(v: Value, pretty: boolean, ctx: BuiltinContext): string {
  const out = JSON.stringify(toJson(v, 0), null, pretty ? 2 : undefined);
  checkSize(out.length, ctx);
  return out;
}

/** A JSON object or array argument. */
function collection(v: Value, what: string): PohDict | Value[] {
  if (v instanceof Map || Array.isArray(v)) return v;
  return pohError("JsonError", `${what} expects a JSON object or array, found ${describeType(v)}`);
}

/** The JSON rows (appended to `BUILTINS`; the order is part of `.pbc`). */
export const JSON_BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "jsonObject",
    min: 0,
    max: 0,
    doc: "new json object: an empty dictionary",
    fn: () => new Map(),
  },
  { name: "jsonArray", min: 0, max: 0, doc: "new json array: an empty list", fn: () => [] },
  {
    name: "jsonParse",
    min: 1,
    max: 1,
    doc: "parse json from s",
    fn: ([s]) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(str(s, "parse json"));
      } catch (e) {
        return pohError("JsonError", `invalid JSON: ${(e as Error).message}`);
      }
      return fromJson(parsed, 0);
    },
  },
  {
    name: "jsonStringify",
    min: 1,
    max: 1,
    doc: "convert to json x",
    fn: ([v], ctx) => jsonText(v, false, ctx),
  },
  {
    name: "jsonPretty",
    min: 1,
    max: 1,
    doc: "convert to pretty json x",
    fn: ([v], ctx) => jsonText(v, true, ctx),
  },
  {
    name: "jsonGet",
    min: 2,
    max: 2,
    doc: 'get "k" from json x (nothing when absent)',
    fn: ([k, o]) => {
      const c = collection(o, "get … from json");
      if (Array.isArray(c)) {
        return typeof k === "number" && Number.isInteger(k) && k >= 0 && k < c.length ? c[k] : null;
      }
      return c.get(typeof k === "number" ? k : toText(k)) ?? null;
    },
  },
  {
    name: "jsonSet",
    min: 3,
    max: 3,
    doc: 'set "k" in json x to v: a new object',
    fn: ([k, o, v]) => {
      const m = new Map(dict(o, "set … in json"));
      m.set(toText(k), v);
      return m;
    },
  },
  {
    name: "jsonPush",
    min: 2,
    max: 2,
    doc: "push v to json xs: a new array",
    fn: ([v, xs], ctx) => {
      const l = list(xs, "push … to json");
      checkSize(l.length + 1, ctx);
      return [...l, v];
    },
  },
  {
    name: "jsonLength",
    min: 1,
    max: 1,
    doc: "json length of x",
    fn: ([o]) => {
      const c = collection(o, "json length of");
      return Array.isArray(c) ? c.length : c.size;
    },
  },
];
