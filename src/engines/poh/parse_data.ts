/**
 * PohLang's data phrases, layered on the expression parser: the legacy collection forms
 * (`List contains 1, 2, 3`, `Dictionary contains "a": 1`), JSON values (`new json object`,
 * `parse json from s`, `convert to [pretty] json x`, `get "k" from json x`,
 * `set "k" in json x to v`, `push v to json xs`, `json length of x`) and the web server's
 * values (`create web server on port N`, `html response with x`, `json response with x`).
 *
 * @module
 */
import type { Expr } from "./ast.ts";
import type { Token } from "./lexer.ts";
import { ExprParser } from "./parse_expr.ts";

/** The data phrases; the phrasal built-ins parser extends it. */
export class DataPhraseParser extends ExprParser {
  /** Operand of a phrasal built-in, with `with` calls switched off when asked. */
  protected operand(level: "unary" | "additive", noWith = false): Expr {
    if (noWith) this.noWith++;
    try {
      return level === "unary" ? this.parseUnary() : this.parseAdditive();
    } finally {
      if (noWith) this.noWith--;
    }
  }

  /** Recognises a data phrase at `t`; null when it starts none (nothing is consumed then). */
  protected parseDataPhrase(t: Token): Expr | null {
    const line = t.line;
    const at = (...words: string[]) => words.every((w, i) => this.atWord(w, i));
    const call = (name: string, skip: number, args: () => Expr[]): Expr => {
      this.pos += skip;
      return this.builtin(name, args(), line);
    };
    switch (t.lower) {
      case "list":
        if (at("list", "contains")) {
          return { kind: "list", items: (this.pos += 2, this.parseWithArgs()), line };
        }
        return null;
      case "dictionary":
        if (at("dictionary", "contains")) {
          this.pos += 2;
          return { kind: "dict", entries: this.parseEntries(), line };
        }
        return null;
      case "new":
        if (at("new", "json", "object")) return call("jsonObject", 3, () => []);
        if (at("new", "json", "array")) return call("jsonArray", 3, () => []);
        return null;
      case "parse":
        if (at("parse", "json", "from")) return call("jsonParse", 3, () => [this.operand("unary")]);
        return null;
      case "convert":
        if (at("convert", "to", "json")) {
          return call("jsonStringify", 3, () => [this.operand("unary")]);
        }
        if (at("convert", "to", "pretty", "json")) {
          return call("jsonPretty", 4, () => [this.operand("unary")]);
        }
        return null;
      case "json":
        if (at("json", "length", "of")) return call("jsonLength", 3, () => [this.operand("unary")]);
        if (at("json", "response", "with")) {
          return call("jsonResponse", 3, () => this.responseArgs());
        }
        return null;
      case "html":
        if (at("html", "response", "with")) {
          return call("htmlResponse", 3, () => this.responseArgs());
        }
        return null;
      case "create":
        if (at("create", "web", "server")) {
          this.pos += 3;
          this.acceptWord("on");
          this.acceptWord("port");
          return this.builtin("webServer", [this.operand("additive")], line);
        }
        return null;
      case "get":
        if (at("get", "path", "parameter")) {
          // Inside a route: `request["params"][name]`.
          this.pos += 3;
          const request: Expr = { kind: "name", name: "request", line, col: t.col };
          const params: Expr = {
            kind: "index",
            target: request,
            index: { kind: "str", value: "params", line },
            line,
          };
          return { kind: "index", target: params, index: this.operand("unary"), line };
        }
        return this.parseJsonEdit(t);
      case "set":
      case "push":
        return this.parseJsonEdit(t);
    }
    return null;
  }

  /** `x [and status n]` after `html response with` / `json response with`. */
  private responseArgs(): Expr[] {
    const x = this.parseComparison();
    if (this.atWord("and") && this.atWord("status", 1)) {
      this.pos += 2;
      return [x, this.operand("additive")];
    }
    return [x];
  }

  /**
   * `get k from json x`, `set k in json x to v`, `push v to json xs`. The words after the first
   * operand decide: without `from json` / `in json` / `to json` it is not a JSON phrase, and the
   * cursor goes back to where it was.
   */
  private parseJsonEdit(t: Token): Expr | null {
    if (!this.startsExpr(this.peek(1))) return null;
    const start = this.pos;
    const line = t.line;
    const joiner = t.lower === "get" ? "from" : t.lower === "set" ? "in" : "to";
    this.pos++;
    let first: Expr;
    try {
      first = this.operand("additive", true);
    } catch {
      this.pos = start;
      return null;
    }
    if (!(this.atWord(joiner) && this.atWord("json", 1))) {
      this.pos = start;
      return null;
    }
    this.pos += 2;
    const target = this.operand("unary", true);
    if (t.lower === "get") return this.builtin("jsonGet", [first, target], line);
    if (t.lower === "push") return this.builtin("jsonPush", [first, target], line);
    this.expectWord("to", 'in `set "key" in json object to value`');
    return this.builtin("jsonSet", [first, target, this.parseComparison()], line);
  }
}
