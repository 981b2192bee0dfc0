/**
 * The PohLang syntax tree, shared by the AST interpreter (the reference semantics) and the
 * bytecode compiler. Every node carries the source line it came from, so both engines report
 * runtime errors at the same line.
 *
 * @module
 */

/** Binary operators after the phrasal forms are folded into symbols. */
export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "==" | "!=" | "<" | "<=" | ">" | ">=";

/** An expression. */
export type Expr =
  | { kind: "num"; value: number; line: number }
  | { kind: "str"; value: string; line: number }
  | { kind: "bool"; value: boolean; line: number }
  | { kind: "null"; line: number }
  | { kind: "name"; name: string; line: number; col: number }
  | { kind: "list"; items: Expr[]; line: number }
  | { kind: "dict"; entries: [Expr, Expr][]; line: number }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; line: number }
  | { kind: "logical"; op: "and" | "or"; left: Expr; right: Expr; line: number }
  | { kind: "not"; operand: Expr; line: number }
  | { kind: "neg"; operand: Expr; line: number }
  | { kind: "index"; target: Expr; index: Expr; line: number }
  | { kind: "call"; callee: Expr; args: Expr[]; line: number }
  | { kind: "builtin"; name: string; args: Expr[]; line: number }
  /** `map(xs, f)`, `filter(xs, f)`, `reduce(xs, f, start)`: built-ins that call a function. */
  | { kind: "higher"; op: HigherOp; args: Expr[]; line: number };

/** The built-ins that take a function argument. */
export type HigherOp = "map" | "filter" | "reduce";

/** A function parameter, optionally with a default value computed at call time. */
export interface Param {
  /** Parameter name. */
  name: string;
  /** Default value expression, or null when the argument is required. */
  default: Expr | null;
}

/** A function definition (`Make name with a, b … End`). */
export interface FuncDef {
  /** Node kind. */
  kind: "func";
  /** Function name. */
  name: string;
  /** Parameters in order. */
  params: Param[];
  /** Statements of the body. */
  body: Stmt[];
  /** Line of the `Make`. */
  line: number;
  /** File the function was written in (differs from the main file for imports). */
  file: string;
}

/** A catch clause of `try this:` (`if error [of type "T"] [as e]`). */
export interface CatchClause {
  /** Error type it catches (case-insensitive), or null for any. */
  type: string | null;
  /** Variable the error is bound to, if any. */
  name: string | null;
  /** Statements to run. */
  body: Stmt[];
  /** Line of the `if error`. */
  line: number;
}

/** A statement. */
export type Stmt =
  | { kind: "write"; value: Expr; line: number }
  | { kind: "ask"; name: string; line: number }
  | { kind: "set"; name: string; value: Expr; line: number }
  | { kind: "setIndex"; target: Expr; index: Expr; value: Expr; line: number }
  | { kind: "change"; name: string; amount: Expr; negative: boolean; line: number }
  | { kind: "if"; cond: Expr; then: Stmt[]; otherwise: Stmt[] | null; line: number }
  | { kind: "while"; cond: Expr; body: Stmt[]; line: number }
  | { kind: "repeat"; count: Expr; body: Stmt[]; line: number }
  | { kind: "forEach"; name: string; iterable: Expr; body: Stmt[]; line: number }
  | FuncDef
  | { kind: "return"; value: Expr | null; line: number }
  | { kind: "use"; call: Expr; line: number }
  | { kind: "expr"; value: Expr; line: number }
  | {
    kind: "try";
    body: Stmt[];
    handlers: CatchClause[];
    finally: Stmt[] | null;
    line: number;
  }
  | { kind: "throw"; value: Expr; line: number }
  | { kind: "import"; path: string; line: number; col: number }
  /**
   * A resolved import: runs module `index` of {@link Program.modules} the first time it is
   * reached (-1: nothing to run, e.g. `Import system "x"` or the entry file itself).
   */
  | { kind: "module"; file: string; index: number; line: number };

/** An imported file: its top-level statements, run once, on globals. */
export interface ModuleDef {
  /** The file's path inside the cartridge. */
  file: string;
  /** Its statements (its own imports resolved too). */
  body: Stmt[];
}

/** A parsed program: its statements and the file it came from. */
export interface Program {
  /** The entry file. */
  file: string;
  /** Top-level statements (imports resolved to `module` statements by the loader). */
  body: Stmt[];
  /** The files it imports, directly or not (filled by the loader). */
  modules?: ModuleDef[];
}

/** The expressions directly inside `e`, in the order they are evaluated. */
export function subExpressions(e: Expr): Expr[] {
  switch (e.kind) {
    case "list":
      return e.items;
    case "dict":
      return e.entries.flat();
    case "binary":
    case "logical":
      return [e.left, e.right];
    case "not":
    case "neg":
      return [e.operand];
    case "index":
      return [e.target, e.index];
    case "call":
      return [e.callee, ...e.args];
    case "builtin":
    case "higher":
      return e.args;
    default:
      return [];
  }
}
