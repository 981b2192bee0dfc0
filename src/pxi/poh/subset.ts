/**
 * What the Poh front end reads off the syntax tree before emitting code: the parts a `Write`
 * prints, and the locals a function assigns.
 *
 * @module
 */
import type { Expr, Stmt } from "../../engines/poh/ast.ts";

/** `a plus "x" plus b` → the parts Write prints in order (text joins with `plus`). */
export function writeParts(e: Expr): Expr[] {
  const hasText = (x: Expr): boolean =>
    x.kind === "str" ||
    (x.kind === "binary" && x.op === "+" && (hasText(x.left) || hasText(x.right)));
  if (e.kind === "binary" && e.op === "+" && hasText(e)) {
    return [...writeParts(e.left), ...writeParts(e.right)];
  }
  return [e];
}

/** Names a function body assigns with Set (its locals, besides the parameters). */
export function collectLocals(body: Stmt[]): string[] {
  const names: string[] = [];
  const walk = (list: Stmt[]) => {
    for (const s of list) {
      if (s.kind === "set" && !names.includes(s.name)) names.push(s.name);
      if (s.kind === "if") {
        walk(s.then);
        walk(s.otherwise ?? []);
      } else if (s.kind === "while" || s.kind === "repeat") walk(s.body);
    }
  };
  walk(body);
  return names;
}
