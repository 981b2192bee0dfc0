/**
 * Block structure of PohLang programs: lines, `Start Program … End Program`, blocks closed by
 * `End`, and the limits that keep hostile nesting from exhausting the host stack. The statement
 * forms themselves live in `parser.ts`.
 *
 * @module
 */
import type { Program, Stmt } from "./ast.ts";
import type { Token } from "./lexer.ts";
import { PhrasalParser } from "./parse_phrasal.ts";
import { syntaxError } from "./syntax_error.ts";

/** What opened a block, for "`End` is missing for the `If` on line 3". */
export interface Opener {
  word: string;
  line: number;
  col: number;
}

/** Lines and blocks; subclasses supply the statements. */
export abstract class BlockParser extends PhrasalParser {
  protected programOpen: Opener | null = null;

  /** Parses one statement (without the nesting and depth checks). */
  protected abstract parseStatementInner(): Stmt;

  parseProgram(): Program {
    this.skipBlankLines();
    if (this.atWord("start") && this.atWord("program", 1)) {
      const t = this.next();
      this.programOpen = { word: "Start Program", line: t.line, col: t.col };
      this.pos++;
      this.endLine();
    }
    const body = this.parseBlockUntil(null);
    if (this.programOpen) {
      if (!(this.atWord("end") && this.atWord("program", 1))) {
        const o = this.programOpen;
        throw syntaxError(
          this.source,
          this.file,
          o.line,
          o.col,
          `\`End Program\` is missing for the \`Start Program\` on line ${o.line}`,
          "add a line `End Program` at the end of the file",
        );
      }
      this.pos += 2;
      this.skipBlankLines();
    }
    if (this.peek().kind !== "eof") {
      const t = this.peek();
      throw this.error(t, `unexpected ${this.describe(t)} after the end of the program`);
    }
    return { file: this.file, body };
  }

  protected skipBlankLines(): void {
    while (this.peek().kind === "newline") this.pos++;
  }

  protected endLine(): void {
    const t = this.peek();
    if (t.kind === "newline") {
      this.pos++;
      return;
    }
    if (t.kind === "eof") return;
    throw this.error(t, `expected the end of the line, found ${this.describe(t)}`);
  }

  /** True at a line that closes the current block (or at a block-level keyword). */
  protected atBlockEnd(): boolean {
    const t = this.peek();
    if (t.kind === "eof") return true;
    if (this.isWord(t, "end")) return !this.atWord("program", 1) || this.programOpen !== null;
    if (this.isWord(t, "otherwise") || this.isWord(t, "finally")) return true;
    return this.isWord(t, "if") && this.atWord("error", 1) && this.isCatchLine();
  }

  protected isCatchLine(): boolean {
    const t = this.peek(2);
    return t.kind === "newline" || t.kind === "eof" || this.isWord(t, "as") ||
      this.isWord(t, "of") || (t.kind === "symbol" && t.text === ":");
  }

  /** Statements up to a block end; with an opener, EOF there is the missing-`End` error. */
  protected parseBlockUntil(opener: Opener | null): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      this.skipBlankLines();
      if (this.atBlockEnd()) {
        if (this.peek().kind === "eof" && opener) throw this.missingEnd(opener);
        if (opener === null && !this.atWord("end") && this.peek().kind !== "eof") {
          const t = this.peek();
          throw this.error(t, `${this.describe(t)} without a matching block`);
        }
        if (opener === null && this.atWord("end") && !this.atWord("program", 1)) {
          throw this.error(
            this.peek(),
            "`End` without a block to close",
            "remove this `End`, or check the block above",
          );
        }
        return body;
      }
      body.push(this.parseStatement());
    }
  }

  protected missingEnd(o: Opener): Error {
    const closer = o.word === "try this" ? "end try" : "End";
    return syntaxError(
      this.source,
      this.file,
      o.line,
      o.col,
      `\`${closer}\` is missing for the \`${o.word}\` on line ${o.line}`,
      `add a line \`${closer}\` after the last statement of the \`${o.word}\` block`,
    );
  }

  /** Consumes `End` (plus an optional word such as `If`) closing `opener`. */
  protected expectEnd(opener: Opener): void {
    if (!this.atWord("end")) throw this.missingEnd(opener);
    this.pos++;
    const t = this.peek();
    if (t.kind === "word" && !this.isWord(t, "program")) this.pos++;
    this.endLine();
  }

  protected opener(t: Token, word: string): Opener {
    return { word, line: t.line, col: t.col };
  }

  protected parseStatement(): Stmt {
    const t = this.peek();
    this.enter();
    try {
      const stmt = this.parseStatementInner();
      if (exprDepth(stmt) > MAX_EXPR_DEPTH) {
        throw this.error(
          t,
          `expected an expression at most ${MAX_EXPR_DEPTH} operations deep`,
          "split the expression over several Set statements",
        );
      }
      return stmt;
    } finally {
      this.nesting--;
    }
  }
}

/** Deepest expression tree a statement may hold (engines walk trees recursively). */
const MAX_EXPR_DEPTH = 1000;

const EXPR_FIELDS = [
  "left",
  "right",
  "operand",
  "target",
  "index",
  "callee",
  "args",
  "items",
  "entries",
  "value",
  "cond",
  "amount",
  "count",
];

/** Depth of the expressions directly in a statement, measured without recursion. */
function exprDepth(stmt: Stmt): number {
  let max = 0;
  const work: [unknown, number][] = [[stmt, 0]];
  while (work.length > 0) {
    const [node, d] = work.pop()!;
    if (d > max) max = d;
    if (Array.isArray(node)) {
      for (const x of node) work.push([x, d]);
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    const rec = node as Record<string, unknown>;
    for (const f of EXPR_FIELDS) if (rec[f] !== undefined) work.push([rec[f], d + 1]);
  }
  return max;
}
