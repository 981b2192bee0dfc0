/**
 * The first producer of PXI: Poh's integer subset → PXI, so a Poh program boots in QEMU and
 * runs on pxVM through the same IR. It reuses Poh's own parser and scope analysis.
 *
 * The subset: 16-bit signed integers (and truth values in conditions); variables; `+ - * / %`
 * (`/` truncates toward zero); comparisons; `and or not`; `If`/`Otherwise`; `While`; `Repeat`;
 * functions of integer parameters with `Return`; `Increase`/`Decrease`; `Write` of text, numbers
 * and `plus` chains of both. Anything else is refused with its line.
 *
 * Code shape: expressions leave their value in AX; globals are data words; a function keeps its
 * parameters and locals in a BP frame (arguments pushed left to right, the caller pops them).
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { Expr, FuncDef, Program, Stmt } from "../../engines/poh/ast.ts";
import { parsePoh } from "../../engines/poh/parser.ts";
import { analyzeScopes } from "../../engines/poh/scope.ts";
import type { IrData, IrInstruction, IrProgram } from "../ast.ts";
import { INSTRUCTION_BY_OP, IR_VERSION } from "../isa.ts";
import { POH_PRINT_NUMBER } from "./print_number.ts";
import { collectLocals, writeParts } from "./subset.ts";

const JUMP_IF: Record<string, string> = {
  "==": "JE",
  "!=": "JNE",
  "<": "JL",
  "<=": "JLE",
  ">": "JG",
  ">=": "JGE",
};
const JUMP_UNLESS: Record<string, string> = {
  "==": "JNE",
  "!=": "JE",
  "<": "JGE",
  "<=": "JG",
  ">": "JLE",
  ">=": "JL",
};
const BOOLEAN_KINDS = new Set(["bool", "logical", "not"]);

/** A function's frame: where each name lives, as a BP-relative operand. */
type Frame = Map<string, string>;

class PohToPxi {
  readonly code: IrInstruction[] = [];
  readonly data: IrData[] = [];
  #labels = 0;
  #line = 0;
  readonly #strings = new Map<string, string>();
  readonly #functions = new Map<string, FuncDef>();

  constructor(readonly file: string) {}

  fail(line: number, message: string): never {
    throw new PxosError("E_ASSEMBLE", `${message} (outside the Poh subset that compiles to PXI)`, {
      file: this.file,
      line,
    });
  }

  /** Emits one instruction, tagged with the Poh line it came from. */
  emit(op: string, ...operands: string[]): void {
    const roles = op === "LABEL" || op === "FUNC" || op === "SYSCALL"
      ? ["name"]
      : INSTRUCTION_BY_OP.get(op)?.roles ?? [];
    this.code.push({
      op,
      operands: Object.fromEntries(operands.map((o, i) => [roles[i], o])),
      source_line: this.#line,
      source_file: this.file,
    });
  }

  label(): string {
    return `.L${this.#labels++}`;
  }

  place(name: string): void {
    this.emit("LABEL", name);
  }

  string(text: string): string {
    let label = this.#strings.get(text);
    if (label === undefined) {
      label = `s${this.#strings.size}`;
      this.#strings.set(text, label);
      this.data.push({ label, type: "STRING", value: text });
    }
    return label;
  }

  program(p: Program, globals: readonly string[]): void {
    for (const s of p.body) if (s.kind === "func") this.#functions.set(s.name, s);
    this.#line = 1;
    this.emit("FUNC", "main");
    for (
      const [op, ...ops] of [
        ["CLI"],
        ["XOR", "AX", "AX"],
        ["MOV", "DS", "AX"],
        ["MOV", "ES", "AX"],
        ["MOV", "SS", "AX"],
        ["MOV", "SP", "0x7C00"],
        ["STI"],
        ["CLD"],
      ]
    ) {
      this.emit(op, ...ops);
    }
    this.block(p.body, undefined);
    this.emit("MOV", "AL", "0");
    this.emit("SYSCALL", "halt");
    this.emit("ENDFUNC");
    for (const def of this.#functions.values()) this.func(def);
    for (const name of globals) this.data.push({ label: `v_${name}`, type: "WORD", value: [0] });
  }

  func(def: FuncDef): void {
    this.#line = def.line;
    const frame: Frame = new Map();
    def.params.forEach((p, i) => {
      if (p.default !== null) this.fail(def.line, `default parameter values (${p.name})`);
      frame.set(p.name, `[BP+${4 + 2 * (def.params.length - 1 - i)}]`);
    });
    const locals = collectLocals(def.body).filter((n) => !frame.has(n));
    locals.forEach((n, i) => frame.set(n, `[BP-${2 * (i + 1)}]`));
    this.emit("FUNC", `f_${def.name}`);
    this.emit("PUSH", "BP");
    this.emit("MOV", "BP", "SP");
    if (locals.length > 0) this.emit("SUB", "SP", String(2 * locals.length));
    this.block(def.body, frame);
    this.emit("XOR", "AX", "AX"); // falling off the end returns 0
    this.place(".return");
    this.emit("MOV", "SP", "BP");
    this.emit("POP", "BP");
    this.emit("RET");
    this.emit("ENDFUNC");
  }

  block(body: Stmt[], frame: Frame | undefined): void {
    for (const s of body) this.statement(s, frame);
  }

  variable(name: string, frame: Frame | undefined, line: number): string {
    const local = frame?.get(name);
    if (local !== undefined) return local;
    if (this.#functions.has(name)) {
      this.fail(line, `${name} is a function; call it with ${name}(…)`);
    }
    return `[v_${name}]`;
  }

  statement(s: Stmt, frame: Frame | undefined): void {
    this.#line = s.line;
    switch (s.kind) {
      case "write":
        this.write(s.value, frame);
        return;
      case "set":
        this.expr(s.value, frame);
        this.emit("MOV", this.variable(s.name, frame, s.line), "AX");
        return;
      case "change":
        this.expr(s.amount, frame);
        this.emit(s.negative ? "SUB" : "ADD", this.variable(s.name, frame, s.line), "AX");
        return;
      case "if": {
        const otherwise = this.label();
        const end = this.label();
        this.condition(s.cond, frame, otherwise);
        this.block(s.then, frame);
        this.emit("JMP", end);
        this.place(otherwise);
        if (s.otherwise) this.block(s.otherwise, frame);
        this.place(end);
        return;
      }
      case "while": {
        const top = this.label();
        const end = this.label();
        this.place(top);
        this.condition(s.cond, frame, end);
        this.block(s.body, frame);
        this.emit("JMP", top);
        this.place(end);
        return;
      }
      case "repeat": {
        const top = this.label();
        const end = this.label();
        this.expr(s.count, frame);
        this.place(top);
        this.emit("CMP", "AX", "0");
        this.emit("JLE", end);
        this.emit("PUSH", "AX");
        this.block(s.body, frame);
        this.emit("POP", "AX");
        this.emit("DEC", "AX");
        this.emit("JMP", top);
        this.place(end);
        return;
      }
      case "func":
        if (frame !== undefined) this.fail(s.line, `a function inside a function (${s.name})`);
        return; // compiled after main
      case "return":
        if (frame === undefined) this.fail(s.line, "Return outside a function");
        if (s.value) this.expr(s.value, frame);
        else this.emit("XOR", "AX", "AX");
        this.emit("JMP", ".return");
        return;
      case "use":
        this.expr(s.call, frame);
        return;
      case "expr":
        this.expr(s.value, frame);
        return;
      default:
        this.fail(s.line, `the ${s.kind} statement`);
    }
  }

  /** Jumps to `otherwise` when the condition is false. */
  condition(e: Expr, frame: Frame | undefined, otherwise: string): void {
    if (e.kind === "binary" && e.op in JUMP_UNLESS) {
      this.operands(e, frame);
      this.emit("CMP", "AX", "BX");
      this.emit(JUMP_UNLESS[e.op], otherwise);
      return;
    }
    this.expr(e, frame);
    this.emit("TEST", "AX", "AX");
    this.emit("JZ", otherwise);
  }

  write(value: Expr, frame: Frame | undefined): void {
    for (const part of writeParts(value)) {
      if (part.kind === "str") {
        if (part.value === "") continue;
        this.emit("MOV", "SI", this.string(part.value));
        this.emit("SYSCALL", "print_string");
      } else {
        if (BOOLEAN_KINDS.has(part.kind) || (part.kind === "binary" && part.op in JUMP_IF)) {
          this.fail(part.line, "Write of a truth value (True/False)");
        }
        this.expr(part, frame);
        this.emit("CALL", "poh_print_number");
      }
    }
    this.emit("SYSCALL", "newline");
  }

  expr(e: Expr, frame: Frame | undefined): void {
    switch (e.kind) {
      case "num":
        this.emit("MOV", "AX", this.number(e.value, e.line));
        return;
      case "bool":
        this.emit("MOV", "AX", e.value ? "1" : "0");
        return;
      case "name":
        this.emit("MOV", "AX", this.variable(e.name, frame, e.line));
        return;
      case "neg":
        this.expr(e.operand, frame);
        this.emit("NEG", "AX");
        return;
      case "not": {
        const done = this.label();
        this.expr(e.operand, frame);
        this.emit("TEST", "AX", "AX");
        this.emit("MOV", "AX", "0");
        this.emit("JNZ", done);
        this.emit("MOV", "AX", "1");
        this.place(done);
        return;
      }
      case "logical": {
        const done = this.label();
        this.expr(e.left, frame);
        this.emit("TEST", "AX", "AX");
        this.emit(e.op === "and" ? "JZ" : "JNZ", done);
        this.expr(e.right, frame);
        this.place(done);
        return;
      }
      case "binary":
        this.binary(e, frame);
        return;
      case "call":
        this.call(e, frame);
        return;
      case "str":
        this.fail(e.line, "text outside Write (the subset computes with integers)");
        break;
      default:
        this.fail(e.line, `the ${e.kind} expression`);
    }
  }

  binary(e: Extract<Expr, { kind: "binary" }>, frame: Frame | undefined): void {
    this.operands(e, frame);
    const jump = JUMP_IF[e.op];
    if (jump !== undefined) {
      const done = this.label();
      this.emit("CMP", "AX", "BX");
      this.emit("MOV", "AX", "1");
      this.emit(jump, done);
      this.emit("MOV", "AX", "0");
      this.place(done);
      return;
    }
    switch (e.op) {
      case "+":
        this.emit("ADD", "AX", "BX");
        return;
      case "-":
        this.emit("SUB", "AX", "BX");
        return;
      case "*":
        this.emit("IMUL", "BX");
        return;
      default:
        this.emit("CWD");
        this.emit("IDIV", "BX");
        if (e.op === "%") this.emit("MOV", "AX", "DX");
    }
  }

  /** A number literal as an operand; the subset's numbers are 16-bit integers. */
  number(value: number, line: number): string {
    if (!Number.isInteger(value) || value < -32768 || value > 32767) {
      this.fail(line, `the number ${value} (the subset has 16-bit integers, -32768..32767)`);
    }
    return String(value);
  }

  /** AX = left, BX = right (a number or a variable goes straight to BX; else via the stack). */
  operands(e: Extract<Expr, { kind: "binary" }>, frame: Frame | undefined): void {
    if (e.left.kind === "str" || e.right.kind === "str") {
      this.fail(e.line, "joining text outside Write");
    }
    const r = e.right;
    if (r.kind === "num" || r.kind === "name") {
      this.expr(e.left, frame);
      this.#line = r.line;
      this.emit(
        "MOV",
        "BX",
        r.kind === "num" ? this.number(r.value, r.line) : this.variable(r.name, frame, r.line),
      );
      return;
    }
    this.expr(e.left, frame);
    this.emit("PUSH", "AX");
    this.expr(e.right, frame);
    this.emit("MOV", "BX", "AX");
    this.emit("POP", "AX");
  }

  call(e: Extract<Expr, { kind: "call" }>, frame: Frame | undefined): void {
    const name = e.callee.kind === "name" ? e.callee.name : undefined;
    const def = name === undefined ? undefined : this.#functions.get(name);
    if (!def) {
      this.fail(
        e.line,
        `calling ${name ?? "a computed function"} (only functions made at top level are callable)`,
      );
    }
    if (e.args.length !== def!.params.length) {
      this.fail(e.line, `${name} takes ${def!.params.length} argument(s), found ${e.args.length}`);
    }
    for (const arg of e.args) {
      this.expr(arg, frame);
      this.emit("PUSH", "AX");
    }
    this.emit("CALL", `f_${name}`);
    if (e.args.length > 0) this.emit("ADD", "SP", String(2 * e.args.length));
  }
}

/**
 * Compiles Poh source (the integer subset) to a PXI program.
 *
 * @param source the Poh text
 * @param file its name (kept as each instruction's `source_file`)
 * @example
 * ```ts
 * import { pohToPxi } from "@pxos/core";
 * const ir = pohToPxi('Start Program\nWrite "Hi"\nEnd Program\n', "hi.poh");
 * console.log(ir.origin === 0x7c00); // true
 * ```
 */
export function pohToPxi(source: string, file: string): IrProgram {
  const program = parsePoh(source, file);
  const scopes = analyzeScopes(program);
  const compiler = new PohToPxi(file);
  compiler.program(
    program,
    scopes.globals.filter((g) => !program.body.some((s) => s.kind === "func" && s.name === g)),
  );
  return {
    source: file,
    ir_version: IR_VERSION,
    origin: 0x7c00,
    instructions:
      compiler.code.some((i) => i.op === "CALL" && i.operands.target === "poh_print_number")
        ? [...compiler.code, ...POH_PRINT_NUMBER.instructions]
        : compiler.code,
    data: compiler.data,
  };
}
