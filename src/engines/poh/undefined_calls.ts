/**
 * PohLang reports a call of a name that nothing defines as `Function 'nope' is not defined`
 * rather than as an unset variable. Whether anything can define a name is known when the program
 * is loaded (every file it imports included), so the loader rewrites such calls once, here, and
 * both engines raise the same error from the same built-in. A name that is assigned somewhere but
 * has no value yet when it is called stays a `NameError` about the variable.
 *
 * @module
 */
import { type Expr, type Program, type Stmt, subExpressions } from "./ast.ts";
import { forEachAssigned } from "./scope.ts";

/** The expressions and nested bodies directly in a statement. */
function parts(s: Stmt): { exprs: Expr[]; bodies: Stmt[][] } {
  switch (s.kind) {
    case "write":
    case "set":
    case "use":
    case "expr":
    case "throw":
      return { exprs: [s.kind === "use" ? s.call : s.value], bodies: [] };
    case "setIndex":
      return { exprs: [s.target, s.index, s.value], bodies: [] };
    case "change":
      return { exprs: [s.amount], bodies: [] };
    case "return":
      return { exprs: s.value ? [s.value] : [], bodies: [] };
    case "if":
      return { exprs: [s.cond], bodies: s.otherwise ? [s.then, s.otherwise] : [s.then] };
    case "while":
      return { exprs: [s.cond], bodies: [s.body] };
    case "repeat":
      return { exprs: [s.count], bodies: [s.body] };
    case "forEach":
      return { exprs: [s.iterable], bodies: [s.body] };
    case "func":
      return {
        exprs: s.params.flatMap((p) => (p.default ? [p.default] : [])),
        bodies: [s.body],
      };
    case "try":
      return {
        exprs: [],
        bodies: [s.body, ...s.handlers.map((h) => h.body), ...(s.finally ? [s.finally] : [])],
      };
    default:
      return { exprs: [], bodies: [] };
  }
}

/**
 * Rewrites calls of names no statement of the program can bind into the built-in that raises
 * `Function 'name' is not defined`.
 *
 * @param program the loaded program (modules resolved)
 */
export function markUndefinedCalls(program: Program): void {
  const statements: Stmt[] = [];
  const exprs: Expr[] = [];
  const work: Stmt[] = [program.body, ...(program.modules ?? []).map((m) => m.body)].flat();
  while (work.length > 0) {
    const s = work.pop()!;
    statements.push(s);
    const p = parts(s);
    exprs.push(...p.exprs);
    for (const b of p.bodies) work.push(...b);
  }
  const bound = new Set<string>();
  const bind = (name: string) => bound.add(name);
  forEachAssigned(program.body, bind);
  for (const m of program.modules ?? []) forEachAssigned(m.body, bind);
  for (const s of statements) {
    if (s.kind !== "func") continue;
    for (const p of s.params) bind(p.name);
    forEachAssigned(s.body, bind);
  }
  while (exprs.length > 0) {
    const e = exprs.pop()!;
    if (e.kind === "call" && e.callee.kind === "name" && !bound.has(e.callee.name)) {
      const undefinedCall = e as unknown as Record<string, unknown>;
      const name: Expr = { kind: "str", value: e.callee.name, line: e.line };
      delete undefinedCall.callee;
      Object.assign(undefinedCall, { kind: "builtin", name: "undefinedFunction", args: [name] });
      continue;
    }
    exprs.push(...subExpressions(e));
  }
}
