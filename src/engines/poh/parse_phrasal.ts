/**
 * The phrasal built-ins of PohLang (`count of xs`, `split s by ","`, `contains x in y`,
 * `append x to xs`, `error of type "T" with message "m"`, …), layered on the expression parser.
 *
 * @module
 */
import type { Expr } from "./ast.ts";
import type { Token } from "./lexer.ts";
import { DataPhraseParser } from "./parse_data.ts";

/** Expression parser plus the phrasal built-ins; the statement parser extends it. */
export class PhrasalParser extends DataPhraseParser {
  /** Recognises the phrasal built-ins; returns null when `t` starts none of them. */
  protected override parsePhrasal(t: Token): Expr | null {
    const w = t.lower;
    // `join(xs, sep)` is the call form, not the phrase `join xs with sep`.
    if (this.atSymbol("(", 1) && !this.peek(1).spaceBefore) return null;
    const line = t.line;
    const nextIs = (word: string, offset = 1) => this.atWord(word, offset);
    const unaryOf = (name: string, skip: number): Expr => {
      this.pos += skip;
      return this.builtin(name, [this.operand("unary")], line);
    };
    const ofWords: Record<string, string> = {
      count: "length",
      size: "length",
      length: "length",
      total: "total",
      sum: "total",
      reverse: "reverse",
      keys: "keys",
      values: "values",
    };
    if (ofWords[w] && nextIs("of")) return unaryOf(ofWords[w], 2);
    if (w === "reverse" && this.startsExpr(this.peek(1))) return unaryOf("reverse", 1);
    if (w === "clean" && nextIs("spaces") && nextIs("from", 2)) return unaryOf("trim", 3);
    const inWords: Record<string, string> = {
      smallest: "min",
      largest: "max",
      first: "first",
      last: "last",
    };
    if (inWords[w] && nextIs("in")) return unaryOf(inWords[w], 2);
    if (w === "absolute" && nextIs("value") && nextIs("of", 2)) return unaryOf("abs", 3);
    if (w === "square" && nextIs("root") && nextIs("of", 2)) return unaryOf("sqrt", 3);
    if (w === "round" && (nextIs("down") || nextIs("up"))) {
      return unaryOf(nextIs("down") ? "floor" : "ceil", 2);
    }
    if (w === "round" && this.startsExpr(this.peek(1))) return unaryOf("round", 1);
    if (w === "make" && (nextIs("uppercase") || nextIs("lowercase"))) {
      return unaryOf(this.peek(1).lower, 2);
    }
    if (w === "trim" && nextIs("spaces") && nextIs("from", 2)) return unaryOf("trim", 3);
    if (w === "trim" && this.startsExpr(this.peek(1))) return unaryOf("trim", 1);
    if ((w === "split" || w === "separate") && this.startsExpr(this.peek(1))) {
      this.pos++;
      const s = this.operand("unary");
      this.expectWord("by", "in `split text by separator`");
      return this.builtin("split", [s, this.operand("unary")], line);
    }
    if (w === "join" && this.startsExpr(this.peek(1))) {
      this.pos++;
      const xs = this.operand("unary", true);
      this.expectWord("with", "in `join list with separator`");
      return this.builtin("join", [xs, this.operand("unary")], line);
    }
    if (w === "contains" && this.startsExpr(this.peek(1))) {
      this.pos++;
      const x = this.operand("additive");
      this.expectWord("in", "in `contains item in collection`");
      return this.builtin("contains", [x, this.operand("unary")], line);
    }
    if (w === "index" && nextIs("of")) {
      this.pos += 2;
      const x = this.operand("additive");
      this.expectWord("in", "in `index of item in collection`");
      return this.builtin("position", [x, this.operand("unary")], line);
    }
    if (w === "append" || w === "remove" || w === "insert") {
      if (!this.startsExpr(this.peek(1))) return null;
      return this.parseCollectionEdit(false);
    }
    if (w === "error") return this.parseErrorPhrase();
    const data = this.parseDataPhrase(t);
    if (data) return data;
    if (w === "read" && nextIs("file") && nextIs("at", 2)) return unaryOf("readFile", 3);
    if (w === "write" && this.startsExpr(this.peek(1))) {
      // PohLang's expression form: `Set ok to write "text" into file at "out.txt"`.
      this.pos++;
      const text = this.operand("additive");
      this.expectWord("into", "in `write text into file at path`");
      this.expectWord("file", "in `write text into file at path`");
      this.expectWord("at", "in `write text into file at path`");
      return this.builtin("writeFile", [this.operand("unary"), text], line);
    }
    if (w === "file" && nextIs("exists") && nextIs("at", 2)) return unaryOf("fileExists", 3);
    if (w === "list" && nextIs("files") && nextIs("in", 2)) {
      return unaryOf("listDir", nextIs("directory", 3) && nextIs("at", 4) ? 5 : 3);
    }
    if (w === "read" && nextIs("lines") && nextIs("from", 2)) {
      return unaryOf("readLines", nextIs("file", 3) && nextIs("at", 4) ? 5 : 3);
    }
    if ((w === "copy" || w === "move") && nextIs("file") && nextIs("from", 2)) {
      this.pos += 3;
      const from = this.operand("additive");
      this.expectWord("to", `in \`${w} file from a to b\``);
      return this.builtin(
        w === "copy" ? "copyFile" : "moveFile",
        [from, this.operand("unary")],
        line,
      );
    }
    if (w === "create" && nextIs("directory") && nextIs("at", 2)) return unaryOf("makeDir", 3);
    if (w === "delete" && nextIs("file") && nextIs("at", 2)) return unaryOf("deleteFile", 3);
    return null;
  }

  /**
   * `append x to xs`, `remove x from xs`, `insert x at i in xs`, and `append x to file at p`.
   * As a statement (`inPlace`) the list changes; as an expression a new list is returned.
   */
  protected parseCollectionEdit(inPlace: boolean): Expr {
    const t = this.next();
    const line = t.line;
    const x = this.operand("additive");
    if (t.lower === "append") {
      if (this.atWord("into") && this.atWord("file", 1) && this.atWord("at", 2)) {
        this.pos += 3;
        return this.builtin("appendFile", [this.operand("unary"), x], line);
      }
      this.expectWord("to", "in `append item to list`");
      if (this.atWord("file") && this.atWord("at", 1)) {
        this.pos += 2;
        return this.builtin("appendFile", [this.operand("unary"), x], line);
      }
      return this.builtin(inPlace ? "appendInPlace" : "append", [x, this.operand("unary")], line);
    }
    if (t.lower === "remove") {
      this.expectWord("from", "in `remove item from list`");
      return this.builtin(inPlace ? "removeInPlace" : "remove", [x, this.operand("unary")], line);
    }
    this.expectWord("at", "in `insert item at position in list`");
    const i = this.operand("additive");
    this.expectWord("in", "in `insert item at position in list`");
    return this.builtin(inPlace ? "insertInPlace" : "insert", [x, i, this.operand("unary")], line);
  }

  private parseErrorPhrase(): Expr | null {
    const line = this.peek().line;
    if (this.atWord("of", 1) && this.atWord("type", 2)) {
      this.pos += 3;
      const type = this.operand("additive", true);
      this.expectWord("with", 'in `error of type "T" with message "m"`');
      this.expectWord("message", 'in `error of type "T" with message "m"`');
      return this.builtin("errorNew", [type, this.operand("additive")], line);
    }
    if (this.atWord("response", 1) && this.atWord("with", 2)) {
      // `error response with status 404 and message "Not found"`
      this.pos += 3;
      this.expectWord("status", "in `error response with status n and message m`");
      const status = this.operand("additive", true);
      this.expectWord("and", "in `error response with status n and message m`");
      this.expectWord("message", "in `error response with status n and message m`");
      return this.builtin("errorResponse", [status, this.operand("additive")], line);
    }
    if ((this.atWord("message", 1) || this.atWord("type", 1)) && this.atWord("of", 2)) {
      const which = this.peek(1).lower === "message" ? "errorMessage" : "errorType";
      this.pos += 3;
      return this.builtin(which, [this.operand("unary")], line);
    }
    return null;
  }
}
