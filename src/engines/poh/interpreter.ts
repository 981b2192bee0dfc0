/**
 * The PohLang AST interpreter: the reference semantics the bytecode VM is tested against.
 * It walks the tree directly (async, because host calls may answer with a Promise); expressions
 * without calls or host built-ins are evaluated synchronously, which keeps it usable.
 *
 * @module
 */
import type { Host } from "../../host/host.ts";
import { DEADLINE_CHECK_INTERVAL, deadlineFor, type Limits } from "../../host/limits.ts";
import { type FrameLoop, runFrames } from "../frame_loop.ts";
import type { Program, Stmt } from "./ast.ts";
import {
  builtinContext,
  fuelError,
  type PohFrameInfo,
  timeoutError,
  toRunError,
} from "./runtime.ts";
import { analyzeScopes, type ScopeInfo } from "./scope.ts";
import { AstFunction, Env, ExprEvaluator, ReturnSignal } from "./interp_expr.ts";
import { iterItems } from "./builtins_iter.ts";
import {
  addValues,
  arith,
  PohErrorValue,
  PohThrow,
  setIndexValue,
  toText,
  truthy,
  type Value,
} from "./values.ts";
import {
  checkArity,
  checkCallDepth,
  errorHasType,
  notCallable,
  repeatCount,
  thrownError,
} from "./exec_common.ts";

type Completion = ReturnSignal | undefined;

/** Result of {@link interpretPoh}. */
export interface InterpretResult {
  /** Statements and calls executed (the AST interpreter's fuel unit). */
  fuelUsed: number;
}

/** Options for {@link interpretPoh}. */
export interface InterpretOptions {
  /** The frame loop: after the main part, a top-level `update` function runs once per frame. */
  frameLoop?: FrameLoop;
}

/**
 * Runs a loaded program (imports inlined) on the AST interpreter; with a frame loop, then calls
 * its top-level `update` function once per frame (as the VM does).
 *
 * @param program the program from `loadPohProgram`
 * @param host the host for I/O
 * @param limits fuel, time and memory limits
 * @param options the frame loop
 * @returns fuel used; throws `PxosError` for uncaught errors and limits
 */
export async function interpretPoh(
  program: Program,
  host: Host,
  limits: Limits,
  options: InterpretOptions = {},
): Promise<InterpretResult> {
  const it = new Interpreter(program, host, limits);
  await it.run();
  if (options.frameLoop) await it.runFrames(options.frameLoop);
  return { fuelUsed: it.fuelUsed };
}

class Interpreter extends ExprEvaluator {
  private readonly scopes: ScopeInfo;
  private readonly deadline: number;
  private readonly frames: PohFrameInfo[];
  private traceOf = new WeakMap<PohThrow, PohFrameInfo[]>();
  fuelUsed = 0;
  private untilCheck = DEADLINE_CHECK_INTERVAL;
  private readonly modulesRun = new Set<number>();

  constructor(
    private readonly program: Program,
    private readonly host: Host,
    private readonly limits: Limits,
  ) {
    super(builtinContext(host, limits));
    this.scopes = analyzeScopes(program);
    this.deadline = deadlineFor(limits);
    this.frames = [{ name: "main", file: program.file, line: 1 }];
  }

  async run(): Promise<void> {
    await this.guarded(() => this.execBlock(this.program.body, this.globals, this.program.file));
  }

  /**
   * Calls the top-level `update` function (when the main part made one that takes no
   * arguments) once per frame of `loop`. Like the VM, each call is an outermost call: a Poh
   * stack trace from it starts at `update`, not at the main part.
   */
  async runFrames(loop: FrameLoop): Promise<void> {
    const update = this.globals.vars.get("update");
    if (!(update instanceof AstFunction)) return;
    if (update.def.params.some((p) => p.default === null)) return;
    this.frames.length = 0;
    await runFrames(loop, async () => {
      await this.guarded(() => this.call(update, []));
      return true;
    });
  }

  /** Runs `body`, turning what escapes it into the run's error (with the Poh stack trace). */
  private async guarded(body: () => Promise<unknown>): Promise<void> {
    try {
      await body();
    } catch (e) {
      throw toRunError(e, e instanceof PohThrow ? this.traceOf.get(e) ?? this.frames : this.frames);
    }
  }

  /** `e` with where the program is now (the frames unwind before the run's own catch). */
  private here(e: unknown): unknown {
    return toRunError(e, this.frames);
  }

  private step(): void {
    this.fuelUsed++;
    if (--this.untilCheck > 0) return;
    this.untilCheck = DEADLINE_CHECK_INTERVAL;
    if (this.fuelUsed > this.limits.fuel) throw this.here(fuelError(this.limits));
    if (performance.now() > this.deadline) throw this.here(timeoutError(this.limits));
  }

  private async execBlock(body: Stmt[], env: Env, file: string): Promise<Completion> {
    const frame = this.frames[this.frames.length - 1];
    for (const s of body) {
      frame.line = s.line;
      frame.file = file;
      this.step();
      if (this.fuelUsed > this.limits.fuel) throw this.here(fuelError(this.limits));
      let r: Completion;
      try {
        r = await this.exec(s, env, file);
      } catch (e) {
        if (e instanceof PohThrow && !this.traceOf.has(e)) {
          this.traceOf.set(e, this.frames.map((f) => ({ ...f })));
        }
        throw e;
      }
      if (r !== undefined) return r;
    }
    return undefined;
  }

  private async exec(s: Stmt, env: Env, file: string): Promise<Completion> {
    const frame = this.frames[this.frames.length - 1];
    switch (s.kind) {
      case "write": {
        let v = await this.eval(s.value, env);
        if (s.value.kind === "name" && v instanceof AstFunction) v = await this.call(v, []);
        await this.host.invoke("console.write", [toText(v) + "\n"]);
        return;
      }
      case "ask":
        this.assign(env, s.name, await this.callBuiltin("ask", []));
        return;
      case "set":
        this.assign(env, s.name, await this.eval(s.value, env));
        return;
      case "setIndex": {
        const target = await this.eval(s.target, env);
        const index = await this.eval(s.index, env);
        setIndexValue(target, index, await this.eval(s.value, env));
        return;
      }
      case "change": {
        const amount = await this.eval(s.amount, env);
        const old = this.lookup(env, s.name);
        this.assign(
          env,
          s.name,
          s.negative ? arith("-", old, amount) : addValues(old, amount, this.ctx.maxItems),
        );
        return;
      }
      case "if":
        if (truthy(await this.eval(s.cond, env))) return await this.execBlock(s.then, env, file);
        if (s.otherwise) return await this.execBlock(s.otherwise, env, file);
        return;
      case "while":
        for (;;) {
          frame.line = s.line;
          this.step();
          if (!truthy(await this.eval(s.cond, env))) return;
          const r = await this.execBlock(s.body, env, file);
          if (r) return r;
        }
      case "repeat": {
        const times = repeatCount(await this.eval(s.count, env));
        for (let i = 0; i < times; i++) {
          this.step();
          const r = await this.execBlock(s.body, env, file);
          if (r) return r;
        }
        return;
      }
      case "forEach": {
        const items = iterItems(await this.eval(s.iterable, env), "For each");
        for (let i = 0; i < items.length; i++) {
          frame.line = s.line;
          this.step();
          this.assign(env, s.name, items[i]);
          const r = await this.execBlock(s.body, env, file);
          if (r) return r;
        }
        return;
      }
      case "func": {
        const scope = this.scopes.functions.get(s)!;
        this.assign(env, s.name, new AstFunction(s, scope, env));
        return;
      }
      case "return":
        return new ReturnSignal(s.value ? await this.eval(s.value, env) : null);
      case "use": {
        const v = await this.eval(s.call, env);
        if (v !== null) await this.host.invoke("console.write", [toText(v) + "\n"]);
        return;
      }
      case "expr":
        await this.eval(s.value, env);
        return;
      case "throw": {
        throw thrownError(await this.eval(s.value, env));
      }
      case "try":
        return await this.execTry(s, env, file);
      case "module":
        await this.runModule(s.index);
        return;
      case "import":
        throw new Error("internal: unresolved import");
    }
  }

  private async execTry(
    s: Extract<Stmt, { kind: "try" }>,
    env: Env,
    file: string,
  ): Promise<Completion> {
    const depth = this.frames.length;
    const frame = this.frames[depth - 1];
    const runFinally = async (): Promise<Completion> =>
      s.finally ? await this.execBlock(s.finally, env, file) : undefined;
    let result: Completion;
    try {
      result = await this.execBlock(s.body, env, file);
    } catch (e) {
      if (!(e instanceof PohThrow)) throw e;
      this.frames.length = depth;
      const err = e.value;
      const h = s.handlers.find((h) => h.type === null || errorHasType(err, h.type));
      if (!h) {
        const f = await runFinally();
        if (f) return f;
        // The error goes on from the `try` line, as the VM's rethrow does.
        frame.line = s.line;
        this.traceOf.delete(e);
        throw e;
      }
      if (h.name) this.assign(env, h.name, err);
      try {
        result = await this.execBlock(h.body, env, file);
      } catch (e2) {
        if (!(e2 instanceof PohThrow)) throw e2;
        this.frames.length = depth;
        const f = await runFinally();
        if (f) return f;
        if (s.finally) {
          frame.line = s.line;
          this.traceOf.delete(e2);
        }
        throw e2;
      }
    }
    const f = await runFinally();
    return f ?? result;
  }

  /** Runs an imported file's statements, the first time one of its `Import`s is reached. */
  private async runModule(index: number): Promise<void> {
    if (index < 0 || this.modulesRun.has(index)) return;
    this.modulesRun.add(index);
    const m = this.program.modules![index];
    checkCallDepth(this.frames.length);
    this.step();
    this.frames.push({ name: "module", file: m.file, line: 1 });
    try {
      await this.execBlock(m.body, this.globals, m.file);
    } finally {
      this.frames.pop();
    }
  }

  protected async call(callee: Value, args: Value[]): Promise<Value> {
    if (!(callee instanceof AstFunction)) return notCallable(callee);
    const def = callee.def;
    const required = def.params.filter((p) => p.default === null).length;
    checkArity(def.name, required, def.params.length, args.length);
    checkCallDepth(this.frames.length);
    this.step();
    const env = new Env(callee.scope, new Map(), callee.env);
    const frame: PohFrameInfo = { name: def.name, file: def.file, line: def.line };
    this.frames.push(frame);
    try {
      for (let i = 0; i < def.params.length; i++) {
        const p = def.params[i];
        if (i < args.length) env.vars.set(p.name, args[i]);
        else {
          frame.line = def.line;
          env.vars.set(p.name, await this.eval(p.default!, env));
        }
      }
      const r = await this.execBlock(def.body, env, def.file);
      return r ? r.value : null;
    } catch (caught) {
      let e = caught;
      // The tree walker recurses on the host stack; if a pathological program (deep recursion
      // through very deep expressions) exhausts it first, report the guest's RecursionError.
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        e = new PohThrow(new PohErrorValue("RecursionError", "the program nests calls too deeply"));
      }
      if (e instanceof PohThrow && !this.traceOf.has(e)) {
        this.traceOf.set(e, this.frames.map((f) => ({ ...f })));
      }
      throw e;
    } finally {
      this.frames.pop();
    }
  }
}
