/**
 * The one AST of PXI Assembly. The text form (`.pxs`) and the JSON form (`.pxi.json`) both parse
 * to it and print from it, so they round-trip.
 *
 * @module
 */

/** Where a node came from, for errors and source maps. */
export interface IrPlace {
  /** The IR file (text or JSON). */
  file: string;
  /** 1-based line in the IR text (for JSON input: the instruction's index + 1). */
  line: number;
  /** 1-based column. */
  col: number;
  /** The IR line's text, for the caret in error messages. */
  text: string;
  /** Column of each operand by role, when known. */
  cols?: Record<string, number>;
}

/** A value: a number, optionally plus a label's address (`msg+2`, `$`). */
export interface IrExpr {
  /** A label as written (`msg`, `.loop`), `$` for the current instruction, or undefined. */
  label?: string;
  /** The constant part. */
  offset: number;
}

/** One operand. */
export type IrOperand =
  | { kind: "reg"; name: string }
  | { kind: "imm"; value: IrExpr }
  | {
    kind: "mem";
    /** `BYTE`/`WORD` when written. */
    size?: 8 | 16;
    /** BX or BP. */
    base?: string;
    /** SI or DI. */
    index?: string;
    /** Displacement (may name a label). */
    disp: IrExpr;
  };

/** The optional notes a code or data node carries. */
export interface IrNotes {
  /** The comment on the line. */
  comment?: string;
  /** A line in the higher-level source. */
  source_line?: number;
  /** The higher-level source file. */
  source_file?: string;
}

/** One statement of the code stream. */
export interface IrInstruction extends IrNotes {
  /** A mnemonic from the ISA table, or a pseudo-op: `LABEL`, `FUNC`, `ENDFUNC`, `SYSCALL`. */
  op: string;
  /** Operands by role (`dst`, `src`, `target`, `value`, `name`), each as canonical text. */
  operands: Record<string, string>;
  /** `REP`, `REPE`, `REPNE` before a string instruction. */
  prefix?: string;
}

/** Data kinds. */
export type IrDataType = "STRING" | "BYTE" | "WORD" | "RESB";

/** One data item; all data is laid out after the code, in order. */
export interface IrData extends IrNotes {
  /** Its label, or null for a continuation of the previous item. */
  label: string | null;
  /** What it is. */
  type: IrDataType;
  /**
   * STRING: the text. BYTE/WORD: numbers, label names (WORD only) or strings (BYTE only).
   * RESB: the count.
   */
  value: string | number | (number | string)[];
  /** Repeat count (`TIMES n DB …`); absent means 1. */
  times?: number;
}

/** A whole program. This is also exactly the `.pxi.json` document. */
export interface IrProgram {
  /** The file it came from (or the higher-level source that produced it). */
  source: string;
  /** The IR version (see `IR_VERSION`). */
  ir_version: number;
  /** Load address (`ORG`). */
  origin: number;
  /** The code stream. */
  instructions: IrInstruction[];
  /** The data, laid out after the code. */
  data: IrData[];
}

/** A program with each node's place (kept beside the AST, like clox's line table). */
export interface PlacedProgram {
  /** The AST. */
  program: IrProgram;
  /** The place of each instruction, same index. */
  places: IrPlace[];
  /** The place of each data item, same index. */
  dataPlaces: IrPlace[];
}

/** Only the notes that are set (so the JSON form never holds `undefined`), in the JSON order. */
export function notesOf(node: IrNotes): IrNotes {
  const out: IrNotes = {};
  if (node.comment !== undefined) out.comment = node.comment;
  if (node.source_line !== undefined) out.source_line = node.source_line;
  if (node.source_file !== undefined) out.source_file = node.source_file;
  return out;
}
