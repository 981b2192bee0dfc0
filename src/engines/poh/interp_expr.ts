/**
 * Expression evaluation and variables for the PohLang AST interpreter: environments, function
 * values, and the evaluator (synchronous for expressions without calls or host built-ins,
 * asynchronous otherwise). Statements and calls live in `interpreter.ts`.
 *
 * @module
 */
import { type BinaryOp, type Expr, type FuncDef, subExpressions } from "./ast.ts";
import { BUILTIN_INDEX, type BuiltinContext, BUILTINS, HOST_BACKED_BUILTINS } from "./builtins.ts";
import type { FunctionScope } from "./scope.ts";
import { checkSize } from "./builtin_args.ts";
import { expectFunction, iterItems } from "./builtins_iter.ts";
import { dictFrom, unsetError } from "./exec_common.ts";
import {
  addValues,
  arith,
  compare,
  indexValue,
  negate,
  PohFunction,
  truthy,
  type Value,
  valuesEqual,
} from "./values.ts";

/** A function value of the AST interpreter: its definition plus the variables it closes over. */
export class AstFunction extends PohFunction {
  constructor(readonly def: FuncDef, readonly scope: FunctionScope, readonly env: Env) {
    super();
  }
  get name(): string {
    return this.def.name;
  }
}

/** Variables of one function call (or, with `scope` null, the globals). */
export class Env {
  constructor(
    readonly scope: FunctionScope | null,
    readonly vars: Map<string, Value>,
    readonly parent: Env | null,
  ) {}
}

/** `Return` travelling up through blocks. */
export class ReturnSignal {
  constructor(readonly value: Value) {}
}

/** Variables and expressions; the interpreter adds statements and calls. */
export abstract class ExprEvaluator {
  protected readonly globals: Env = new Env(null, new Map(), null);
  private readonly pure = new WeakMap<Expr, boolean>();

  /**
   * Creates the evaluator.
   *
   * @param ctx what built-ins may use
   */
  constructor(protected readonly ctx: BuiltinContext) {}

  /** Calls a function value (statements run in the subclass). */
  protected abstract call(callee: Value, args: Value[]): Promise<Value>;

  protected lookup(env: Env, name: string): Value {
    for (let e: Env | null = env; e !== null && e.scope !== null; e = e.parent) {
      if (e.scope.localSet.has(name)) {
        const v = e.vars.get(name);
        if (v === undefined) return unsetError(name);
        return v;
      }
    }
    const v = this.globals.vars.get(name);
    if (v === undefined) return unsetError(name);
    return v;
  }

  protected assign(env: Env, name: string, value: Value): void {
    for (let e: Env | null = env; e !== null && e.scope !== null; e = e.parent) {
      if (e.scope.localSet.has(name)) {
        e.vars.set(name, value);
        return;
      }
    }
    this.globals.vars.set(name, value);
  }

  protected isPure(e: Expr): boolean {
    const known = this.pure.get(e);
    if (known !== undefined) return known;
    let p: boolean;
    switch (e.kind) {
      case "call":
      case "higher":
        p = false;
        break;
      case "builtin":
        p = !HOST_BACKED_BUILTINS.has(e.name) && e.args.every((a) => this.isPure(a));
        break;
      default:
        p = subExpressions(e).every((a) => this.isPure(a));
    }
    this.pure.set(e, p);
    return p;
  }

  protected eval(e: Expr, env: Env): Value | Promise<Value> {
    return this.isPure(e) ? this.evalSync(e, env) : this.evalAsync(e, env);
  }

  /** Evaluates an expression with no calls and no host built-ins. */
  protected evalSync(e: Expr, env: Env): Value {
    switch (e.kind) {
      case "num":
      case "str":
      case "bool":
        return e.value;
      case "null":
        return null;
      case "name":
        return this.lookup(env, e.name);
      case "list":
        return e.items.map((x) => this.evalSync(x, env));
      case "dict":
        return dictFrom(
          e.entries.flatMap(([k, v]) => [this.evalSync(k, env), this.evalSync(v, env)]),
          0,
          e.entries.length,
        );
      case "binary":
        return this.binary(e.op, this.evalSync(e.left, env), this.evalSync(e.right, env));
      case "logical": {
        const l = truthy(this.evalSync(e.left, env));
        if (e.op === "and" ? !l : l) return l;
        return truthy(this.evalSync(e.right, env));
      }
      case "not":
        return !truthy(this.evalSync(e.operand, env));
      case "neg":
        return negate(this.evalSync(e.operand, env));
      case "index":
        return indexValue(this.evalSync(e.target, env), this.evalSync(e.index, env));
      case "builtin":
        return BUILTINS[BUILTIN_INDEX.get(e.name)!].fn(
          e.args.map((a) => this.evalSync(a, env)),
          this.ctx,
        ) as Value;
      case "call":
      case "higher":
        throw new Error("internal: call in a pure expression");
    }
  }

  protected async evalAsync(e: Expr, env: Env): Promise<Value> {
    switch (e.kind) {
      case "list": {
        const out: Value[] = [];
        for (const x of e.items) out.push(await this.eval(x, env));
        return out;
      }
      case "dict": {
        const kv: Value[] = [];
        for (const [k, v] of e.entries) kv.push(await this.eval(k, env), await this.eval(v, env));
        return dictFrom(kv, 0, e.entries.length);
      }
      case "binary": {
        const l = await this.eval(e.left, env);
        return this.binary(e.op, l, await this.eval(e.right, env));
      }
      case "logical": {
        const l = truthy(await this.eval(e.left, env));
        if (e.op === "and" ? !l : l) return l;
        return truthy(await this.eval(e.right, env));
      }
      case "not":
        return !truthy(await this.eval(e.operand, env));
      case "neg":
        return negate(await this.eval(e.operand, env));
      case "index": {
        const t = await this.eval(e.target, env);
        return indexValue(t, await this.eval(e.index, env));
      }
      case "builtin": {
        const args: Value[] = [];
        for (const a of e.args) args.push(await this.eval(a, env));
        return await this.callBuiltin(e.name, args);
      }
      case "call": {
        const callee = await this.eval(e.callee, env);
        const args: Value[] = [];
        for (const a of e.args) args.push(await this.eval(a, env));
        return await this.call(callee, args);
      }
      case "higher":
        return await this.higher(e, env);
      default:
        return this.evalSync(e, env);
    }
  }

  /** `map`, `filter`, `reduce`: argument checks in the order the compiled code makes them. */
  private async higher(e: Extract<Expr, { kind: "higher" }>, env: Env): Promise<Value> {
    const items = iterItems(await this.eval(e.args[0], env), e.op);
    const f = expectFunction(await this.eval(e.args[1], env), e.op);
    if (e.op === "reduce") {
      let acc = await this.eval(e.args[2], env);
      for (let i = 0; i < items.length; i++) acc = await this.call(f, [acc, items[i]]);
      return acc;
    }
    const out: Value[] = [];
    for (let i = 0; i < items.length; i++) {
      const x = items[i];
      const r = await this.call(f, [x]);
      if (e.op === "filter" && !truthy(r)) continue;
      checkSize(out.length + 1, this.ctx);
      out.push(e.op === "map" ? r : x);
    }
    return out;
  }

  protected binary(op: BinaryOp, l: Value, r: Value): Value {
    switch (op) {
      case "+":
        return addValues(l, r, this.ctx.maxItems);
      case "-":
      case "*":
      case "/":
      case "%":
        return arith(op, l, r);
      case "==":
        return valuesEqual(l, r);
      case "!=":
        return !valuesEqual(l, r);
      default:
        return compare(op, l, r);
    }
  }

  protected async callBuiltin(name: string, args: Value[]): Promise<Value> {
    return await BUILTINS[BUILTIN_INDEX.get(name)!].fn(args, this.ctx);
  }
}
