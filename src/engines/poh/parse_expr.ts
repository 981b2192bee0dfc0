/**
 * Expression parsing for PohLang: a precedence-climbing parser over tokens that accepts the
 * phrasal forms (`a plus b`, `x is greater than y`, `count of xs`) and the symbolic ones
 * (`a + b`, `x > y`, `length(xs)`) freely mixed.
 *
 * Precedence, loosest first: `or`, `and`, `not`, comparisons, `+ - plus minus`,
 * `* / % times divided by modulo`, unary `-` and phrasal built-ins, postfix `[i]` and `(args)`.
 *
 * @module
 */
import type { BinaryOp, Expr, HigherOp } from "./ast.ts";
import { BUILTIN_INDEX, BUILTINS } from "./builtins.ts";
import { CALL_FORMS } from "./call_forms.ts";
import type { Token } from "./lexer.ts";
import { MAX_NESTING, RESERVED } from "./parse_cursor.ts";
import { CollectionParser } from "./parse_collections.ts";

export { RESERVED } from "./parse_cursor.ts";

/** The built-ins that take a function argument, by the name written in source. */
const HIGHER_FORMS: ReadonlyMap<string, { op: HigherOp; argc: number; hint: string }> = new Map([
  ["map", { op: "map", argc: 2, hint: "write `map(list, function)`" }],
  ["filter", { op: "filter", argc: 2, hint: "write `filter(list, function)`" }],
  ["reduce", { op: "reduce", argc: 3, hint: "write `reduce(list, function, start value)`" }],
]);

/** The expression grammar over the token cursor; the phrasal and statement parsers extend it. */
export class ExprParser extends CollectionParser {
  /** Full expression. */
  parseExpr(): Expr {
    return this.parseOr();
  }

  private parseOr(): Expr {
    return this.parseLogical("or", () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseLogical("and", () => this.parseNot());
  }

  /** `operand (op operand)*`, grouping to the left. */
  private parseLogical(op: "and" | "or", operand: () => Expr): Expr {
    let left = operand();
    while (this.atWord(op)) {
      const line = this.next().line;
      left = { kind: "logical", op, left, right: operand(), line };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.atWord("not")) {
      const line = this.next().line;
      return { kind: "not", operand: this.parseNot(), line };
    }
    return this.parseComparison();
  }

  /** A comparison-level expression: what list items and call arguments are made of. */
  protected parseComparison(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const line = this.peek().line;
      const op = this.comparisonOp();
      if (op === null) return left;
      left = { kind: "binary", op, left, right: this.parseAdditive(), line };
    }
  }

  private comparisonOp(): BinaryOp | null {
    const t = this.peek();
    if (t.kind === "symbol") {
      const map: Record<string, BinaryOp> = {
        "==": "==",
        "=": "==",
        "!=": "!=",
        "<": "<",
        "<=": "<=",
        ">": ">",
        ">=": ">=",
      };
      const op = map[t.text];
      if (op) this.pos++;
      return op ?? null;
    }
    if (!this.isWord(t, "is")) return null;
    this.pos++;
    let negated = false;
    if (this.acceptWord("not")) negated = true;
    if (this.atWord("greater") || this.atWord("less")) {
      const greater = this.next().lower === "greater";
      this.expectWord("than", `after \`is ${greater ? "greater" : "less"}\``);
      let orEqual = false;
      if (this.atWord("or") && this.atWord("equal", 1)) {
        this.pos += 2;
        this.expectWord("to", "after `or equal`");
        orEqual = true;
      }
      const op: BinaryOp = greater ? (orEqual ? ">=" : ">") : (orEqual ? "<=" : "<");
      if (!negated) return op;
      const flip: Record<string, BinaryOp> = { ">": "<=", ">=": "<", "<": ">=", "<=": ">" };
      return flip[op];
    }
    if (this.atWord("at") && (this.atWord("least", 1) || this.atWord("most", 1))) {
      this.pos++;
      const least = this.next().lower === "least";
      if (negated) return least ? "<" : ">";
      return least ? ">=" : "<=";
    }
    if (this.atWord("equal")) {
      this.pos++;
      this.expectWord("to", "after `is equal`");
    }
    return negated ? "!=" : "==";
  }

  protected parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    for (;;) {
      const t = this.peek();
      let op: BinaryOp | null = null;
      if (t.kind === "symbol" && (t.text === "+" || t.text === "-")) op = t.text;
      else if (this.isWord(t, "plus")) op = "+";
      else if (this.isWord(t, "minus")) op = "-";
      if (op === null) return left;
      this.pos++;
      left = { kind: "binary", op, left, right: this.parseMultiplicative(), line: t.line };
    }
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      let op: BinaryOp | null = null;
      if (t.kind === "symbol" && (t.text === "*" || t.text === "/" || t.text === "%")) {
        op = t.text;
        this.pos++;
      } else if (this.isWord(t, "times") && this.noTimes === 0) {
        op = "*";
        this.pos++;
      } else if (this.isWord(t, "divided")) {
        this.pos++;
        this.expectWord("by", "after `divided`", "write `a divided by b`");
        op = "/";
      } else if (this.isWord(t, "modulo") || this.isWord(t, "mod")) {
        op = "%";
        this.pos++;
      }
      if (op === null) return left;
      left = { kind: "binary", op, left, right: this.parseUnary(), line: t.line };
    }
  }

  /** Unary minus, phrasal built-ins, then postfix (with a nesting guard). */
  protected parseUnary(): Expr {
    this.enter();
    try {
      return this.parseUnaryInner();
    } finally {
      this.nesting--;
    }
  }

  protected builtin(name: string, args: Expr[], line: number): Expr {
    if (!BUILTIN_INDEX.has(name)) throw new Error(`internal: unknown builtin ${name}`);
    return { kind: "builtin", name, args, line };
  }

  /** Hook for the phrasal built-ins (`count of xs`, …); `PhrasalParser` fills it in. */
  protected parsePhrasal(_t: Token): Expr | null {
    return null;
  }

  /** Bounds how deeply expressions and blocks nest, so hostile input cannot exhaust the stack. */
  protected enter(): void {
    if (++this.nesting > MAX_NESTING) {
      this.nesting = 0;
      throw this.error(this.peek(), `expected at most ${MAX_NESTING} levels of nesting here`);
    }
  }

  private parseUnaryInner(): Expr {
    const t = this.peek();
    if (t.kind === "symbol" && t.text === "-") {
      this.pos++;
      const operand = this.parseUnary();
      if (operand.kind === "num") return { kind: "num", value: -operand.value, line: t.line };
      return { kind: "neg", operand, line: t.line };
    }
    const phrasal = t.kind === "word" ? this.parsePhrasal(t) : null;
    if (phrasal) return phrasal;
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(expr: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.kind === "symbol" && t.text === "[" && !t.spaceBefore) {
        this.pos++;
        const index = this.parseExpr();
        this.expectSymbol("]", "to close the index");
        expr = { kind: "index", target: expr, index, line: t.line };
      } else if (t.kind === "symbol" && t.text === "(" && !t.spaceBefore && expr.kind !== "num") {
        this.pos++;
        expr = { kind: "call", callee: expr, args: this.parseParenArgs(), line: t.line };
      } else {
        return expr;
      }
    }
  }

  private parseParenArgs(): Expr[] {
    const args: Expr[] = [];
    if (this.acceptSymbol(")")) return args;
    do args.push(this.parseExpr()); while (this.acceptSymbol(","));
    this.expectSymbol(")", "to close the argument list");
    return args;
  }

  /** Arguments after `with`: comparison-level expressions separated by `,` or `and`. */
  protected parseWithArgs(): Expr[] {
    const args = [this.parseComparison()];
    while (this.acceptSymbol(",") || this.acceptWord("and")) args.push(this.parseComparison());
    return args;
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    const line = t.line;
    if (t.kind === "number") {
      this.pos++;
      return { kind: "num", value: t.value, line };
    }
    if (t.kind === "string") {
      this.pos++;
      return { kind: "str", value: t.text, line };
    }
    if (t.kind === "symbol") {
      if (t.text === "(") {
        this.pos++;
        const saved = [this.noWith, this.noTimes];
        this.noWith = this.noTimes = 0;
        const e = this.parseExpr();
        [this.noWith, this.noTimes] = saved;
        this.expectSymbol(")", `to close the \`(\` on line ${line}`);
        return e;
      }
      if (t.text === "[") return this.parseBracketList();
      if (t.text === "{") return this.parseBraceDict();
    }
    if (t.kind === "word") {
      if (t.lower === "true" || t.lower === "false") {
        this.pos++;
        return { kind: "bool", value: t.lower === "true", line };
      }
      if (t.lower === "nothing" || t.lower === "null" || t.lower === "none") {
        this.pos++;
        return { kind: "null", line };
      }
      if (t.lower === "make" && (this.atWord("a", 1) || this.atWord("an", 1))) {
        return this.parseMakeCollection();
      }
      if (!RESERVED.has(t.lower)) return this.parseNameOrCall();
    }
    throw this.error(
      t,
      `expected a value (a number, text, name or list), found ${this.describe(t)}`,
      t.kind === "newline" || t.kind === "eof" ? "the expression is incomplete" : undefined,
    );
  }

  private parseNameOrCall(): Expr {
    const t = this.next();
    const line = t.line;
    const callForm = this.userNames.has(t.text) ? undefined : CALL_FORMS.get(t.text);
    const parens = this.atSymbol("(") && !this.peek().spaceBefore;
    const higher = this.userNames.has(t.text) ? undefined : HIGHER_FORMS.get(t.text);
    if (higher && (parens || (this.atWord("with") && this.noWith === 0))) {
      this.pos++;
      const args = parens ? this.parseParenArgs() : this.parseWithArgs();
      if (args.length !== higher.argc) {
        throw this.error(
          t,
          `${t.text}() takes ${higher.argc} arguments, found ${args.length}`,
          higher.hint,
        );
      }
      return { kind: "higher", op: higher.op, args, line };
    }
    if (callForm && (parens || (this.atWord("with") && this.noWith === 0))) {
      this.pos++;
      const args = parens ? this.parseParenArgs() : this.parseWithArgs();
      const spec = BUILTINS[BUILTIN_INDEX.get(callForm)!];
      if (args.length < spec.min || args.length > spec.max) {
        const want = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
        throw this.error(t, `${t.text}() takes ${want} argument(s), found ${args.length}`);
      }
      return this.builtin(callForm, args, line);
    }
    const name: Expr = { kind: "name", name: t.text, line, col: t.col };
    if (this.atWord("with") && this.noWith === 0) {
      this.pos++;
      return { kind: "call", callee: name, args: this.parseWithArgs(), line };
    }
    return name;
  }
}
