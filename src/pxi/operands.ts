/**
 * Operand and number syntax shared by the text parser, the JSON reader and the checks, plus the
 * one way PXI reports a problem: `E_ASSEMBLE` at file:line:col with the line and a caret.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { IrExpr, IrOperand, IrPlace } from "./ast.ts";
import { REGISTER_BY_NAME } from "./isa.ts";

/**
 * Throws `E_ASSEMBLE` at `place` (column `col`, default the statement's), quoting the line with
 * a caret under the column.
 */
export function assembleError(place: IrPlace, message: string, col: number = place.col): never {
  const caret = place.text === ""
    ? ""
    : `\n    ${place.text}\n    ${" ".repeat(Math.max(0, col - 1))}^`;
  throw new PxosError("E_ASSEMBLE", `${message}${caret}`, {
    file: place.file,
    line: place.line,
    col,
  });
}

/** An operand parse failure (the caller adds the place). */
export class OperandSyntaxError extends Error {}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

/**
 * Decodes the escapes of a quoted literal body (`\n \t \r \0 \\ \" \' \xHH`).
 *
 * @example
 * ```ts
 * import { unescapePxi } from "@pxos/core";
 * console.log(unescapePxi("a\\n") === "a\n"); // true
 * ```
 */
export function unescapePxi(body: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === "x" && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (next !== undefined && next in ESCAPES) out += ESCAPES[next];
    else {throw new OperandSyntaxError(
        `unknown escape \\${next ?? ""} (expected \\n \\t \\r \\0 \\\\ \\" \\' \\xHH)`,
      );}
  }
  return out;
}

/** Encodes text as a quoted literal that {@link unescapePxi} reads back. */
export function quotePxi(text: string, quote = '"'): string {
  let out = quote;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\0") out += "\\0";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** Parses a number: decimal, `0x` hex, `0b` binary, `'c'` character; undefined if not one. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  const char = /^'(\\x[0-9a-fA-F]{2}|\\.|[^\\'])'$/u.exec(t);
  if (char) {
    const s = unescapePxi(char[1]);
    return s.codePointAt(0);
  }
  const m = /^([+-]?)(0x[0-9a-f]+|0b[01]+|\d+)$/i.exec(t);
  if (!m) return undefined;
  const body = m[2].toLowerCase();
  const value = body.startsWith("0b") ? parseInt(body.slice(2), 2) : Number(body);
  return m[1] === "-" ? -value : value;
}

/** A valid label as written: `name`, `.local`, `func.local`, or `$`. */
export const LABEL_PATTERN = /^(?:[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?|\.[A-Za-z_]\w*)$/;

const TERM = /\s*([+-]?)\s*('(?:\\x[0-9a-fA-F]{2}|\\.|[^\\'])'|[^+\-\s']+)\s*/gy;

/** Parses `label`, `label+4`, `12`, `$`, `'A'`, `-3` as an expression. */
export function parseExpr(text: string): IrExpr {
  const expr: IrExpr = { offset: 0 };
  const bad = () =>
    new OperandSyntaxError(
      `expected a number, a label or label±number, found ${JSON.stringify(text.trim())}`,
    );
  TERM.lastIndex = 0;
  let at = 0;
  let first = true;
  while (at < text.length) {
    TERM.lastIndex = at;
    const m = TERM.exec(text);
    if (!m || (!first && m[1] === "")) throw bad();
    at = TERM.lastIndex;
    first = false;
    const n = parseNumber(m[2]);
    if (n !== undefined) {
      expr.offset += m[1] === "-" ? -n : n;
      continue;
    }
    const name = m[2];
    if (m[1] === "-" || expr.label !== undefined || !(name === "$" || LABEL_PATTERN.test(name))) {
      throw bad();
    }
    if (REGISTER_BY_NAME.has(name.toUpperCase())) {
      throw new OperandSyntaxError(`a register (${name}) cannot be part of a value here`);
    }
    expr.label = name;
  }
  if (first) throw bad();
  return expr;
}

/**
 * Parses one operand: a register, `[BX+SI+4]`, `BYTE [label]`, `WORD [BP-2]`, or a value.
 *
 * @example
 * ```ts
 * import { parsePxiOperand } from "@pxos/core";
 * console.log(parsePxiOperand("word [bp+4]").kind); // "mem"
 * ```
 */
export function parsePxiOperand(text: string): IrOperand {
  const t = text.trim();
  const reg = REGISTER_BY_NAME.get(t.toUpperCase());
  if (reg) return { kind: "reg", name: reg.name };
  const mem = /^(?:(byte|word)\s*(?:ptr\s*)?)?\[(.*)\]$/i.exec(t);
  if (mem) {
    const size = mem[1] === undefined ? undefined : mem[1].toUpperCase() === "BYTE" ? 8 : 16;
    return { kind: "mem", size, ...parseAddress(mem[2]) };
  }
  if (/^(byte|word)\b/i.test(t)) {
    throw new OperandSyntaxError(`a size (${t.split(/\s/)[0]}) goes before a memory operand [..]`);
  }
  if (t.includes("[") || t.includes("]")) {
    throw new OperandSyntaxError(
      `expected a memory operand like [BX+4], found ${JSON.stringify(t)}`,
    );
  }
  return { kind: "imm", value: parseExpr(t) };
}

function parseAddress(inner: string): { base?: string; index?: string; disp: IrExpr } {
  const compact = inner.replace(/\s+/g, "");
  const terms = compact.match(/[+-]?(?:'(?:\\x[0-9a-fA-F]{2}|\\.|[^\\'])'|[^+-]+)/g) ?? [];
  let base: string | undefined;
  let index: string | undefined;
  const rest: string[] = [];
  for (const term of terms) {
    const name = term.replace(/^\+/, "").toUpperCase();
    const reg = REGISTER_BY_NAME.get(name.replace(/^-/, ""));
    if (!reg) {
      rest.push(term);
      continue;
    }
    if (name.startsWith("-")) {
      throw new OperandSyntaxError(`a register cannot be subtracted in [${inner}]`);
    }
    if ((reg.name === "BX" || reg.name === "BP") && base === undefined) base = reg.name;
    else if ((reg.name === "SI" || reg.name === "DI") && index === undefined) index = reg.name;
    else {
      throw new OperandSyntaxError(
        `[${inner}] is not a 16-bit address: use at most one of BX/BP and one of SI/DI`,
      );
    }
  }
  const dispText = rest.join("").replace(/^\+/, "");
  const disp = dispText === "" ? { offset: 0 } : parseExpr(dispText);
  if (terms.length === 0) throw new OperandSyntaxError("empty memory operand []");
  return { base, index, disp };
}

/** Formats an expression the way it reads in source (`msg+2`, `-3`). */
export function formatExpr(e: IrExpr): string {
  if (e.label === undefined) return String(e.offset);
  if (e.offset === 0) return e.label;
  return `${e.label}${e.offset > 0 ? "+" : "-"}${Math.abs(e.offset)}`;
}
