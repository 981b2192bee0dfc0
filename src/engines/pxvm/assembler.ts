/**
 * pxVM assembler: text → `.pxvm` bytes, two passes (sizes and labels, then bytes).
 *
 * Syntax, one statement per line; `;` or `#` start a comment:
 *
 * ```text
 * .header start          ; optional: write the 8-byte PXVM header with this entry
 * .file "a.pxvmasm"      ; where the following code came from (debug section; .loc line too)
 * start:                 ; a label (may share a line with a statement)
 *     IMM32 R1, 100      ; mnemonics and registers are case-insensitive
 *     SYSCALL RECT_ID    ; syscall by name or number
 *     JMP start          ; jump targets: labels or numbers
 * msg: .string "Hi\n"    ; UTF-8 bytes, JSON escapes, no terminator
 *     .byte 1, 0x02      ; raw bytes
 * ```
 *
 * An `i32` operand may also be a label (its address) or `len(label)` (the byte length of the
 * `.string`/`.byte` statement at that label).
 *
 * @module
 */
import { syntaxError } from "../source_error.ts";
import { encodeSourceMap, SourceMapRecorder } from "../source_map.ts";
import {
  DEBUG_HEADER_SIZE,
  HEADER_MAGIC,
  HEADER_SIZE,
  HEADER_VERSION,
  HEADER_VERSION_DEBUG,
  instructionLength,
  MEMORY_SIZE,
  OPCODE_BY_NAME,
  type OpcodeSpec,
  type OperandKind,
  SYSCALL_BY_NAME,
} from "./isa.ts";

interface Statement {
  line: number;
  col: number;
  kind: "ins" | "byte" | "string" | "header";
  spec?: OpcodeSpec;
  args: { text: string; col: number }[];
  data?: Uint8Array;
  address: number;
}

const encoder = new TextEncoder();

/** Count of leading whitespace characters. */
function lead(text: string): number {
  return text.length - text.trimStart().length;
}

/** Splits operands on commas outside string literals. */
function splitOperands(text: string, startCol: number): { text: string; col: number }[] {
  const out: { text: string; col: number }[] = [];
  let current = "";
  let currentCol = startCol;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      current += ch;
      if (ch === "\\") current += text[++i] ?? "";
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ",") {
      out.push({ text: current.trim(), col: currentCol + lead(current) });
      current = "";
      currentCol = startCol + i + 1;
      continue;
    }
    current += ch;
  }
  if (current.trim() !== "" || out.length > 0) {
    out.push({ text: current.trim(), col: currentCol + lead(current) });
  }
  return out;
}

/** Removes a `;`/`#` comment that is not inside a string literal. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === ";" || ch === "#") return line.slice(0, i);
  }
  return line;
}

/** Parses a number literal (decimal, 0x hex, 0b binary, optional sign, 'c' character). */
function parseNumber(text: string): number | undefined {
  if (/^'.'$/u.test(text)) return text.codePointAt(1);
  if (!/^[+-]?(0x[0-9a-f]+|0b[01]+|\d+)$/i.test(text)) return undefined;
  const negative = text.startsWith("-");
  const body = text.replace(/^[+-]/, "");
  const value = Number(body.toLowerCase().startsWith("0b") ? parseInt(body.slice(2), 2) : body);
  return negative ? -value : value;
}

/**
 * Assembles pxVM text to bytes.
 *
 * @param source assembly text
 * @param file the file name for error messages
 * @example
 * ```ts
 * import { assemblePxvm } from "@pxos/core";
 * const bytes = assemblePxvm("IMM8 R1, 1\nSYSCALL PRINT_ID\nHALT\n");
 * console.log(bytes.length); // 6
 * ```
 */
export function assemblePxvm(
  source: string,
  file = "<source>",
  options: { debug?: boolean } = {},
): Uint8Array {
  const fail = (line: number, col: number, message: string): never => {
    throw syntaxError(source, file, line, col, message);
  };
  const sourceMap = new SourceMapRecorder(file);
  const labels = new Map<string, number>();
  const lengths = new Map<string, number>();
  const statements: Statement[] = [];
  let address = 0;
  let hasHeader = false;

  source.split(/\r?\n/).forEach((rawLine, index) => {
    const lineNo = index + 1;
    let text = stripComment(rawLine);
    let col = 1;
    const pendingLabels: string[] = [];
    for (;;) {
      const m = /^(\s*)([A-Za-z_.$][\w.$]*)\s*:/.exec(text);
      if (!m) break;
      const name = m[2];
      if (labels.has(name)) fail(lineNo, col + m[1].length, `duplicate label ${name}`);
      labels.set(name, address);
      sourceMap.label(address, name);
      pendingLabels.push(name);
      col += m[0].length;
      text = text.slice(m[0].length);
    }
    const lead = text.length - text.trimStart().length;
    text = text.trim();
    if (text === "") return;
    col += lead;
    const word = /^\S+/.exec(text)![0];
    const args = splitOperands(text.slice(word.length), col + word.length);
    const upper = word.toUpperCase();
    const st: Statement = { line: lineNo, col, kind: "ins", args, address };
    if (upper === ".FILE" || upper === ".LOC") {
      locationDirective(
        sourceMap,
        upper,
        args,
        (message) => fail(lineNo, args[0]?.col ?? col, message),
      );
      return;
    }
    if (upper === ".HEADER") {
      if (statements.length > 0 || address > 0 || hasHeader) {
        fail(lineNo, col, ".header must be the first statement");
      }
      if (args.length !== 1) fail(lineNo, col, ".header expects one entry label or address");
      hasHeader = true;
      st.kind = "header";
    } else if (upper === ".BYTE") {
      if (args.length === 0) fail(lineNo, col, ".byte expects at least one value");
      st.kind = "byte";
      st.data = Uint8Array.from(args, (a) => {
        const v = parseNumber(a.text);
        if (v === undefined || v < -128 || v > 255) {
          fail(lineNo, a.col, `expected a byte value -128–255, found ${JSON.stringify(a.text)}`);
        }
        return v! & 0xff;
      });
    } else if (upper === ".STRING") {
      if (args.length !== 1 || !/^".*"$/s.test(args[0].text)) {
        fail(lineNo, col, '.string expects one double-quoted string, e.g. .string "Hi\\n"');
      }
      let value = "";
      try {
        value = JSON.parse(args[0].text);
      } catch {
        fail(lineNo, args[0].col, `bad string literal ${args[0].text}`);
      }
      st.kind = "string";
      st.data = encoder.encode(value);
    } else {
      const spec = OPCODE_BY_NAME.get(upper);
      if (!spec) fail(lineNo, col, `unknown mnemonic ${JSON.stringify(word)}`);
      if (args.length !== spec!.operands.length) {
        fail(
          lineNo,
          col,
          `${spec!.mnemonic} expects ${spec!.operands.length} operand(s) ` +
            `(${spec!.operands.join(", ") || "none"}), found ${args.length}`,
        );
      }
      st.spec = spec;
    }
    const size = st.kind === "header" ? 0 : st.spec ? instructionLength(st.spec) : st.data!.length;
    for (const name of pendingLabels) lengths.set(name, size);
    if (size > 0) sourceMap.code(address, lineNo);
    address += size;
    if (address > MEMORY_SIZE) {
      fail(lineNo, col, `program exceeds pxVM memory of ${MEMORY_SIZE} bytes`);
    }
    statements.push(st);
  });

  const resolve = (arg: { text: string; col: number }, line: number): number | undefined => {
    const n = parseNumber(arg.text);
    if (n !== undefined) return n;
    const len = /^len\(\s*([A-Za-z_.$][\w.$]*)\s*\)$/i.exec(arg.text);
    if (len) {
      const size = lengths.get(len[1]);
      if (size === undefined) fail(line, arg.col, `len(): unknown label ${len[1]}`);
      return size;
    }
    return labels.get(arg.text);
  };

  const operand = (kind: OperandKind, arg: { text: string; col: number }, line: number) => {
    const what = (expected: string) =>
      fail(line, arg.col, `expected ${expected}, found ${JSON.stringify(arg.text)}`);
    switch (kind) {
      case "reg": {
        const m = /^r([0-7])$/i.exec(arg.text);
        if (!m) what("a register R0–R7");
        return Number(m![1]);
      }
      case "sys": {
        const named = SYSCALL_BY_NAME.get(arg.text.toUpperCase());
        if (named) return named.num;
        const n = parseNumber(arg.text);
        if (n === undefined || n < 0 || n > 255) what("a syscall name or number 0–255");
        return n!;
      }
      case "u8": {
        const n = resolve(arg, line);
        if (n === undefined || n < 0 || n > 255) what("a value 0–255");
        return n!;
      }
      case "addr": {
        const n = resolve(arg, line);
        if (n === undefined || n < 0 || n > 0xffff) what("a label or address 0–65535");
        return n!;
      }
      case "i32": {
        const n = resolve(arg, line);
        if (n === undefined || n < -0x80000000 || n > 0xffffffff) {
          what("a 32-bit number, a label or len(label)");
        }
        return n! | 0;
      }
    }
  };

  // A header with a debug section (version 3) states the image length; a bare program gets one
  // (entry 0, the same image) only to carry the map.
  const debug = options.debug ? encodeSourceMap(sourceMap.build()) : undefined;
  const headerSize = debug ? DEBUG_HEADER_SIZE : hasHeader ? HEADER_SIZE : 0;
  const out = new Uint8Array(headerSize + address + (debug?.length ?? 0));
  let at = 0;
  if (debug && !hasHeader) {
    statements.unshift({ line: 0, col: 1, kind: "header", args: [], address: 0 });
  }
  for (const st of statements) {
    if (st.kind === "header") {
      const entry = st.args.length > 0 ? operand("addr", st.args[0], st.line) : 0;
      const version = debug ? HEADER_VERSION_DEBUG : HEADER_VERSION;
      out.set(HEADER_MAGIC, 0);
      out.set([version & 0xff, version >> 8, entry & 0xff, entry >> 8], 4);
      if (debug) out.set([address & 0xff, (address >> 8) & 0xff, address >> 16, 0], 8);
      at = headerSize;
      continue;
    }
    if (st.data) {
      out.set(st.data, at);
      at += st.data.length;
      continue;
    }
    const spec = st.spec!;
    out[at++] = spec.opcode;
    spec.operands.forEach((kind, i) => {
      const v = operand(kind, st.args[i], st.line);
      if (kind === "i32") {
        out.set([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff], at);
        at += 4;
      } else if (kind === "addr") {
        out.set([v & 0xff, (v >>> 8) & 0xff], at);
        at += 2;
      } else {
        out[at++] = v;
      }
    });
  }
  if (debug) out.set(debug, headerSize + address);
  return out;
}

/** `.file "name"` or `.loc line` (what the disassembler restates from a debug section). */
function locationDirective(
  recorder: SourceMapRecorder,
  directive: string,
  args: { text: string }[],
  fail: (message: string) => never,
): void {
  const found = args.map((a) => a.text).join(", ");
  if (directive === ".FILE") {
    let name: unknown;
    try {
      name = args.length === 1 ? JSON.parse(args[0].text) : undefined;
    } catch {
      name = undefined;
    }
    if (typeof name !== "string") fail(`expected .file "name", found "${found}"`);
    recorder.file(name as string);
    return;
  }
  const line = args.length === 1 ? parseNumber(args[0].text) : undefined;
  if (line === undefined || line < 1) fail(`expected .loc <line ≥ 1>, found "${found}"`);
  recorder.loc(line!);
}
