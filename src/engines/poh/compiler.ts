/**
 * PohLang compiler: syntax tree → {@link PohModule}. Variables are resolved to slots at compile
 * time (locals, captured cells, upvalues, globals) using the scope rules of `scope.ts`, and
 * common shapes get specialised instructions (compare-and-jump, `ADD_CONST`, `INC_LOCAL`,
 * `CALL_GLOBAL`) so the VM's dispatch loop does less work.
 *
 * @module
 */
import type { Expr, FuncDef, Program, Stmt } from "./ast.ts";
import { BUILTIN_INDEX } from "./builtins.ts";
import { Op } from "./isa.ts";
import type { LineEntry, PohConst, PohModule, PohProto, UpvalueDesc } from "./module.ts";
import { analyzeScopes, type FunctionScope, resolveName, type ScopeInfo } from "./scope.ts";

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

/**
 * Compiles a loaded program (imports inlined) to a bytecode module.
 *
 * @param program the program from `loadPohProgram`
 * @returns the module, ready for `writePbc` or the VM
 */
export function compileProgram(program: Program): PohModule {
  return new ModuleCompiler(program).compile();
}

class ModuleCompiler {
  readonly consts: PohConst[] = [];
  private readonly constIndex = new Map<string, number>();
  readonly functions: PohProto[] = [];
  readonly scopes: ScopeInfo;
  readonly globalIndex = new Map<string, number>();

  constructor(private readonly program: Program) {
    this.scopes = analyzeScopes(program);
    this.scopes.globals.forEach((g, i) => this.globalIndex.set(g, i));
  }

  compile(): PohModule {
    const main = new FunctionCompiler(this, null, null, this.program.file);
    this.functions.push(main.proto);
    main.compileBody(this.program.body);
    return {
      file: this.program.file,
      consts: this.consts,
      globals: this.scopes.globals,
      functions: this.functions,
    };
  }

  /** Index of a constant, deduplicated by kind and value. */
  constant(v: PohConst): number {
    const key = typeof v === "number"
      ? `n${Object.is(v, -0) ? "-0" : String(v)}`
      : typeof v === "string"
      ? `s${v}`
      : String(v);
    let i = this.constIndex.get(key);
    if (i === undefined) {
      i = this.consts.length;
      this.consts.push(v);
      this.constIndex.set(key, i);
    }
    return i;
  }
}

/** A `try` region the code is inside: `Return` must close it and run its `finally`. */
interface TryContext {
  finally: Stmt[] | null;
}

class FunctionCompiler {
  readonly proto: PohProto;
  private readonly code: number[] = [];
  private readonly lines: LineEntry[] = [];
  private readonly slots = new Map<string, number>();
  private readonly cells: Set<string>;
  private readonly upvalIndex = new Map<string, number>();
  private readonly tries: TryContext[] = [];
  private cellsReady = false;
  private line: number;
  private file: string;

  constructor(
    private readonly mc: ModuleCompiler,
    private readonly parent: FunctionCompiler | null,
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

  private newSlot(name: string): number {
    const i = this.proto.localNames.length;
    this.proto.localNames.push(name);
    if (!name.startsWith("(")) this.slots.set(name, i);
    return i;
  }

  private emit(op: number, ...operands: number[]): number {
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
  private emitJump(op: number, ...before: number[]): number {
    this.emit(op, ...before, -1);
    return this.code.length - 1;
  }

  private patch(at: number): void {
    this.code[at] = this.code.length;
  }

  private get here(): number {
    return this.code.length;
  }

  compileBody(body: Stmt[], def?: FuncDef): void {
    if (def) {
      def.params.forEach((p, i) => {
        if (!p.default) return;
        const skip = this.emitJump(Op.JUMP_IF_SET, i);
        this.expr(p.default);
        this.emit(Op.STORE_LOCAL, i);
        this.patch(skip);
      });
      for (const name of this.cells) this.emit(Op.MAKE_CELL, this.slots.get(name)!);
    }
    this.cellsReady = true;
    this.block(body);
    this.emit(Op.RETURN_NULL);
    this.proto.code = Int32Array.from(this.code);
  }

  private block(body: Stmt[]): void {
    for (const s of body) {
      this.line = s.line;
      this.stmt(s);
    }
  }

  private temp(label: string): number {
    return this.newSlot(`(${label})`);
  }

  // --- variables -------------------------------------------------------------------------

  private load(name: string): void {
    const r = resolveName(this.scope, name);
    if (r.kind === "local") {
      const slot = this.slots.get(name)!;
      this.emit(this.cells.has(name) && this.cellsReady ? Op.LOAD_CELL : Op.LOAD_LOCAL, slot);
    } else if (r.kind === "outer") this.emit(Op.LOAD_UPVAL, this.upvalue(name));
    else this.emit(Op.LOAD_GLOBAL, this.mc.globalIndex.get(name)!);
  }

  private store(name: string): void {
    const r = resolveName(this.scope, name);
    if (r.kind === "local") {
      const slot = this.slots.get(name)!;
      this.emit(this.cells.has(name) && this.cellsReady ? Op.STORE_CELL : Op.STORE_LOCAL, slot);
    } else if (r.kind === "outer") this.emit(Op.STORE_UPVAL, this.upvalue(name));
    else this.emit(Op.STORE_GLOBAL, this.mc.globalIndex.get(name)!);
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

  private isPlainLocal(name: string): boolean {
    return resolveName(this.scope, name).kind === "local" && !this.cells.has(name);
  }

  // --- statements ------------------------------------------------------------------------

  private stmt(s: Stmt): void {
    switch (s.kind) {
      case "write":
        this.expr(s.value);
        if (s.value.kind === "name") this.emit(Op.CALL0_IF_FUNC);
        this.emit(Op.WRITE);
        return;
      case "ask":
        this.emit(Op.BUILTIN, BUILTIN_INDEX.get("ask")!, 0);
        this.store(s.name);
        return;
      case "set":
        this.expr(s.value);
        this.store(s.name);
        return;
      case "setIndex":
        this.expr(s.target);
        this.expr(s.index);
        this.expr(s.value);
        this.emit(Op.SET_INDEX);
        return;
      case "change":
        if (!s.negative && s.amount.kind === "num" && this.isPlainLocal(s.name)) {
          this.emit(Op.INC_LOCAL, this.slots.get(s.name)!, this.mc.constant(s.amount.value));
          return;
        }
        this.load(s.name);
        this.expr(s.amount);
        this.emit(s.negative ? Op.SUB : Op.ADD);
        this.store(s.name);
        return;
      case "if": {
        const toElse = this.condJump(s.cond);
        this.block(s.then);
        if (s.otherwise) {
          const toEnd = this.emitJump(Op.JUMP);
          this.patch(toElse);
          this.block(s.otherwise);
          this.patch(toEnd);
        } else this.patch(toElse);
        return;
      }
      case "while": {
        const top = this.here;
        const toEnd = this.condJump(s.cond);
        this.block(s.body);
        this.line = s.line;
        this.emit(Op.JUMP, top);
        this.patch(toEnd);
        return;
      }
      case "repeat":
        return this.repeat(s);
      case "func":
        this.emit(Op.CLOSURE, this.compileFunction(s));
        this.store(s.name);
        return;
      case "return":
        return this.ret(s.value);
      case "use":
        this.expr(s.call);
        this.emit(Op.WRITE_RESULT);
        return;
      case "expr":
        this.expr(s.value);
        this.emit(Op.POP);
        return;
      case "throw":
        this.expr(s.value);
        this.emit(Op.THROW);
        return;
      case "try":
        return this.tryStmt(s);
      case "module": {
        const saved = this.file;
        this.file = s.file;
        this.block(s.body);
        this.file = saved;
        return;
      }
      case "import":
        throw new Error("internal: unresolved import");
    }
  }

  private repeat(s: Extract<Stmt, { kind: "repeat" }>): void {
    const count = this.temp("repeat count");
    const index = this.temp("repeat index");
    this.expr(s.count);
    this.emit(Op.TO_COUNT);
    this.emit(Op.STORE_LOCAL, count);
    this.emit(Op.CONST, this.mc.constant(0));
    this.emit(Op.STORE_LOCAL, index);
    const top = this.here;
    this.emit(Op.LOAD_LOCAL, index);
    this.emit(Op.LOAD_LOCAL, count);
    const toEnd = this.emitJump(Op.JUMP_IF_NOT_LT);
    this.block(s.body);
    this.line = s.line;
    this.emit(Op.INC_LOCAL, index, this.mc.constant(1));
    this.emit(Op.JUMP, top);
    this.patch(toEnd);
  }

  private compileFunction(def: FuncDef): number {
    const scope = this.mc.scopes.functions.get(def)!;
    const fc = new FunctionCompiler(this.mc, this, scope, def.file, def);
    const index = this.mc.functions.length;
    this.mc.functions.push(fc.proto);
    fc.compileBody(def.body, def);
    return index;
  }

  private ret(value: Expr | null): void {
    if (this.tries.length === 0 && value?.kind === "name" && this.isPlainLocal(value.name)) {
      this.emit(Op.RETURN_LOCAL, this.slots.get(value.name)!);
      return;
    }
    if (value) this.expr(value);
    else this.emit(Op.NULL);
    if (this.tries.length > 0) {
      const slot = this.temp("return value");
      this.emit(Op.STORE_LOCAL, slot);
      const saved = this.tries.splice(0);
      for (let i = saved.length - 1; i >= 0; i--) {
        this.emit(Op.TRY_END);
        if (saved[i].finally) {
          this.tries.push(...saved.slice(0, i));
          this.block(saved[i].finally!);
          this.tries.length = 0;
        }
      }
      this.tries.push(...saved);
      this.emit(Op.LOAD_LOCAL, slot);
    }
    this.emit(Op.RETURN);
  }

  private tryStmt(s: Extract<Stmt, { kind: "try" }>): void {
    const line = s.line;
    const runFinally = () => {
      if (s.finally) this.block(s.finally);
      this.line = line;
    };
    const toCatch = this.emitJump(Op.TRY_BEGIN);
    this.tries.push({ finally: s.finally });
    this.block(s.body);
    this.tries.pop();
    this.line = line;
    this.emit(Op.TRY_END);
    runFinally();
    const toDone = [this.emitJump(Op.JUMP)];

    this.patch(toCatch);
    const err = this.temp("caught error");
    this.emit(Op.STORE_LOCAL, err);
    let toFinErr = -1;
    if (s.finally) {
      toFinErr = this.emitJump(Op.TRY_BEGIN);
      this.tries.push({ finally: s.finally });
    }
    const handled: number[] = [];
    for (const h of s.handlers) {
      this.line = h.line;
      let toNext = -1;
      if (h.type !== null) {
        this.emit(Op.LOAD_LOCAL, err);
        this.emit(Op.ERROR_IS_TYPE, this.mc.constant(h.type));
        toNext = this.emitJump(Op.JUMP_IF_FALSE);
      }
      if (h.name) {
        this.emit(Op.LOAD_LOCAL, err);
        this.store(h.name);
      }
      this.block(h.body);
      handled.push(this.emitJump(Op.JUMP));
      if (toNext >= 0) this.patch(toNext);
    }
    this.line = line;
    // No clause matched: run finally, then let the error go on.
    if (s.finally) {
      this.tries.pop();
      this.emit(Op.TRY_END);
    }
    runFinally();
    this.emit(Op.LOAD_LOCAL, err);
    this.emit(Op.THROW);
    handled.forEach((j) => this.patch(j));
    if (s.finally) {
      this.emit(Op.TRY_END);
      runFinally();
      toDone.push(this.emitJump(Op.JUMP));
      // An error inside a clause: run finally, then let that error go on.
      this.patch(toFinErr);
      const err2 = this.temp("error in handler");
      this.emit(Op.STORE_LOCAL, err2);
      runFinally();
      this.emit(Op.LOAD_LOCAL, err2);
      this.emit(Op.THROW);
    }
    toDone.forEach((j) => this.patch(j));
  }

  // --- expressions -----------------------------------------------------------------------

  /** Compiles a condition; returns the jump to patch with the "condition false" target. */
  private condJump(cond: Expr): number {
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

  private expr(e: Expr): void {
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
        e.items.forEach((x) => this.expr(x));
        this.emit(Op.MAKE_LIST, e.items.length);
        return;
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
        this.expr(e.operand);
        this.emit(Op.NOT);
        return;
      case "neg":
        this.expr(e.operand);
        this.emit(Op.NEG);
        return;
      case "index":
        this.expr(e.target);
        this.expr(e.index);
        this.emit(Op.INDEX);
        return;
      case "call":
        if (e.callee.kind === "name" && resolveName(this.scope, e.callee.name).kind === "global") {
          e.args.forEach((a) => this.expr(a));
          this.emit(Op.CALL_GLOBAL, this.mc.globalIndex.get(e.callee.name)!, e.args.length);
          return;
        }
        this.expr(e.callee);
        e.args.forEach((a) => this.expr(a));
        this.emit(Op.CALL, e.args.length);
        return;
      case "builtin":
        e.args.forEach((a) => this.expr(a));
        this.emit(Op.BUILTIN, BUILTIN_INDEX.get(e.name)!, e.args.length);
        return;
    }
  }
}

/** The constant value of a literal expression, if it is one. */
function constantOf(e: Expr): number | string | undefined {
  return e.kind === "num" || e.kind === "str" ? e.value : undefined;
}
