/**
 * The checks every program passes before a backend runs: FUNC/ENDFUNC nesting, labels (defined,
 * not duplicated, local labels only inside their own FUNC), and each instruction's operand form
 * and sizes (asked of the x86 encoder, the one module that knows the forms). The result is the
 * program with operands parsed and every label reference qualified (`.loop` → `main.loop`).
 *
 * @module
 */
import type { IrData, IrExpr, IrOperand, IrPlace, PlacedProgram } from "./ast.ts";
import { INSTRUCTION_BY_OP, type InstructionSpec, REGISTER_BY_NAME } from "./isa.ts";
import { assembleError, LABEL_PATTERN, parsePxiOperand } from "./operands.ts";
import { validateX86Form } from "./x86/encode.ts";
import { pxiDataSize } from "./data.ts";

/** Code and data together must fit one 64 KiB segment. */
const MAX_PROGRAM_BYTES = 0x10000;

/** One checked code statement. */
export type CheckedStatement =
  | { kind: "label"; name: string; index: number; place: IrPlace }
  | {
    kind: "ins";
    /** Index into the AST's `instructions`. */
    index: number;
    spec: InstructionSpec;
    /** Operands in role order, labels qualified. */
    operands: IrOperand[];
    prefix?: string;
    place: IrPlace;
  }
  | { kind: "syscall"; name: string; index: number; place: IrPlace };

/** A checked program, ready for a backend. */
export interface CheckedProgram {
  /** Load address. */
  origin: number;
  /** The code, in order. */
  statements: CheckedStatement[];
  /** The data (labels qualified), laid out after the code. */
  data: IrData[];
  /** Places of the data items. */
  dataPlaces: IrPlace[];
  /** The placed AST it came from. */
  placed: PlacedProgram;
}

/** Whether a name is one the backends reserve for their runtime routines. */
export function isRuntimeName(name: string): boolean {
  return name.startsWith("__pxi_");
}

/**
 * Checks a parsed program.
 *
 * @param placed the parsed program
 * @param allowRuntimeNames true only for the backends' own runtime routines
 * @example
 * ```ts
 * import { checkPxi, parsePxs } from "@pxos/core";
 * const checked = checkPxi(parsePxs("FUNC f\n.l: JMP .l\nENDFUNC\n", "a.pxs"));
 * console.log(checked.statements.length); // 3
 * ```
 */
export function checkPxi(placed: PlacedProgram, allowRuntimeNames = false): CheckedProgram {
  const { program, places, dataPlaces } = placed;
  const defined = new Map<string, IrPlace>();
  const define = (name: string, place: IrPlace) => {
    if (!LABEL_PATTERN.test(name) || REGISTER_BY_NAME.has(name.toUpperCase())) {
      assembleError(
        place,
        `bad label name ${
          JSON.stringify(name)
        } (expected name, .local or func.local; not a register)`,
      );
    }
    if (!allowRuntimeNames && isRuntimeName(name)) {
      assembleError(
        place,
        `label ${name}: names starting with __pxi_ are reserved for the backends`,
      );
    }
    const before = defined.get(name);
    if (before) {
      assembleError(place, `duplicate label ${name} (first defined at line ${before.line})`);
    }
    defined.set(name, place);
  };
  // Pass 1: scopes and definitions.
  const funcOf: (string | undefined)[] = [];
  let func: string | undefined;
  program.instructions.forEach((ins, i) => {
    const place = places[i];
    if (ins.op === "FUNC") {
      if (func !== undefined) {
        assembleError(place, `FUNC ${ins.operands.name} inside FUNC ${func}: add ENDFUNC first`);
      }
      func = ins.operands.name;
      if (!/^[A-Za-z_]\w*$/.test(func)) {
        assembleError(place, `FUNC expects a name, found ${JSON.stringify(func)}`);
      }
      define(func, place);
    } else if (ins.op === "ENDFUNC") {
      if (func === undefined) assembleError(place, "ENDFUNC without FUNC");
      func = undefined;
    } else if (ins.op === "LABEL") {
      define(qualifyDefinition(ins.operands.name, func, place), place);
    }
    funcOf.push(func);
  });
  if (func !== undefined) {
    assembleError(
      places[program.instructions.findLastIndex((i) => i.op === "FUNC")],
      `FUNC ${func} has no ENDFUNC`,
    );
  }
  const data = program.data.map((item, i) => {
    if (item.label === null) return item;
    if (item.label.startsWith(".")) {
      assembleError(dataPlaces[i], `data label ${item.label} outside a FUNC`);
    }
    define(item.label, dataPlaces[i]);
    return item;
  });
  let dataBytes = 0;
  for (const [i, item] of data.entries()) {
    dataBytes += pxiDataSize(item);
    if (dataBytes > MAX_PROGRAM_BYTES) {
      assembleError(
        dataPlaces[i],
        `the data reaches ${dataBytes} bytes; a program must fit 64 KiB`,
      );
    }
    if (item.type !== "WORD") continue;
    for (const v of item.value as (number | string)[]) {
      if (typeof v === "string" && !defined.has(v)) {
        assembleError(dataPlaces[i], `undefined label ${v}`);
      }
    }
  }
  // Pass 2: references and forms.
  const statements: CheckedStatement[] = [];
  program.instructions.forEach((ins, index) => {
    const place = places[index];
    const scope = funcOf[index];
    if (ins.op === "FUNC") {
      statements.push({ kind: "label", name: ins.operands.name, index, place });
    } else if (ins.op === "LABEL") {
      statements.push({
        kind: "label",
        name: qualifyDefinition(ins.operands.name, scope, place),
        index,
        place,
      });
    } else if (ins.op === "SYSCALL") {
      statements.push({ kind: "syscall", name: ins.operands.name, index, place });
    } else if (ins.op !== "ENDFUNC") {
      const spec = INSTRUCTION_BY_OP.get(ins.op)!;
      const operands = spec.roles.filter((r) => r in ins.operands).map((role) => {
        const col = place.cols?.[role] ?? place.col;
        const operand = parsePxiOperand(ins.operands[role]);
        const expr = operand.kind === "imm"
          ? operand.value
          : operand.kind === "mem"
          ? operand.disp
          : undefined;
        if (expr) resolveLabel(expr, scope, defined, funcOf, program.instructions, place, col);
        return operand;
      });
      const stmt: CheckedStatement = {
        kind: "ins",
        index,
        spec,
        operands,
        prefix: ins.prefix,
        place,
      };
      const problem = validateX86Form(stmt);
      if (problem !== undefined) {
        assembleError(
          place,
          problem.message,
          place.cols?.[spec.roles[problem.operand ?? 0]] ?? place.col,
        );
      }
      statements.push(stmt);
    }
  });
  return { origin: program.origin, statements, data, dataPlaces, placed };
}

function qualifyDefinition(name: string, func: string | undefined, place: IrPlace): string {
  if (!name.startsWith(".")) return name;
  if (func === undefined) {
    assembleError(place, `local label ${name} outside a FUNC (put it between FUNC and ENDFUNC)`);
  }
  return `${func}${name}`;
}

function resolveLabel(
  expr: IrExpr,
  scope: string | undefined,
  defined: ReadonlyMap<string, IrPlace>,
  funcOf: readonly (string | undefined)[],
  instructions: PlacedProgram["program"]["instructions"],
  place: IrPlace,
  col: number,
): void {
  const name = expr.label;
  if (name === undefined || name === "$") return;
  if (name.startsWith(".")) {
    if (scope === undefined) assembleError(place, `local label ${name} used outside a FUNC`, col);
    const qualified = `${scope}${name}`;
    if (!defined.has(qualified)) {
      const owner = instructions.findIndex((ins, i) =>
        ins.op === "LABEL" && ins.operands.name === name && funcOf[i] !== scope
      );
      const where = owner >= 0 ? ` (it is local to FUNC ${funcOf[owner]})` : "";
      assembleError(place, `local label ${name} is not defined in FUNC ${scope}${where}`, col);
    }
    expr.label = qualified;
    return;
  }
  if (!defined.has(name)) assembleError(place, `undefined label ${name}`, col);
}
