/**
 * The token cursor under the PohLang parsers: looking ahead, matching words and symbols, the
 * reserved words, and error construction with the source line and a caret.
 *
 * @module
 */
import type { PxosError } from "../../errors.ts";
import type { Token } from "./lexer.ts";
import { syntaxError } from "./syntax_error.ts";

/** Deepest nesting of expressions and blocks the parser accepts. */
export const MAX_NESTING = 200;

/** Words that are never variable names. */
export const RESERVED: ReadonlySet<string> = new Set([
  "write",
  "set",
  "to",
  "if",
  "otherwise",
  "end",
  "while",
  "repeat",
  "times",
  "make",
  "with",
  "use",
  "return",
  "import",
  "increase",
  "decrease",
  "by",
  "ask",
  "and",
  "or",
  "not",
  "is",
  "plus",
  "minus",
  "divided",
  "modulo",
  "true",
  "false",
  "nothing",
  "null",
  "none",
  "try",
  "throw",
  "than",
  "finally",
]);

/** Token cursor plus the expression grammar; the statement parser extends it. */
/** Position in the token stream plus the parser's context switches. */
export class TokenCursor {
  protected pos = 0;
  /** While > 0, `name with …` is not a call (inside `join xs with sep`). */
  protected noWith = 0;
  /** Current expression/block nesting depth. */
  protected nesting = 0;
  /** While > 0, `times` is not multiplication (inside `Repeat n times`). */
  protected noTimes = 0;
  /** Names the program defines (`Make f`, `Set x to`): these win over built-in call forms. */
  protected readonly userNames: Set<string>;

  /**
   * Creates a parser.
   *
   * @param tokens tokens from the lexer
   * @param source the program text (for error snippets)
   * @param file file name for messages
   */
  constructor(
    protected readonly tokens: Token[],
    protected readonly source: string,
    protected readonly file: string,
  ) {
    this.userNames = new Set();
    for (let i = 0; i + 1 < tokens.length; i++) {
      const w = tokens[i].lower;
      const next = tokens[i + 1];
      if ((w === "make" || w === "set") && next.kind === "word") this.userNames.add(next.text);
      if (w === "each" && next.kind === "word") this.userNames.add(next.text);
      if (w === "function" && next.kind === "word") this.userNames.add(next.text);
    }
  }

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  protected next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.pos++;
    return t;
  }

  protected isWord(t: Token, word: string): boolean {
    return t.kind === "word" && t.lower === word;
  }

  protected atWord(word: string, offset = 0): boolean {
    return this.isWord(this.peek(offset), word);
  }

  protected acceptWord(word: string): boolean {
    if (!this.atWord(word)) return false;
    this.pos++;
    return true;
  }

  protected atSymbol(symbol: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "symbol" && t.text === symbol;
  }

  protected acceptSymbol(symbol: string): boolean {
    if (!this.atSymbol(symbol)) return false;
    this.pos++;
    return true;
  }

  protected atLineEnd(): boolean {
    const k = this.peek().kind;
    return k === "newline" || k === "eof";
  }

  protected error(t: Token, message: string, hint?: string): PxosError {
    return syntaxError(this.source, this.file, t.line, t.col, message, hint);
  }

  protected describe(t: Token): string {
    if (t.kind === "eof") return "the end of the file";
    if (t.kind === "newline") return "the end of the line";
    if (t.kind === "string") return `the text ${JSON.stringify(t.text)}`;
    return `\`${t.text}\``;
  }

  protected expectWord(word: string, context: string, hint?: string): Token {
    const t = this.peek();
    if (!this.isWord(t, word)) {
      throw this.error(t, `expected \`${word}\` ${context}, found ${this.describe(t)}`, hint);
    }
    return this.next();
  }

  protected expectSymbol(symbol: string, context: string, hint?: string): Token {
    const t = this.peek();
    if (!(t.kind === "symbol" && t.text === symbol)) {
      throw this.error(t, `expected \`${symbol}\` ${context}, found ${this.describe(t)}`, hint);
    }
    return this.next();
  }

  /** Reads a variable name (a word that is not reserved). */
  protected expectName(context: string): Token {
    const t = this.peek();
    if (t.kind !== "word" || RESERVED.has(t.lower)) {
      const hint = t.kind === "word"
        ? `\`${t.text}\` is a PohLang keyword; pick another name`
        : "names start with a letter or _";
      throw this.error(t, `expected a name ${context}, found ${this.describe(t)}`, hint);
    }
    return this.next();
  }

  /** True when `t` can begin an expression (used to tell `round x` from a variable `round`). */
  protected startsExpr(t: Token): boolean {
    if (t.kind === "number" || t.kind === "string") return true;
    if (t.kind === "symbol") {
      return t.text === "(" || t.text === "[" || t.text === "{" || t.text === "-";
    }
    if (t.kind !== "word") return false;
    return !RESERVED.has(t.lower) ||
      ["true", "false", "nothing", "null", "none", "not", "make"].includes(t.lower);
  }
}
