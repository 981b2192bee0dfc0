/**
 * Collection literals of PohLang: `Make a list of 1, 2 and 3`, `Make a dictionary with "k" set
 * to 1`, `Make a list`, `[1, 2]`, `{"k": 1}` and `{name: "Bob"}`. The expression parser
 * (`parse_expr.ts`) extends this class and supplies the expression levels it uses.
 *
 * @module
 */
import type { Expr } from "./ast.ts";
import { TokenCursor } from "./parse_cursor.ts";

/** Collection literals over the token cursor. */
export abstract class CollectionParser extends TokenCursor {
  /** How many `Make a list of` item lists enclose the cursor. */
  private makeListDepth = 0;

  /** A full expression. */
  abstract parseExpr(): Expr;
  /** A comparison-level expression (list items, values). */
  protected abstract parseComparison(): Expr;
  /** An additive-level expression (dictionary keys). */
  protected abstract parseAdditive(): Expr;

  protected parseMakeCollection(): Expr {
    const line = this.peek().line;
    this.pos += 2; // make a|an
    this.acceptWord("empty");
    this.acceptWord("mutable");
    if (this.acceptWord("list")) {
      if (!this.acceptWord("of")) return { kind: "list", items: [], line };
      return { kind: "list", items: this.parseListItems(), line };
    }
    if (this.acceptWord("dictionary")) {
      if (!this.acceptWord("with")) return { kind: "dict", entries: [], line };
      return { kind: "dict", entries: this.parseEntries(), line };
    }
    throw this.error(
      this.peek(),
      `expected \`list\` or \`dictionary\` after \`Make a\`, found ${this.describe(this.peek())}`,
      'write `Make a list of 1, 2, 3` or `Make a dictionary with "k" set to 1`',
    );
  }

  protected parseBracketList(): Expr {
    const open = this.next();
    const items: Expr[] = [];
    this.skipNewlines();
    if (!this.acceptSymbol("]")) {
      do {
        this.skipNewlines();
        items.push(this.parseExpr());
        this.skipNewlines();
      } while (this.acceptSymbol(","));
      this.expectSymbol("]", `to close the list opened on line ${open.line}`);
    }
    return { kind: "list", items, line: open.line };
  }

  protected parseBraceDict(): Expr {
    const open = this.next();
    const entries: [Expr, Expr][] = [];
    this.skipNewlines();
    if (!this.acceptSymbol("}")) {
      do {
        this.skipNewlines();
        const key = this.parseDictKey();
        this.expectSymbol(":", "after a dictionary key", 'write {"key": value}');
        entries.push([key, this.parseExpr()]);
        this.skipNewlines();
      } while (this.acceptSymbol(","));
      this.expectSymbol("}", `to close the dictionary opened on line ${open.line}`);
    }
    return { kind: "dict", entries, line: open.line };
  }

  /**
   * Items of `Make a list of …`. Inside another one, a `, Make a list` ends this list, so
   * `Make a list of Make a list of 1, 2, Make a list of 3, 4` is two rows, as in PohLang.
   */
  private parseListItems(): Expr[] {
    this.makeListDepth++;
    try {
      const items = [this.parseComparison()];
      for (;;) {
        const before = this.pos;
        if (!this.acceptSymbol(",") && !this.acceptWord("and")) return items;
        if (this.makeListDepth > 1 && this.atWord("make") && this.atWord("list", 2)) {
          this.pos = before;
          return items;
        }
        items.push(this.parseComparison());
      }
    } finally {
      this.makeListDepth--;
    }
  }

  /** Entries `k set to v`, `k as v` or `k: v`, separated by `,` or `and`. */
  protected parseEntries(): [Expr, Expr][] {
    const entries: [Expr, Expr][] = [];
    do {
      const key = this.parseAdditive();
      if (!this.acceptWord("as") && !this.acceptSymbol(":")) {
        this.expectWord("set", "after a dictionary key", 'write `"key" set to value`');
        this.expectWord("to", "after `set`");
      }
      entries.push([key, this.parseComparison()]);
    } while (this.acceptSymbol(",") || this.acceptWord("and"));
    return entries;
  }

  /** A key of `{…}`: a bare name before `:` is the text of the name (`{name: "Bob"}`). */
  protected parseDictKey(): Expr {
    const t = this.peek();
    if (t.kind === "word" && this.atSymbol(":", 1)) {
      this.pos++;
      return { kind: "str", value: t.text, line: t.line };
    }
    return this.parseExpr();
  }

  private skipNewlines(): void {
    while (this.peek().kind === "newline") this.pos++;
  }
}
