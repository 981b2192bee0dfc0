/**
 * The `.pxs` text form → the AST. One statement per line:
 *
 * ```text
 * ORG 0x7C00                 ; load address
 * FUNC main                  ; a function: also a global label; .labels inside are local
 *     MOV SI, msg
 * .next:  LODSB              ; a local label, scoped to main
 *     REP STOSB              ; prefix + string instruction
 *     SYSCALL print_char     ; a named syscall (each backend lowers it)
 * ENDFUNC
 * msg: STRING "Hi\n"         ; data (laid out after the code): STRING BYTE/DB WORD/DW RESB TIMES
 * ```
 *
 * @module
 */
import {
  type IrData,
  type IrDataType,
  type IrInstruction,
  type IrNotes,
  type IrPlace,
  notesOf,
  type PlacedProgram,
} from "./ast.ts";
import { INSTRUCTION_BY_OP, IR_VERSION, PREFIXES, SYSCALL_BY_NAME } from "./isa.ts";
import {
  assembleError,
  LABEL_PATTERN,
  OperandSyntaxError,
  parseNumber,
  parsePxiOperand,
  unescapePxi,
} from "./operands.ts";

/** Splits on commas outside quotes; each piece with its column. */
export function splitOperands(text: string, startCol: number): { text: string; col: number }[] {
  const out: { text: string; col: number }[] = [];
  let start = 0;
  let quote = "";
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (quote !== "") {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "," || i === text.length) {
      const piece = text.slice(start, i);
      out.push({
        text: piece.trim(),
        col: startCol + start + (piece.length - piece.trimStart().length),
      });
      start = i + 1;
    }
  }
  return out.length === 1 && out[0].text === "" ? [] : out;
}

/** Finds where a `;` comment starts outside quotes, or -1. */
function commentStart(line: string): number {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote !== "") {
      if (ch === "\\") i++;
      else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ";") return i;
  }
  return -1;
}

const DATA_ALIASES: Record<string, IrDataType> = {
  STRING: "STRING",
  BYTE: "BYTE",
  DB: "BYTE",
  WORD: "WORD",
  DW: "WORD",
  RESB: "RESB",
};

/**
 * Parses `.pxs` text.
 *
 * @param text the source
 * @param file its name, for errors
 * @example
 * ```ts
 * import { parsePxs } from "@pxos/core";
 * const { program } = parsePxs("ORG 0x7C00\nMOV AL, 'A'\nSYSCALL print_char\n", "a.pxs");
 * console.log(program.origin, program.instructions.length); // 31744 2
 * ```
 */
export function parsePxs(text: string, file = "<source>"): PlacedProgram {
  const program = {
    source: file,
    ir_version: IR_VERSION,
    origin: 0,
    instructions: [] as IrInstruction[],
    data: [] as IrData[],
  };
  const places: IrPlace[] = [];
  const dataPlaces: IrPlace[] = [];
  let func: string | undefined;
  let orgSeen = false;
  // Labels waiting for the next statement: data labels them when it is data, else LABEL ops.
  let pending: { name: string; place: IrPlace }[] = [];
  const flushLabels = () => {
    for (const { name, place } of pending) {
      program.instructions.push({ op: "LABEL", operands: { name } });
      places.push(place);
    }
    pending = [];
  };

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const cut = commentStart(raw);
    const note = cut < 0 ? {} : parseNote(raw.slice(cut + 1));
    let body = cut < 0 ? raw : raw.slice(0, cut);
    let col = 1;
    const place = (c: number): IrPlace => ({ file, line, col: c, text: raw });
    for (;;) {
      const m = /^(\s*)([.A-Za-z_$][\w.$]*)\s*:/.exec(body);
      if (!m) break;
      const name = m[2];
      const at = col + m[1].length;
      if (!LABEL_PATTERN.test(name)) {
        assembleError(
          place(at),
          `bad label name ${JSON.stringify(name)} (expected name or .local)`,
          at,
        );
      }
      pending.push({ name, place: place(at) });
      col += m[0].length;
      body = body.slice(m[0].length);
    }
    const lead = body.length - body.trimStart().length;
    const stmt = body.trim();
    if (stmt === "") return; // a comment alone on its line is not part of the AST
    const opCol = col + lead;
    const word = /^\S+/.exec(stmt)![0];
    const upper = word.toUpperCase();
    const restText = stmt.slice(word.length);
    const restCol = opCol + word.length + (restText.length - restText.trimStart().length);
    const rest = restText.trim();
    const here = place(opCol);

    if (upper === "ORG") {
      const n = parseNumber(rest);
      if (n === undefined || n < 0 || n > 0xffff) {
        assembleError(
          here,
          `ORG expects an address 0..0xFFFF, found ${JSON.stringify(rest)}`,
          restCol,
        );
      }
      if (orgSeen || program.instructions.length > 0) {
        assembleError(here, "ORG must come once, before any code", opCol);
      }
      orgSeen = true;
      program.origin = n!;
      return;
    }
    if (upper === "TIMES" || upper in DATA_ALIASES) {
      const item = parseData(upper, rest, restCol, here, func);
      if (pending.length > 1) {
        assembleError(pending[0].place, "only one label may name a data item");
      }
      const label = pending.length === 1 ? qualify(pending[0].name, func) : null;
      pending = [];
      program.data.push({ label, ...item, ...notesOf(note) });
      dataPlaces.push(here);
      return;
    }
    flushLabels();
    // FUNC nesting and names are checked by checkPxi (for text and JSON alike); the parser only
    // tracks the FUNC to qualify local data labels.
    if (upper === "FUNC") {
      func = rest;
      push({ op: "FUNC", operands: { name: rest } }, here, { name: restCol });
      return;
    }
    if (upper === "ENDFUNC") {
      if (rest !== "") {
        assembleError(here, `ENDFUNC takes no operands, found ${JSON.stringify(rest)}`, restCol);
      }
      func = undefined;
      push({ op: "ENDFUNC", operands: {} }, here, {});
      return;
    }
    if (upper === "SYSCALL") {
      const name = rest.toLowerCase();
      if (!SYSCALL_BY_NAME.has(name)) {
        assembleError(
          here,
          `unknown SYSCALL ${JSON.stringify(rest)} (expected one of ${
            [...SYSCALL_BY_NAME.keys()].join(", ")
          })`,
          restCol,
        );
      }
      push({ op: "SYSCALL", operands: { name } }, here, { name: restCol });
      return;
    }
    let op = upper;
    let operandText = rest;
    let operandCol = restCol;
    let prefix: string | undefined;
    if (PREFIXES.has(upper)) {
      const m = /^(\S+)(\s*)(.*)$/.exec(rest);
      if (!m) assembleError(here, `${upper} must be followed by a string instruction`);
      prefix = upper;
      op = m![1].toUpperCase();
      operandText = m![3];
      operandCol = restCol + m![1].length + m![2].length;
    }
    const spec = INSTRUCTION_BY_OP.get(op);
    if (!spec) {
      assembleError(
        here,
        `unknown instruction ${JSON.stringify(prefix ? op : word)}`,
        prefix ? restCol : opCol,
      );
    }
    if (prefix && !spec!.repeatable) {
      assembleError(
        here,
        `${prefix} applies to string instructions (LODSB, STOSB, MOVSB, …), not ${op}`,
      );
    }
    const pieces = splitOperands(operandText, operandCol);
    const operands: Record<string, string> = {};
    const cols: Record<string, number> = {};
    checkOperandCount(op, pieces.length, here);
    pieces.forEach((p, i) => {
      if (p.text === "") assembleError(here, `empty operand ${i + 1} of ${op}`, p.col);
      operands[spec!.roles[i]] = p.text;
      cols[spec!.roles[i]] = p.col;
      try {
        parsePxiOperand(p.text);
      } catch (e) {
        if (e instanceof OperandSyntaxError) assembleError(here, e.message, p.col);
        throw e;
      }
    });
    push({ op, operands, ...(prefix ? { prefix } : {}) }, here, cols);

    function push(ins: IrInstruction, at: IrPlace, c: Record<string, number>) {
      program.instructions.push(Object.assign(ins, notesOf(note)));
      places.push({ ...at, cols: c });
    }
  });
  flushLabels();
  return { program, places, dataPlaces };
}

/**
 * A comment; `;@file:line rest` also carries the higher-level source place (how the text form
 * keeps the JSON form's `source_file`/`source_line`).
 */
function parseNote(text: string): IrNotes {
  const m = /^@(.*):(\d+)(?:\s(.*))?$/.exec(text.trim());
  const comment = (m ? m[3] ?? "" : text).trim() || undefined;
  if (!m) return { comment };
  return { comment, source_line: Number(m[2]), ...(m[1] !== "" ? { source_file: m[1] } : {}) };
}

/** Checks the number of operands against the ISA row (shared with the JSON reader). */
export function checkOperandCount(op: string, count: number, place: IrPlace): void {
  const spec = INSTRUCTION_BY_OP.get(op)!;
  if (count < spec.minOperands || count > spec.roles.length) {
    const want = spec.minOperands === spec.roles.length
      ? `${spec.roles.length}`
      : `${spec.minOperands}–${spec.roles.length}`;
    assembleError(
      place,
      `${op} takes ${want} operand(s)${
        spec.roles.length ? ` (${spec.roles.join(", ")})` : ""
      }, found ${count}`,
    );
  }
}

/** A local data label (`.msg`) is stored qualified by its function (`main.msg`). */
function qualify(name: string, func: string | undefined): string {
  return name.startsWith(".") && func !== undefined ? `${func}${name}` : name;
}

function parseData(
  word: string,
  rest: string,
  restCol: number,
  here: IrPlace,
  func: string | undefined,
): Omit<IrData, "label"> {
  let times: number | undefined;
  let kind = word;
  let body = rest;
  let col = restCol;
  if (word === "TIMES") {
    const m = /^(\S+)\s+(\S+)(\s*)(.*)$/.exec(rest);
    const n = m ? parseNumber(m[1]) : undefined;
    if (!m || n === undefined || n < 0 || n > 0xffff || !(m[2].toUpperCase() in DATA_ALIASES)) {
      assembleError(
        here,
        `TIMES expects a count 0..65535 and DB/DW/BYTE/WORD, found ${JSON.stringify(rest)}`,
        restCol,
      );
    }
    times = n;
    kind = m![2].toUpperCase();
    col = restCol + rest.indexOf(m![4]);
    body = m![4];
  }
  const type = DATA_ALIASES[kind];
  const fail = (message: string, at = col): never => assembleError(here, message, at);
  if (type === "STRING") {
    const m = /^"((?:[^"\\]|\\.)*)"$/.exec(body);
    if (!m) fail(`STRING expects one "quoted text", found ${JSON.stringify(body)}`);
    return { type, value: decode(m![1], fail), ...(times !== undefined ? { times } : {}) };
  }
  if (type === "RESB") {
    const n = parseNumber(body);
    if (n === undefined || n < 0 || n > 0xffff || times !== undefined) {
      fail(`RESB expects a count 0..65535, found ${JSON.stringify(body)}`);
    }
    return { type, value: n! };
  }
  const values: (number | string)[] = [];
  for (const piece of splitOperands(body, col)) {
    const str = /^"((?:[^"\\]|\\.)*)"$/.exec(piece.text);
    const n = parseNumber(piece.text);
    if (str && type === "BYTE") values.push(decode(str[1], (m) => fail(m, piece.col)));
    else if (n !== undefined) {
      const [lo, hi] = type === "BYTE" ? [-128, 255] : [-32768, 65535];
      if (n < lo || n > hi) fail(`${kind} value ${n} out of range ${lo}..${hi}`, piece.col);
      values.push(n);
    } else if (type === "WORD" && LABEL_PATTERN.test(piece.text)) {
      values.push(qualify(piece.text, func));
    } else {
      fail(
        `${kind} expects ${type === "BYTE" ? "numbers or strings" : "numbers or labels"}, found ${
          JSON.stringify(piece.text)
        }`,
        piece.col,
      );
    }
  }
  if (values.length === 0) fail(`${kind} needs at least one value`);
  return { type, value: values, ...(times !== undefined ? { times } : {}) };
}

function decode(body: string, fail: (m: string) => never): string {
  try {
    return unescapePxi(body);
  } catch (e) {
    if (e instanceof OperandSyntaxError) fail(e.message);
    throw e;
  }
}
