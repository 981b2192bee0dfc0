/**
 * The JSON form (`.pxi.json`): the AST itself, written with stable key order, and read back
 * with every field checked (it is untrusted input, often written by programs and LLMs).
 *
 * @module
 */
import {
  type IrData,
  type IrDataType,
  type IrInstruction,
  type IrPlace,
  type IrProgram,
  notesOf,
  type PlacedProgram,
} from "./ast.ts";
import { INSTRUCTION_BY_OP, IR_VERSION, PREFIXES, SYSCALL_BY_NAME } from "./isa.ts";
import { assembleError, OperandSyntaxError, parsePxiOperand } from "./operands.ts";
import { checkOperandCount } from "./parse_text.ts";
import { formatData, formatInstruction } from "./print_text.ts";

const PSEUDO_OPS = new Set(["LABEL", "FUNC", "ENDFUNC", "SYSCALL"]);
const DATA_TYPES = new Set<IrDataType>(["STRING", "BYTE", "WORD", "RESB"]);
/** The most instructions or data items one document may hold. */
const MAX_ITEMS = 65536;

/**
 * Writes a program as `.pxi.json` text (keys in the documented order).
 *
 * @example
 * ```ts
 * import { parsePxs, pxiToJson } from "@pxos/core";
 * const json = JSON.parse(pxiToJson(parsePxs("NOP\n", "a.pxs").program));
 * console.log(json.instructions[0].op); // "NOP"
 * ```
 */
export function pxiToJson(program: IrProgram): string {
  const ordered = {
    source: program.source,
    ir_version: program.ir_version,
    origin: program.origin,
    instructions: program.instructions.map((i) => ({
      op: i.op,
      operands: i.operands,
      ...(i.prefix !== undefined ? { prefix: i.prefix } : {}),
      ...notesOf(i),
    })),
    data: program.data.map((d) => ({
      label: d.label,
      type: d.type,
      value: d.value,
      ...(d.times !== undefined ? { times: d.times } : {}),
      ...notesOf(d),
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

type Json = Record<string, unknown>;

/**
 * Reads `.pxi.json` text into the AST; every field is checked and a problem is `E_ASSEMBLE`
 * naming the element (`instructions[3].operands.src`).
 *
 * @example
 * ```ts
 * import { parsePxiJson } from "@pxos/core";
 * const doc = '{"source":"a","ir_version":1,"origin":0,"instructions":[{"op":"NOP","operands":{}}],"data":[]}';
 * console.log(parsePxiJson(doc, "a.pxi.json").program.instructions.length); // 1
 * ```
 */
export function parsePxiJson(text: string, file = "<json>"): PlacedProgram {
  const top: IrPlace = { file, line: 1, col: 1, text: "" };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    assembleError(top, `not JSON: ${(e as Error).message}`);
  }
  const root = object(doc, "the document", top);
  only(root, ["source", "ir_version", "origin", "instructions", "data"], "the document", top);
  if (root.ir_version !== IR_VERSION) {
    assembleError(
      top,
      `ir_version: expected ${IR_VERSION}, found ${JSON.stringify(root.ir_version)}`,
    );
  }
  const origin = root.origin;
  if (!Number.isInteger(origin) || (origin as number) < 0 || (origin as number) > 0xffff) {
    assembleError(top, `origin: expected an integer 0..65535, found ${JSON.stringify(origin)}`);
  }
  const source = typeof root.source === "string"
    ? root.source
    : assembleError(top, "source: expected a string");
  const instructions = list(root.instructions, "instructions", top);
  const data = list(root.data, "data", top);
  const places: IrPlace[] = [];
  const dataPlaces: IrPlace[] = [];
  const program: IrProgram = {
    source,
    ir_version: IR_VERSION,
    origin: origin as number,
    instructions: instructions.map((raw, i) => {
      const where = `instructions[${i}]`;
      const place: IrPlace = { file, line: i + 1, col: 1, text: "" };
      const ins = readInstruction(raw, where, place);
      places.push({ ...place, text: `${where}: ${formatInstruction(ins)}` });
      return ins;
    }),
    data: data.map((raw, i) => {
      const where = `data[${i}]`;
      const place: IrPlace = { file, line: i + 1, col: 1, text: "" };
      const item = readData(raw, where, place);
      dataPlaces.push({ ...place, text: `${where}: ${formatData(item)}` });
      return item;
    }),
  };
  return { program, places, dataPlaces };
}

function object(v: unknown, where: string, place: IrPlace): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    assembleError(place, `${where}: expected an object, found ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  return v as Json;
}

function list(v: unknown, where: string, place: IrPlace): unknown[] {
  if (!Array.isArray(v)) assembleError(place, `${where}: expected an array`);
  if ((v as unknown[]).length > MAX_ITEMS) {
    assembleError(place, `${where}: more than ${MAX_ITEMS} items`);
  }
  return v as unknown[];
}

function only(o: Json, keys: string[], where: string, place: IrPlace): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) {
      assembleError(
        place,
        `${where}: unknown field ${JSON.stringify(k)} (expected ${keys.join(", ")})`,
      );
    }
  }
}

function notes(
  o: Json,
  where: string,
  place: IrPlace,
): Pick<IrInstruction, "comment" | "source_line" | "source_file"> {
  const out: Pick<IrInstruction, "comment" | "source_line" | "source_file"> = {};
  if (o.comment !== undefined) {
    if (typeof o.comment !== "string" || o.comment.includes("\n")) {
      assembleError(place, `${where}.comment: expected one line of text`);
    }
    out.comment = o.comment as string;
  }
  if (o.source_line !== undefined) {
    if (!Number.isInteger(o.source_line) || (o.source_line as number) < 1) {
      assembleError(place, `${where}.source_line: expected a line number ≥ 1`);
    }
    out.source_line = o.source_line as number;
  }
  if (o.source_file !== undefined) {
    if (typeof o.source_file !== "string" || /[\n:]/.test(o.source_file)) {
      assembleError(place, `${where}.source_file: expected a file name without ':' or newline`);
    }
    out.source_file = o.source_file as string;
  }
  return out;
}

function readInstruction(raw: unknown, where: string, place: IrPlace): IrInstruction {
  const o = object(raw, where, place);
  only(o, ["op", "operands", "prefix", "comment", "source_line", "source_file"], where, place);
  if (typeof o.op !== "string") assembleError(place, `${where}.op: expected a mnemonic`);
  const op = (o.op as string).toUpperCase();
  const operandsIn = o.operands === undefined ? {} : object(o.operands, `${where}.operands`, place);
  const operands: Record<string, string> = {};
  for (const [k, v] of Object.entries(operandsIn)) {
    if (typeof v !== "string" && typeof v !== "number") {
      assembleError(place, `${where}.operands.${k}: expected text or a number`);
    }
    operands[k] = String(v);
  }
  const ins: IrInstruction = { op, operands, ...notes(o, where, place) };
  if (PSEUDO_OPS.has(op)) {
    const roles = op === "ENDFUNC" ? [] : ["name"];
    only(operands, roles, `${where}.operands`, place);
    if (roles.length === 1 && typeof operands.name !== "string") {
      assembleError(place, `${where}.operands.name: required for ${op}`);
    }
    if (op === "SYSCALL") {
      operands.name = operands.name.toLowerCase();
      if (!SYSCALL_BY_NAME.has(operands.name)) {
        assembleError(place, `${where}: unknown SYSCALL ${JSON.stringify(operands.name)}`);
      }
    }
    return ins;
  }
  const spec = INSTRUCTION_BY_OP.get(op);
  if (!spec) assembleError(place, `${where}.op: unknown instruction ${JSON.stringify(o.op)}`);
  only(operands, [...spec!.roles], `${where}.operands`, place);
  const count = spec!.roles.findLastIndex((r) => r in operands) + 1;
  if (spec!.roles.slice(0, count).some((r) => !(r in operands))) {
    assembleError(
      place,
      `${where}.operands: ${op} needs ${spec!.roles.slice(0, count).join(", ")}`,
    );
  }
  checkOperandCount(op, count, { ...place, text: "" });
  for (const [role, text] of Object.entries(operands)) {
    try {
      parsePxiOperand(text);
    } catch (e) {
      if (e instanceof OperandSyntaxError) {
        assembleError(place, `${where}.operands.${role}: ${e.message}`);
      }
      throw e;
    }
  }
  // Keep operands in role order, so printing as text lists them in the right order.
  ins.operands = Object.fromEntries(
    spec!.roles.filter((r) => r in operands).map((r) => [r, operands[r]]),
  );
  if (o.prefix !== undefined) {
    const prefix = typeof o.prefix === "string" ? o.prefix.toUpperCase() : "";
    if (!PREFIXES.has(prefix) || !spec!.repeatable) {
      assembleError(place, `${where}.prefix: expected REP/REPE/REPNE on a string instruction`);
    }
    ins.prefix = prefix;
  }
  return ins;
}

function readData(raw: unknown, where: string, place: IrPlace): IrData {
  const o = object(raw, where, place);
  only(
    o,
    ["label", "type", "value", "times", "comment", "source_line", "source_file"],
    where,
    place,
  );
  if (o.label !== null && typeof o.label !== "string") {
    assembleError(place, `${where}.label: expected a name or null`);
  }
  const type = String(o.type).toUpperCase() as IrDataType;
  if (!DATA_TYPES.has(type)) {
    assembleError(place, `${where}.type: expected STRING, BYTE, WORD or RESB`);
  }
  const value = o.value;
  const ok = type === "STRING"
    ? typeof value === "string"
    : type === "RESB"
    ? Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff
    : Array.isArray(value) && value.length > 0 &&
      value.every((v) => Number.isInteger(v) || typeof v === "string");
  if (!ok) {
    assembleError(
      place,
      `${where}.value: wrong for ${type} (STRING: text, RESB: a count, BYTE/WORD: a list)`,
    );
  }
  const item: IrData = {
    label: (o.label as string | null) ?? null,
    type,
    value: value as IrData["value"],
    ...notes(o, where, place),
  };
  if (o.times !== undefined) {
    if (!Number.isInteger(o.times) || (o.times as number) < 0 || (o.times as number) > 0xffff) {
      assembleError(place, `${where}.times: expected 0..65535`);
    }
    item.times = o.times as number;
  }
  return item;
}
