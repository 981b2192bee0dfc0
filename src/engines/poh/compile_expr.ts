/**
 * Code emission for the PohLang compiler: slots and upvalues, instructions with their line
 * table, and expressions (with the specialised instructions the VM has fast paths for). The
 * statement forms live in `compiler.ts`.
 *
 * @module
 */
import type { Expr, FuncDef } from "./ast.ts";
import { BUILTIN_INDEX } from "./builtins.ts";
import { Op } from "./isa.ts";
import type { LineEntry, PohConst, PohProto, UpvalueDesc } from "./module.ts";
import { type FunctionScope, resolveName, type ScopeInfo } from "./scope.ts";

/** What a function's emitter needs from the module being compiled. */
export interface ModuleContext {
  readonly scopes: ScopeInfo;
  /** The function that runs an imported file (compiled once, on first use). */
  moduleFunction(index: number): number;
  readonly globalIndex: Map<string, number>;
  /** Every function compiled so far (function 0 is main). */
  readonly functions: PohProto[];
  /** Index of a constant in the deduplicated pool. */
  constant(v: PohConst): number;
}

const COMPARE_JUMP: Record<string, number> = {
  "<": Op.JUMP_IF_NOT_LT,
  "<=": Op.JUMP_IF_NOT_LE,
  ">": Op.JUMP_IF_NOT_GT,
  ">=": Op.JUMP_IF_NOT_GE,
  "==": Op.JUMP_IF_NOT_EQ,
  "!=": Op.JUMP_IF_NOT_NE,
};

const COMPARE_JUMP_LK: Record<string, number> = {
  "<": Op.JUMP_IF_NOT_LT_LK,
  "<=": Op.JUMP_IF_NOT_LE_LK,
  ">": Op.JUMP_IF_NOT_GT_LK,
  ">=": Op.JUMP_IF_NOT_GE_LK,
  "==": Op.JUMP_IF_NOT_EQ_LK,
  "!=": Op.JUMP_IF_NOT_NE_LK,
};

/** The instructions that read or write a variable, by where it lives. */
interface AccessOps {
  readonly cell: number;
  readonly local: number;
  readonly upvalue: number;
  readonly global: number;
}

const LOAD_OPS: AccessOps = {
  cell: Op.LOAD_CELL,
  local: Op.LOAD_LOCAL,
  upvalue: Op.LOAD_UPVAL,
  global: Op.LOAD_GLOBAL,
};

const STORE_OPS: AccessOps = {
  cell: Op.STORE_CELL,
  local: Op.STORE_LOCAL,
  upvalue: Op.STORE_UPVAL,
  global: Op.STORE_GLOBAL,
};

const BINARY_OP: Record<string, number> = {
  "+": Op.ADD,
  "-": Op.SUB,
  "*": Op.MUL,
  "/": Op.DIV,
  "%": Op.MOD,
  "==": Op.EQ,
  "!=": Op.NE,
  "<": Op.LT,
  "<=": Op.LE,
  ">": Op.GT,
  ">=": Op.GE,
};

/** Emits one function's code; `FunctionCompiler` adds the statements. */
export abstract class CodeEmitter {
  readonly proto: PohProto;
  protected readonly code: number[] = [];
  protected readonly lines: LineEntry[] = [];
  protected readonly slots = new Map<string, number>();
  protected readonly cells: Set<string>;
  protected readonly upvalIndex = new Map<string, number>();
  protected cellsReady = false;
  protected line: number;
  protected file: string;

  constructor(
    protected readonly mc: ModuleContext,
    protected readonly parent: CodeEmitter | null,
    readonly scope: FunctionScope | null,
    file: string,
    def?: FuncDef,
  ) {
    this.file = file;
    this.line = def?.line ?? 1;
    this.cells = scope ? scope.captured : new Set();
    const params = def?.params ?? [];
    this.proto = {
      name: def?.name ?? "main",
      file,
      line: this.line,
      paramCount: params.length,
      requiredCount: params.filter((p) => p.default === null).length,
      localNames: [],
      upvalues: [],
      code: new Int32Array(0),
      lines: this.lines,
    };
    for (const name of scope?.locals ?? []) this.newSlot(name);
  }

  protected newSlot(name: string): number {
    const i = this.proto.localNames.length;
    this.proto.localNames.push(name);
    if (!name.startsWith("(")) this.slots.set(name, i);
    return i;
  }

  /** Compiles `operands` in order, then emits `op` with its immediate operands. */
  protected emitAfter(operands: readonly Expr[], op: number, ...immediates: number[]): void {
    for (const e of operands) this.expr(e);
    this.emit(op, ...immediates);
  }

  protected emit(op: number, ...operands: number[]): number {
    const pc = this.code.length;
    const last = this.lines[this.lines.length - 1];
    if (!last || last.line !== this.line || last.file !== this.file) {
      if (last && last.pc === pc) this.lines.pop();
      this.lines.push({ pc, file: this.file, line: this.line });
    }
    this.code.push(op, ...operands);
    return pc;
  }

  /** Emits a jump with a placeholder target; returns the operand's position for `patch`. */
  protected emitJump(op: number, ...before: number[]): number {
    this.emit(op, ...before, -1);
    return this.code.length - 1;
  }

  protected patch(at: number): void {
    this.code[at] = this.code.length;
  }

  protected get here(): number {
    return this.code.length;
  }

  protected temp(label: string): number {
    return this.newSlot(`(${label})`);
  }

  // --- variables -------------------------------------------------------------------------

  protected load(name: string): void {
    this.access(name, LOAD_OPS);
  }

  protected store(name: string): void {
    this.access(name, STORE_OPS);
  }

  /** Emits the load or store of `name` for where it lives: cell, local slot, upvalue, global. */
  private access(name: string, ops: AccessOps): void {
    const r = resolveName(this.scope, name);
    if (r.kind === "local") {
      const slot = this.slots.get(name)!;
      this.emit(this.cells.has(name) && this.cellsReady ? ops.cell : ops.local, slot);
    } else if (r.kind === "outer") this.emit(ops.upvalue, this.upvalue(name));
    else this.emit(ops.global, this.mc.globalIndex.get(name)!);
  }

  /** Upvalue index for `name`, threading it through every enclosing function (Lua-style). */
  upvalue(name: string): number {
    const known = this.upvalIndex.get(name);
    if (known !== undefined) return known;
    const parent = this.parent!;
    const desc: UpvalueDesc = parent.scope?.localSet.has(name)
      ? { fromParentLocal: true, index: parent.slots.get(name)!, name }
      : { fromParentLocal: false, index: parent.upvalue(name), name };
    const i = this.proto.upvalues.length;
    this.proto.upvalues.push(desc);
    this.upvalIndex.set(name, i);
    return i;
  }

  protected isPlainLocal(name: string): boolean {
    return resolveName(this.scope, name).kind === "local" && !this.cells.has(name);
  }

  // --- expressions -----------------------------------------------------------------------

  /** Compiles a condition; returns the jump to patch with the "condition false" target. */
  protected condJump(cond: Expr): number {
    if (cond.kind === "binary" && COMPARE_JUMP[cond.op] !== undefined) {
      const k = constantOf(cond.right);
      if (cond.left.kind === "name" && this.isPlainLocal(cond.left.name) && k !== undefined) {
        const slot = this.slots.get(cond.left.name)!;
        return this.emitJump(COMPARE_JUMP_LK[cond.op], slot, this.mc.constant(k));
      }
      this.expr(cond.left);
      this.expr(cond.right);
      return this.emitJump(COMPARE_JUMP[cond.op]);
    }
    this.expr(cond);
    return this.emitJump(Op.JUMP_IF_FALSE);
  }

  protected expr(e: Expr): void {
    switch (e.kind) {
      case "num":
      case "str":
        this.emit(Op.CONST, this.mc.constant(e.value));
        return;
      case "bool":
        this.emit(e.value ? Op.TRUE : Op.FALSE);
        return;
      case "null":
        this.emit(Op.NULL);
        return;
      case "name":
        this.load(e.name);
        return;
      case "list":
        return this.emitAfter(e.items, Op.MAKE_LIST, e.items.length);
      case "dict":
        for (const [k, v] of e.entries) {
          this.expr(k);
          this.expr(v);
        }
        this.emit(Op.MAKE_DICT, e.entries.length);
        return;
      case "binary":
        if (
          (e.op === "+" || e.op === "-") && e.right.kind === "num" && e.left.kind === "name" &&
          this.isPlainLocal(e.left.name)
        ) {
          const op = e.op === "+" ? Op.LOCAL_ADD_CONST : Op.LOCAL_SUB_CONST;
          this.emit(op, this.slots.get(e.left.name)!, this.mc.constant(e.right.value));
          return;
        }
        this.expr(e.left);
        if ((e.op === "+" || e.op === "-") && e.right.kind === "num") {
          this.emit(e.op === "+" ? Op.ADD_CONST : Op.SUB_CONST, this.mc.constant(e.right.value));
          return;
        }
        this.expr(e.right);
        this.emit(BINARY_OP[e.op]);
        return;
      case "logical": {
        this.expr(e.left);
        const short = this.emitJump(e.op === "and" ? Op.JUMP_IF_FALSE : Op.JUMP_IF_TRUE);
        this.expr(e.right);
        this.emit(Op.TO_BOOL);
        const toEnd = this.emitJump(Op.JUMP);
        this.patch(short);
        this.emit(e.op === "and" ? Op.FALSE : Op.TRUE);
        this.patch(toEnd);
        return;
      }
      case "not":
        return this.emitAfter([e.operand], Op.NOT);
      case "neg":
        return this.emitAfter([e.operand], Op.NEG);
      case "index":
        return this.emitAfter([e.target, e.index], Op.INDEX);
      case "call":
        if (e.callee.kind === "name" && resolveName(this.scope, e.callee.name).kind === "global") {
          const g = this.mc.globalIndex.get(e.callee.name)!;
          return this.emitAfter(e.args, Op.CALL_GLOBAL, g, e.args.length);
        }
        return this.emitAfter([e.callee, ...e.args], Op.CALL, e.args.length);
      case "builtin":
        return this.emitAfter(e.args, Op.BUILTIN, BUILTIN_INDEX.get(e.name)!, e.args.length);
      case "higher":
        return this.higher(e);
    }
  }

  /**
   * Evaluates what a `For each` (or `map`, …) walks into a hidden local, with a position local
   * set to 0; `FOR_NEXT list position` then yields the items.
   */
  protected startWalk(iterable: Expr, what: string): [number, number] {
    const list = this.temp(`${what} items`);
    const index = this.temp(`${what} position`);
    this.expr(iterable);
    this.emit(Op.CONST, this.mc.constant(what));
    this.emit(Op.BUILTIN, BUILTIN_INDEX.get("iterItems")!, 2);
    this.emit(Op.STORE_LOCAL, list);
    this.emit(Op.CONST, this.mc.constant(0));
    this.emit(Op.STORE_LOCAL, index);
    return [list, index];
  }

  /** `map(xs, f)`, `filter(xs, f)`, `reduce(xs, f, start)` as an inline loop calling `f`. */
  private higher(e: Extract<Expr, { kind: "higher" }>): void {
    const [list, index] = this.startWalk(e.args[0], e.op);
    const fn = this.temp(`${e.op} function`);
    const item = this.temp(`${e.op} item`);
    const acc = this.temp(`${e.op} result`);
    const append = BUILTIN_INDEX.get("appendInPlace")!;
    this.expr(e.args[1]);
    this.emit(Op.CONST, this.mc.constant(e.op));
    this.emit(Op.BUILTIN, BUILTIN_INDEX.get("expectFunction")!, 2);
    this.emit(Op.STORE_LOCAL, fn);
    if (e.op === "reduce") this.expr(e.args[2]);
    else this.emit(Op.MAKE_LIST, 0);
    this.emit(Op.STORE_LOCAL, acc);
    const top = this.here;
    const done = this.emitJump(Op.FOR_NEXT, list, index);
    this.emit(Op.STORE_LOCAL, item);
    this.emit(Op.LOAD_LOCAL, fn);
    if (e.op === "reduce") this.emit(Op.LOAD_LOCAL, acc);
    this.emit(Op.LOAD_LOCAL, item);
    this.emit(Op.CALL, e.op === "reduce" ? 2 : 1);
    if (e.op === "reduce") this.emit(Op.STORE_LOCAL, acc);
    else {
      if (e.op === "filter") {
        this.emit(Op.JUMP_IF_FALSE, top);
        this.emit(Op.LOAD_LOCAL, item);
      }
      this.emit(Op.LOAD_LOCAL, acc);
      this.emit(Op.BUILTIN, append, 2);
      this.emit(Op.POP);
    }
    this.emit(Op.JUMP, top);
    this.patch(done);
    this.emit(Op.LOAD_LOCAL, acc);
  }
}

/** The constant value of a literal expression, if it is one. */
function constantOf(e: Expr): number | string | undefined {
  return e.kind === "num" || e.kind === "str" ? e.value : undefined;
}
