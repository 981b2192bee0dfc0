/**
 * Operand values for the assembler: expressions (`label + 4`, `end - start`), constants, and the
 * data directives (`.byte .word .string .zero`).
 *
 * @module
 */
import { asmError, type LineInfo, type Token } from "./lexer.ts";
import { MAX_MEMORY_BYTES } from "./module.ts";

/** A defined name: a code offset, a data address, or an `.equ` constant. */
export type AsmSymbol = { kind: "code" | "data" | "const"; value: number };
/** One source line's tokens and where it is. */
export type Line = { at: LineInfo; tokens: Token[]; col: number };
/** A data directive placed at `offset` of the data section. */
export type DataItem = { directive: string; args: Token[]; line: Line; offset: number };

/** Whether `t` is the punctuation `text`. */
export function isPunct(t: Token | undefined, text: string): boolean {
  return t?.kind === "punct" && t.text === text;
}

/** Evaluates a constant operand (no labels). */
export function constArg(line: Line, args: Token[], symbols: Map<string, AsmSymbol>): number {
  const v = evaluate(line, args, symbols);
  if (v.data !== 0 || v.code !== 0) {
    asmError(line.at, args[0]?.col ?? line.col, `expected a constant, found a label`);
  }
  return v.value;
}

/** Value of an operand expression: `term ((+|-) term)*`, counting label kinds by sign. */
export function evaluate(
  line: Line,
  args: Token[],
  symbols: Map<string, AsmSymbol>,
): { value: number; data: number; code: number } {
  if (args.length === 0) asmError(line.at, line.col, "expected an operand");
  let value = 0, data = 0, code = 0, i = 0, sign = 1;
  const text = args.map((a) => a.text).join(" ");
  for (;;) {
    let neg = sign;
    while (isPunct(args[i], "-")) {
      neg = -neg;
      i++;
    }
    const t = args[i];
    if (!t) asmError(line.at, line.col, `incomplete operand "${text}"`);
    if (t.kind === "number") value += neg * t.value;
    else if (t.kind === "name") {
      const sym = symbols.get(t.text);
      if (!sym) asmError(line.at, t.col, `undefined label "${t.text}"`);
      value += neg * sym.value;
      if (sym.kind === "data") data += neg;
      if (sym.kind === "code") code += neg;
    } else asmError(line.at, t.col, `expected a number or label, found "${t.text}"`);
    i++;
    if (i >= args.length) break;
    if (!isPunct(args[i], "+") && !isPunct(args[i], "-")) {
      asmError(line.at, args[i].col, `expected + or - in operand, found "${args[i].text}"`);
    }
    sign = args[i].text === "+" ? 1 : -1;
    i++;
  }
  return { value, data, code };
}

/** Checks that `v` fits 32 bits and wraps it to an i32. */
export function i32(line: Line, col: number, v: number): number {
  if (v < -0x80000000 || v > 0xffffffff) {
    asmError(line.at, col, `value ${v} does not fit in 32 bits`);
  }
  return v | 0;
}

/** Writes a little-endian i32. */
export function writeI32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

/** Size in bytes of a data directive. */
export function dataItemSize(
  line: Line,
  directive: string,
  args: Token[],
  symbols: Map<string, AsmSymbol>,
): number {
  if (directive === ".string" || directive === ".ascii") {
    if (args.length !== 1 || args[0].kind !== "string") {
      asmError(line.at, args[0]?.col ?? line.col, `${directive} expects one "string"`);
    }
    return args[0].bytes.length;
  }
  if (directive === ".zero") {
    const n = constArg(line, args, symbols);
    if (n < 0 || n > MAX_MEMORY_BYTES) {
      asmError(line.at, args[0].col, `.zero expects 0–${MAX_MEMORY_BYTES}, found ${n}`);
    }
    return n;
  }
  return splitList(line, args).length * (directive === ".byte" ? 1 : 4);
}

function splitList(line: Line, args: Token[]): Token[][] {
  const items: Token[][] = [[]];
  for (const t of args) {
    if (isPunct(t, ",")) items.push([]);
    else items[items.length - 1].push(t);
  }
  if (items.some((x) => x.length === 0)) {
    asmError(line.at, args[0]?.col ?? line.col, "expected a value list like 1, 2, 3");
  }
  return items;
}

/** Writes a data directive's bytes into the data section. */
export function encodeData(item: DataItem, out: Uint8Array, symbols: Map<string, AsmSymbol>): void {
  const { directive, args, line, offset } = item;
  if (directive === ".string" || directive === ".ascii") {
    if (args[0].kind === "string") out.set(args[0].bytes, offset);
    return;
  }
  if (directive === ".zero") return;
  splitList(line, args).forEach((tokens, k) => {
    const v = constArg(line, tokens, symbols);
    if (directive === ".byte") {
      if (v < -128 || v > 255) {
        asmError(line.at, tokens[0].col, `.byte expects -128–255, found ${v}`);
      }
      out[offset + k] = v & 0xff;
    } else writeI32(out, offset + k * 4, i32(line, tokens[0].col, v));
  });
}
