/**
 * PohLang statement parser: tokens → {@link Program}. Blocks end with `End` (optionally
 * `End If`, `End While`, …); a block left open reports the line that opened it.
 *
 * @module
 */
import type { Expr, Program, Stmt } from "./ast.ts";
import { type Token, tokenize } from "./lexer.ts";
import { RESERVED } from "./parse_expr.ts";
import { WebParser } from "./parse_web.ts";

/** Statements allowed on the same line after `If cond`, `Otherwise`, `Repeat n times`. */
const SIMPLE_STATEMENTS = new Set([
  "write",
  "set",
  "increase",
  "decrease",
  "return",
  "use",
  "ask",
  "throw",
  "append",
  "remove",
  "insert",
  "create",
  "delete",
  "call",
  "add",
]);

/**
 * Parses PohLang source text.
 *
 * @example
 * ```ts
 * import { parsePoh } from "@pxos/core";
 * const program = parsePoh('Write "Hello"', "hello.poh");
 * console.log(program.body[0].kind); // "write"
 * ```
 *
 * @param source program text
 * @param file file name used in error messages
 * @returns the syntax tree; throws `PxosError` `E_ASSEMBLE` with `file:line:col` on bad syntax
 */
export function parsePoh(source: string, file: string): Program {
  return new Parser(tokenize(source, file), source, file).parseProgram();
}

class Parser extends WebParser {
  protected parseStatementInner(): Stmt {
    const t = this.peek();
    if (t.kind !== "word") {
      throw this.error(t, `expected a statement, found ${this.describe(t)}`, this.statementHint());
    }
    switch (t.lower) {
      case "if":
        return this.parseIf();
      case "while":
        return this.parseWhile();
      case "repeat":
        return this.parseRepeat();
      case "for":
        if (this.atWord("each", 1)) return this.parseForEach();
        break;
      case "make":
        if (!this.atWord("a", 1) && !this.atWord("an", 1)) return this.parseFunction();
        break;
      case "try":
        return this.parseTry();
      case "import":
        return this.parseImport();
      case "define":
        if (this.atWord("function", 1)) return this.parseDefine();
        break;
      case "add":
        if (this.atWord("route", 1)) return this.parseAddRoute();
        break;
      case "start":
        if (this.atWord("server", 1)) return this.parseStartServer();
        break;
    }
    const stmt = this.parseSimple();
    this.endLine();
    return stmt;
  }

  private statementHint(): string {
    return "statements start with Write, Set, Increase, Decrease, If, While, Repeat, For each, " +
      "Make, Define function, Use, Call, Return, Ask for, try this:, throw, append, Add, remove, " +
      "insert, Import, Add route or Start server";
  }

  private parseSimple(): Stmt {
    const t = this.peek();
    const line = t.line;
    // `add(1, 2)` calls a program's own `add`; the keyword forms never have `(` right after.
    switch (this.atBareCall() ? "" : t.lower) {
      case "write": {
        this.pos++;
        // PohLang's `Write line x` is `Write x`.
        if (this.atWord("line") && this.startsExpr(this.peek(1)) && !this.atSymbol("(", 1)) {
          this.pos++;
        }
        if (this.atWord("file") && this.startsExpr(this.peek(1)) && !this.atWord("exists", 1)) {
          return this.parseWriteFile(line);
        }
        const value = this.parseExpr();
        if (
          (this.atWord("to") || this.atWord("into")) && this.atWord("file", 1) &&
          this.atWord("at", 2)
        ) {
          this.pos += 3;
          const path = this.parseExpr();
          return {
            kind: "expr",
            value: { kind: "builtin", name: "writeFile", args: [path, value], line },
            line,
          };
        }
        return { kind: "write", value, line };
      }
      case "set":
        return this.parseSet();
      case "increase":
      case "decrease": {
        this.pos++;
        const name = this.expectName(`after \`${t.text}\``).text;
        const amount: Expr = this.acceptWord("by")
          ? this.parseExpr()
          : { kind: "num", value: 1, line };
        return { kind: "change", name, amount, negative: t.lower === "decrease", line };
      }
      case "return": {
        this.pos++;
        if (this.functionDepth === 0) {
          throw this.error(t, "`Return` outside a function", "use Return only inside `Make … End`");
        }
        return {
          kind: "return",
          value: this.atLineEnd() || this.atWord("otherwise") ? null : this.parseExpr(),
          line,
        };
      }
      case "use":
      case "call": {
        this.pos++;
        const callee = this.parseExpr();
        const call: Expr = callee.kind === "call" || callee.kind === "builtin" ||
            callee.kind === "higher"
          ? callee
          : { kind: "call", callee, args: [], line };
        return { kind: "use", call, line };
      }
      case "ask": {
        this.pos++;
        this.acceptWord("for");
        const name = this.expectName("after `Ask for`").text;
        return { kind: "ask", name, line };
      }
      case "throw":
        this.pos++;
        return { kind: "throw", value: this.parseExpr(), line };
      case "append":
      case "remove":
      case "insert":
        return { kind: "expr", value: this.parseCollectionEdit(true), line };
      case "add": {
        // PohLang's `Add x to list`: append in place.
        this.pos++;
        const x = this.operand("additive");
        this.expectWord("to", "in `Add item to list`");
        return {
          kind: "expr",
          value: this.builtin("appendInPlace", [x, this.operand("unary")], line),
          line,
        };
      }
      case "create":
      case "delete": {
        const value = this.parsePhrasal(t);
        // PohLang's statement `Create web server on port N` names the server `server`.
        if (value?.kind === "builtin" && value.name === "webServer") {
          return { kind: "set", name: "server", value, line };
        }
        if (value) return { kind: "expr", value, line };
        break;
      }
    }
    if (this.atBareCall()) {
      // `rect(0, 0, 8, 8, "red")`: a call whose result is not needed.
      const value = this.parseExpr();
      if (value.kind === "call" || value.kind === "builtin" || value.kind === "higher") {
        return { kind: "expr", value, line };
      }
      throw this.error(
        t,
        "expected a statement, found an expression",
        "to print a value, write `Write …`; to keep it, write `Set name to …`",
      );
    }
    const hint = this.atWord("with", 1)
      ? `to call a function as a statement, write \`Use ${t.text} with …\``
      : this.atWord("to", 1) || this.atSymbol("=", 1)
      ? `to give \`${t.text}\` a value, write \`Set ${t.text} to …\``
      : this.statementHint();
    throw this.error(t, `expected a statement, found ${this.describe(t)}`, hint);
  }

  /** PohLang's `Write file "p" with text`: create or replace a host file. */
  private parseWriteFile(line: number): Stmt {
    this.pos++; // file
    const path = this.operand("additive", true);
    this.expectWord("with", 'in `Write file "path" with text`');
    const text = this.parseExpr();
    return { kind: "expr", value: this.builtin("writeFile", [path, text], line), line };
  }

  private parseSet(): Stmt {
    const line = this.next().line;
    const nameTok = this.expectName("after `Set`");
    let target: Expr = { kind: "name", name: nameTok.text, line, col: nameTok.col };
    const indexes: Expr[] = [];
    while (this.atSymbol("[")) {
      this.pos++;
      indexes.push(this.parseExpr());
      this.expectSymbol("]", "to close the index");
    }
    this.expectWord(
      "to",
      `after \`Set ${nameTok.text}\``,
      `write \`Set ${nameTok.text} to value\``,
    );
    const value = this.parseExpr();
    if (indexes.length === 0) return { kind: "set", name: nameTok.text, value, line };
    for (let i = 0; i < indexes.length - 1; i++) {
      target = { kind: "index", target, index: indexes[i], line };
    }
    return { kind: "setIndex", target, index: indexes[indexes.length - 1], value, line };
  }

  /** True at `name(` (no space before the parenthesis): a call used as a statement. */
  private atBareCall(): boolean {
    const t = this.peek();
    return t.kind === "word" && !isReservedWord(t.text) && this.atSymbol("(", 1) &&
      !this.peek(1).spaceBefore;
  }

  /** The statement after `If c`, `Otherwise` or `Repeat n times` on the same line. */
  protected parseInline(): Stmt {
    const t = this.peek();
    if (!(t.kind === "word" && SIMPLE_STATEMENTS.has(t.lower)) && !this.atBareCall()) {
      throw this.error(
        t,
        `expected a statement or the end of the line, found ${this.describe(t)}`,
        "put a block on the following lines and close it with `End`",
      );
    }
    return this.parseSimple();
  }

  private parseIf(): Stmt {
    const t = this.next();
    const cond = this.parseExpr();
    this.acceptWord("then");
    this.acceptSymbol(":");
    if (!this.atLineEnd()) {
      const then = [this.parseInline()];
      let otherwise: Stmt[] | null = null;
      if (this.acceptWord("otherwise")) otherwise = [this.parseInline()];
      this.endLine();
      return { kind: "if", cond, then, otherwise, line: t.line };
    }
    this.endLine();
    return this.parseIfRest(t, cond);
  }

  private parseIfRest(t: Token, cond: Expr): Stmt {
    const opener = this.opener(t, "If");
    const then = this.parseBlockUntil(opener);
    let otherwise: Stmt[] | null = null;
    if (this.atWord("otherwise")) {
      const o = this.next();
      if (this.atWord("if")) {
        const inner = this.next();
        const c = this.parseExpr();
        this.acceptWord("then");
        this.acceptSymbol(":");
        this.endLine();
        otherwise = [this.parseIfRest(inner, c)];
        return { kind: "if", cond, then, otherwise, line: t.line };
      }
      this.acceptSymbol(":");
      this.endLine();
      otherwise = this.parseBlockUntil(this.opener(o, "Otherwise"));
    }
    this.expectEnd(opener);
    return { kind: "if", cond, then, otherwise, line: t.line };
  }

  /**
   * The body of the block `t` opens (`word` names it in errors): with `inline`, a statement on
   * the same line is the whole body; otherwise the lines up to the block's `End`.
   */
  protected parseBody(t: Token, word: string, inline: boolean): Stmt[] {
    this.acceptSymbol(":");
    if (inline && !this.atLineEnd()) {
      const body = [this.parseInline()];
      this.endLine();
      return body;
    }
    this.endLine();
    const opener = this.opener(t, word);
    const body = this.parseBlockUntil(opener);
    this.expectEnd(opener);
    return body;
  }

  private parseWhile(): Stmt {
    const t = this.next();
    const cond = this.parseExpr();
    return { kind: "while", cond, body: this.parseBody(t, "While", false), line: t.line };
  }

  private parseRepeat(): Stmt {
    const t = this.next();
    this.noTimes++;
    const count = this.parseExpr();
    this.noTimes--;
    this.acceptWord("times");
    return { kind: "repeat", count, body: this.parseBody(t, "Repeat", true), line: t.line };
  }

  /** `For each x in xs … End` (also the one-line form `For each x in xs Write x`). */
  private parseForEach(): Stmt {
    const t = this.next();
    this.pos++; // each
    const name = this.expectName("after `For each`").text;
    this.expectWord("in", `after \`For each ${name}\``, `write \`For each ${name} in list\``);
    const iterable = this.parseExpr();
    const body = this.parseBody(t, "For each", true);
    return { kind: "forEach", name, iterable, body, line: t.line };
  }
}

/** True when `word` cannot be used as a variable name. */
export function isReservedWord(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}
