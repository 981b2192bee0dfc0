/**
 * Static scoping for PohLang, shared by both engines so they agree on every name:
 *
 * - Top-level names (and the names of functions made at top level) are globals.
 * - Inside a function, parameters, functions made there and names it assigns with `Set`,
 *   `Ask for`, `For each` or `if error as e` are its locals — unless the name is already a local of an
 *   enclosing function, in which case the assignment updates that variable (closures share
 *   variables by reference). `Increase`/`Decrease` declare nothing: they update the variable the
 *   name already refers to, so a function can count into a global.
 * - Reading a name looks in the function, then enclosing functions, then the globals.
 * - An imported file's statements are top-level code (its names are globals), wherever the
 *   `Import` that runs it stands.
 *
 * @module
 */
import { type Expr, type FuncDef, type Program, type Stmt, subExpressions } from "./ast.ts";

/** Static facts about one function. */
export interface FunctionScope {
  readonly def: FuncDef;
  readonly parent: FunctionScope | null;
  /** Names that are this function's own variables (parameters first, in order). */
  readonly locals: string[];
  readonly localSet: Set<string>;
  /** Locals that inner functions use: they live in shared cells. */
  readonly captured: Set<string>;
}

/** The result of {@link analyzeScopes}. */
export interface ScopeInfo {
  readonly functions: Map<FuncDef, FunctionScope>;
  /** Every global name, in first-seen order. */
  readonly globals: string[];
}

/** Where a name lives, seen from one function (`null` = the top level). */
export type Resolution =
  | { kind: "local"; scope: FunctionScope }
  | { kind: "outer"; scope: FunctionScope }
  | { kind: "global" };

/** Resolves `name` from `scope` (null for top-level code). */
export function resolveName(scope: FunctionScope | null, name: string): Resolution {
  if (scope === null) return { kind: "global" };
  if (scope.localSet.has(name)) return { kind: "local", scope };
  for (let s = scope.parent; s !== null; s = s.parent) {
    if (s.localSet.has(name)) return { kind: "outer", scope: s };
  }
  return { kind: "global" };
}

/**
 * Works out the locals, captured variables and globals of a whole program (imports included).
 *
 * @param program the parsed program, with imports already inlined as `module` statements
 * @returns scope facts for every function
 */
export function analyzeScopes(program: Program): ScopeInfo {
  const functions = new Map<FuncDef, FunctionScope>();
  const globals: string[] = [];
  const globalSet = new Set<string>();
  const addGlobal = (n: string) => {
    if (!globalSet.has(n)) {
      globalSet.add(n);
      globals.push(n);
    }
  };

  const declare = (def: FuncDef, parent: FunctionScope | null): FunctionScope => {
    const locals: string[] = def.params.map((p) => p.name);
    const localSet = new Set(locals);
    const add = (n: string) => {
      if (localSet.has(n)) return;
      for (let s = parent; s !== null; s = s.parent) if (s.localSet.has(n)) return;
      localSet.add(n);
      locals.push(n);
    };
    forEachAssigned(def.body, add);
    const scope: FunctionScope = { def, parent, locals, localSet, captured: new Set() };
    functions.set(def, scope);
    return scope;
  };

  const use = (scope: FunctionScope | null, name: string) => {
    const r = resolveName(scope, name);
    if (r.kind === "outer") {
      r.scope.captured.add(name);
      // Every function between the user and the owner passes the cell through.
    } else if (r.kind === "global") addGlobal(name);
  };

  const walkExpr = (e: Expr, scope: FunctionScope | null): void => {
    if (e.kind === "name") use(scope, e.name);
    else for (const x of subExpressions(e)) walkExpr(x, scope);
  };

  const walk = (body: Stmt[], scope: FunctionScope | null): void => {
    for (const s of body) {
      switch (s.kind) {
        case "write":
        case "expr":
        case "throw":
          walkExpr(s.value, scope);
          break;
        case "use":
          walkExpr(s.call, scope);
          break;
        case "ask":
          use(scope, s.name);
          break;
        case "set":
          walkExpr(s.value, scope);
          use(scope, s.name);
          break;
        case "setIndex":
          walkExpr(s.target, scope);
          walkExpr(s.index, scope);
          walkExpr(s.value, scope);
          break;
        case "change":
          walkExpr(s.amount, scope);
          use(scope, s.name);
          break;
        case "if":
          walkExpr(s.cond, scope);
          walk(s.then, scope);
          if (s.otherwise) walk(s.otherwise, scope);
          break;
        case "while":
          walkExpr(s.cond, scope);
          walk(s.body, scope);
          break;
        case "repeat":
          walkExpr(s.count, scope);
          walk(s.body, scope);
          break;
        case "forEach":
          walkExpr(s.iterable, scope);
          use(scope, s.name);
          walk(s.body, scope);
          break;
        case "func": {
          use(scope, s.name);
          const inner = declare(s, scope);
          for (const p of s.params) if (p.default) walkExpr(p.default, inner);
          walk(s.body, inner);
          break;
        }
        case "return":
          if (s.value) walkExpr(s.value, scope);
          break;
        case "try":
          walk(s.body, scope);
          for (const h of s.handlers) {
            if (h.name) use(scope, h.name);
            walk(h.body, scope);
          }
          if (s.finally) walk(s.finally, scope);
          break;
        case "module":
          // A module's statements run at the top level wherever the Import is (walked below).
          break;
        case "import":
          throw new Error("internal: imports must be resolved before scope analysis");
      }
    }
  };
  walk(program.body, null);
  for (const m of program.modules ?? []) walk(m.body, null);
  return { functions, globals };
}

/** Calls `add` for each name a function body assigns (not looking into nested functions). */
export function forEachAssigned(body: Stmt[], add: (name: string) => void): void {
  for (const s of body) {
    switch (s.kind) {
      case "set":
      case "ask":
      case "func":
        add(s.name);
        break;
      case "if":
        forEachAssigned(s.then, add);
        if (s.otherwise) forEachAssigned(s.otherwise, add);
        break;
      case "forEach":
        add(s.name);
        forEachAssigned(s.body, add);
        break;
      case "while":
      case "repeat":
        forEachAssigned(s.body, add);
        break;
      case "try":
        forEachAssigned(s.body, add);
        for (const h of s.handlers) {
          if (h.name) add(h.name);
          forEachAssigned(h.body, add);
        }
        if (s.finally) forEachAssigned(s.finally, add);
        break;
    }
  }
}
