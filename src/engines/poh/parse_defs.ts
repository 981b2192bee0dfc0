/**
 * Definitions and protected blocks of PohLang: `Make name with a, b … End`, PohLang's
 * `Define function add with parameters x, y as x plus y`, `try this: … end try` and `Import`.
 * The statement parser (`parser.ts`) extends this class.
 *
 * @module
 */
import type { CatchClause, Expr, FuncDef, Param, Stmt } from "./ast.ts";
import type { Token } from "./lexer.ts";
import { BlockParser } from "./parse_blocks.ts";

/** Functions, `try` and `Import`; subclasses supply the one-line statements. */
export abstract class DefinitionParser extends BlockParser {
  /** How many function bodies enclose the current statement (`Return` needs one). */
  protected functionDepth = 0;

  /** The statement after `If c`, `Otherwise` or `Repeat n times` on the same line. */
  protected abstract parseInline(): Stmt;

  /** The body of the block `t` opens (`word` names it in errors); see `parser.ts`. */
  protected abstract parseBody(t: Token, word: string, inline: boolean): Stmt[];

  /** `Make name [with a, b set to 1]` followed by a one-line statement or a block. */
  protected parseFunction(): FuncDef {
    const t = this.next();
    const name = this.expectName("after `Make`").text;
    const params = this.acceptWord("with") ? this.parseParams() : [];
    return this.inFunction(() => {
      if (!this.atLineEnd() && !this.atSymbol(":")) {
        const s = this.parseInline();
        this.endLine();
        // The one-line form's `Write e` is the function's result.
        const body: Stmt[] = s.kind === "write"
          ? [{ kind: "return", value: s.value, line: s.line }]
          : [s];
        return { kind: "func", name, params, body, line: t.line, file: this.file };
      }
      this.acceptSymbol(":");
      const body = this.parseBody(t, "Make", false);
      return { kind: "func", name, params, body, line: t.line, file: this.file };
    });
  }

  /**
   * PohLang's `Define function name [with parameter(s) a, b defaulting to v] as expr`, or the
   * same header followed by a block closed with `End`.
   */
  protected parseDefine(): FuncDef {
    const t = this.next();
    this.expectWord("function", "after `Define`", "write `Define function name with …`");
    const name = this.expectName("after `Define function`").text;
    let params: Param[] = [];
    if (this.acceptWord("with")) {
      if (!this.acceptWord("parameters")) this.acceptWord("parameter");
      params = this.parseParams();
    }
    return this.inFunction(() => {
      if (this.acceptWord("as")) {
        const value = this.parseExpr();
        this.endLine();
        const body: Stmt[] = [{ kind: "return", value, line: t.line }];
        return { kind: "func", name, params, body, line: t.line, file: this.file };
      }
      this.acceptSymbol(":");
      const body = this.parseBody(t, "Define function", false);
      return { kind: "func", name, params, body, line: t.line, file: this.file };
    });
  }

  private inFunction(parse: () => FuncDef): FuncDef {
    this.functionDepth++;
    try {
      return parse();
    } finally {
      this.functionDepth--;
    }
  }

  /** `a, b set to 1` / `a and b defaulting to 1`: defaults must come last. */
  private parseParams(): Param[] {
    const params: Param[] = [];
    do {
      const p = this.expectName("as a parameter");
      if (params.some((q) => q.name === p.text)) {
        throw this.error(p, `parameter \`${p.text}\` is listed twice`);
      }
      let def: Expr | null = null;
      if ((this.atWord("set") || this.atWord("defaulting")) && this.atWord("to", 1)) {
        this.pos += 2;
        def = this.parseComparison();
      } else if (params.some((q) => q.default !== null)) {
        throw this.error(
          p,
          `parameter \`${p.text}\` needs a default because an earlier one has one`,
          "put parameters with defaults last",
        );
      }
      params.push({ name: p.text, default: def });
    } while (this.acceptSymbol(",") || this.acceptWord("and"));
    return params;
  }

  /**
   * `try this: … [if error [of type "T"] [as e] …] [finally: …] end try`. Without a handler or a
   * `finally` part an error in the body is caught and dropped, as in PohLang.
   */
  protected parseTry(): Stmt {
    const t = this.next();
    this.expectWord("this", "after `try`", "write `try this:`");
    this.acceptSymbol(":");
    this.endLine();
    const opener = this.opener(t, "try this");
    const body = this.parseBlockUntil(opener);
    const handlers: CatchClause[] = [];
    while (this.atWord("if") && this.atWord("error", 1)) {
      const h = this.next();
      this.pos++;
      let type: string | null = null;
      let name: string | null = null;
      if (this.acceptWord("of")) {
        this.expectWord("type", "after `if error of`");
        const s = this.next();
        if (s.kind !== "string") {
          throw this.error(s, `expected the error type as text, found ${this.describe(s)}`);
        }
        type = s.text;
      }
      if (this.acceptWord("as")) name = this.expectName("after `as`").text;
      this.acceptSymbol(":");
      this.endLine();
      handlers.push({ type, name, body: this.parseBlockUntil(opener), line: h.line });
    }
    let fin: Stmt[] | null = null;
    if (this.acceptWord("finally")) {
      this.acceptSymbol(":");
      this.endLine();
      fin = this.parseBlockUntil(opener);
    }
    if (!this.atWord("end")) throw this.missingEnd(opener);
    this.expectEnd(opener);
    if (handlers.length === 0 && fin === null) {
      handlers.push({ type: null, name: null, body: [], line: t.line });
    }
    return { kind: "try", body, handlers, finally: fin, line: t.line };
  }

  protected parseImport(): Stmt {
    const t = this.next();
    if (this.acceptWord("system")) {
      const s = this.next();
      this.endLine();
      // PohLang treats an unknown system module as a no-op; pxOS has none, so all are no-ops.
      return { kind: "module", file: `system:${s.text}`, index: -1, line: t.line };
    }
    const s = this.next();
    if (s.kind !== "string") {
      throw this.error(
        s,
        `expected a file name in quotes after \`Import\`, found ${this.describe(s)}`,
      );
    }
    this.endLine();
    return { kind: "import", path: s.text, line: t.line, col: s.col };
  }
}
