/**
 * PohLang lexer: source text → tokens. Words keep their spelling; keyword matching is done by the
 * parser on the lower-cased form, because PohLang keywords are case-insensitive (`Write`, `write`)
 * while most English words (`count`, `first`, `list`) stay usable as variable names.
 *
 * @module
 */
import { syntaxError } from "./syntax_error.ts";

/** What kind of token a {@link Token} is. */
export type TokenKind = "number" | "string" | "word" | "symbol" | "newline" | "eof";

/** One token with its position (1-based line and column). */
export interface Token {
  readonly kind: TokenKind;
  /** The source spelling (for strings: the decoded value). */
  readonly text: string;
  /** Lower-cased spelling of words, for keyword checks. */
  readonly lower: string;
  /** Numeric value of number tokens. */
  readonly value: number;
  readonly line: number;
  readonly col: number;
  /** True when whitespace separates this token from the previous one on the line. */
  readonly spaceBefore: boolean;
}

const TWO_CHAR_SYMBOLS = new Set(["==", "!=", ">=", "<="]);
const ONE_CHAR_SYMBOLS = new Set([..."+-*/%<>=()[]{},:"]);
/** Longest source the lexer accepts: bounds the token array a hostile input can make. */
export const MAX_SOURCE_CHARS = 4 * 1024 * 1024;

/**
 * Splits `source` into tokens; consecutive newlines collapse to one `newline` token.
 *
 * @param source program text
 * @param file file name for error messages
 * @returns the tokens, ending with an `eof` token
 */
export function tokenize(source: string, file: string): Token[] {
  if (source.length > MAX_SOURCE_CHARS) {
    throw syntaxError(
      source,
      file,
      1,
      1,
      `expected a source of at most ${MAX_SOURCE_CHARS} characters, found ${source.length}`,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let space = false;
  const push = (kind: TokenKind, text: string, start: number, value = 0): void => {
    tokens.push({
      kind,
      text,
      lower: kind === "word" ? text.toLowerCase() : text,
      value,
      line,
      col: start - lineStart + 1,
      spaceBefore: space,
    });
    space = false;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === "\n") {
      if (tokens.length > 0 && tokens[tokens.length - 1].kind !== "newline") push("newline", "", i);
      i++;
      line++;
      lineStart = i;
      space = false;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\uFEFF") {
      i++;
      space = true;
      continue;
    }
    if (c === "#" || (c === "/" && source[i + 1] === "/") || atCommentLine(source, i, tokens)) {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (isDigit(c)) {
      const start = i;
      i = numberEnd(source, i);
      const text = source.slice(start, i);
      push("number", text, start, Number(text));
      continue;
    }
    if (isWordStart(c)) {
      const start = i;
      while (i < source.length && isWordPart(source[i])) i++;
      push("word", source.slice(start, i), start);
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      const [value, end] = readString(source, i, file, line, start - lineStart + 1);
      i = end;
      push("string", value, start);
      continue;
    }
    const two = source.slice(i, i + 2);
    if (TWO_CHAR_SYMBOLS.has(two)) {
      push("symbol", two, i);
      i += 2;
      continue;
    }
    if (ONE_CHAR_SYMBOLS.has(c)) {
      push("symbol", c, i);
      i++;
      continue;
    }
    throw syntaxError(
      source,
      file,
      line,
      i - lineStart + 1,
      `unexpected character ${JSON.stringify(c)}`,
      "PohLang uses words and the symbols + - * / % = == != < > <= >= ( ) [ ] { } , :",
    );
  }
  if (tokens.length > 0 && tokens[tokens.length - 1].kind !== "newline") push("newline", "", i);
  push("eof", "", i);
  return tokens;
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "'": "'",
  "0": "\0",
};

/** Reads a quoted string starting at `start`; returns its value and the index after it. */
function readString(
  source: string,
  start: number,
  file: string,
  line: number,
  col: number,
): [string, number] {
  const quote = source[start];
  let i = start + 1;
  let out = "";
  while (i < source.length && source[i] !== quote) {
    const c = source[i];
    if (c === "\n") break;
    if (c === "\\" && i + 1 < source.length) {
      const e = ESCAPES[source[i + 1]];
      out += e ?? source[i + 1];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  if (source[i] !== quote) {
    throw syntaxError(
      source,
      file,
      line,
      col,
      "this text has no closing quote",
      `end the text with ${quote} on the same line`,
    );
  }
  return [out, i + 1];
}

/**
 * Where the number starting at `i` (a digit) ends: hex (`0xFF8800FF`, mostly for colours) or
 * decimal with an optional fraction.
 */
function numberEnd(source: string, i: number): number {
  if (
    source[i] === "0" && (source[i + 1] === "x" || source[i + 1] === "X") && isHex(source[i + 2])
  ) {
    i += 2;
    while (isHex(source[i])) i++;
    return i;
  }
  while (isDigit(source[i])) i++;
  if (source[i] === "." && isDigit(source[i + 1])) {
    i++;
    while (isDigit(source[i])) i++;
  }
  return i;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isWordStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isWordPart(c: string): boolean {
  return isWordStart(c) || isDigit(c);
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** PohLang's `Comment: …` line: the word `Comment` and a colon starting a line. */
function atCommentLine(source: string, i: number, tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (last !== undefined && last.kind !== "newline") return false;
  return /^comment[ \t]*:/i.test(source.slice(i, i + 16));
}
