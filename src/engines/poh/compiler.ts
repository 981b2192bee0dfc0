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
import { CodeEmitter, type ModuleContext } from "./compile_expr.ts";
import { Op } from "./isa.ts";
import type { PohConst, PohModule, PohProto } from "./module.ts";
import { analyzeScopes, type ScopeInfo } from "./scope.ts";

/**
 * Compiles a loaded program (imports inlined) to a bytecode module.
 *
 * @param program the program from `loadPohProgram`
 * @returns the module, ready for `writePbc` or the VM
 */
export function compileProgram(program: Program): PohModule {
  return new ModuleCompiler(program).compile();
}

class ModuleCompiler implements ModuleContext {
  readonly consts: PohConst[] = [];
  private readonly constIndex = new Map<string, number>();
  readonly functions: PohProto[] = [];
  readonly scopes: ScopeInfo;
  readonly globalIndex = new Map<string, number>();

  constructor(private readonly program: Program) {
    this.scopes = analyzeScopes(program);
    this.scopes.globals.forEach((g, i) => this.globalIndex.set(g, i));
  }

  private readonly moduleIndex = new Map<number, number>();

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

  /** The function that runs imported file `index` (compiled on first use, once). */
  moduleFunction(index: number): number {
    const known = this.moduleIndex.get(index);
    if (known !== undefined) return known;
    const m = this.program.modules![index];
    const fc = new FunctionCompiler(this, null, null, m.file);
    fc.proto.name = "module";
    const f = this.functions.length;
    // Numbered before its body is compiled: a module may import itself (a no-op then).
    this.moduleIndex.set(index, f);
    this.functions.push(fc.proto);
    fc.compileBody(m.body);
    return f;
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

class FunctionCompiler extends CodeEmitter {
  /** The `try` regions the code being emitted is inside (innermost last). */
  private readonly tries: TryContext[] = [];
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
        return this.emitAfter([s.target, s.index, s.value], Op.SET_INDEX);
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
        return this.loopBody(s.body, s.line, top, this.condJump(s.cond));
      }
      case "repeat":
        return this.repeat(s);
      case "forEach": {
        const [list, index] = this.startWalk(s.iterable, "For each");
        const top = this.here;
        const done = this.emitJump(Op.FOR_NEXT, list, index);
        this.store(s.name);
        return this.loopBody(s.body, s.line, top, done);
      }
      case "func":
        this.emit(Op.CLOSURE, this.compileFunction(s));
        this.store(s.name);
        return;
      case "return":
        return this.ret(s.value);
      case "use":
        return this.emitAfter([s.call], Op.WRITE_RESULT);
      case "expr":
        return this.emitAfter([s.value], Op.POP);
      case "throw":
        return this.emitAfter([s.value], Op.THROW);
      case "try":
        return this.tryStmt(s);
      case "module":
        if (s.index < 0) return;
        this.emit(Op.IMPORT, this.mc.moduleFunction(s.index));
        this.emit(Op.POP);
        return;
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
    const step = () => this.emit(Op.INC_LOCAL, index, this.mc.constant(1));
    this.loopBody(s.body, s.line, top, toEnd, step);
  }

  /**
   * A loop's body and its way back: the body, then (on the loop's line) `step` and the jump to
   * `top`; the loop's exit jump `exit` lands after it.
   */
  private loopBody(body: Stmt[], line: number, top: number, exit: number, step?: () => void): void {
    this.block(body);
    this.line = line;
    step?.();
    this.emit(Op.JUMP, top);
    this.patch(exit);
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
}
