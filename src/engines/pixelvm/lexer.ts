/**
 * Pixel Assembly tokens: one source line at a time. `;` starts a comment; literals are decimal,
 * `0x` hex, `0b` binary, `'c'` characters and `"…"` strings with escapes (`\n \t \r \0 \\ \" \'
 * \xHH \u{H…}`). Strings become bytes (UTF-8, `\xHH` a raw byte).
 *
 * @module
 */
import { sourceLineError } from "../source_error.ts";

/** A token and the 1-based column it starts at. */
export type Token =
  | { kind: "name"; text: string; col: number }
  | { kind: "number"; value: number; text: string; col: number }
  | { kind: "string"; bytes: Uint8Array; text: string; col: number }
  | { kind: "punct"; text: string; col: number };

/** Where a line came from, for error messages. */
export interface LineInfo {
  /** Source file. */
  file?: string;
  /** 1-based line number. */
  line: number;
  /** The line's text, quoted under the message with a caret. */
  text?: string;
}

/** Throws `E_ASSEMBLE` at line:col naming the offending text, the line quoted with a caret. */
export function asmError(at: LineInfo, col: number, message: string): never {
  throw sourceLineError({ file: at.file, line: at.line, col }, at.text, message);
}

const NAME_START = /[A-Za-z_.]/;
const NAME_PART = /[A-Za-z0-9_.]/;
const encoder = new TextEncoder();

/** Splits one line into tokens (the comment dropped). */
export function tokenizeLine(text: string, at: LineInfo): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const col = i + 1;
    if (c === ";") break;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < text.length && NAME_PART.test(text[j])) j++;
      tokens.push({ kind: "name", text: text.slice(i, j), col });
      i = j;
    } else if (c >= "0" && c <= "9") {
      let j = i + 1;
      while (j < text.length && /[0-9A-Za-z_]/.test(text[j])) j++;
      const raw = text.slice(i, j);
      tokens.push({ kind: "number", value: parseNumber(raw, at, col), text: raw, col });
      i = j;
    } else if (c === '"' || c === "'") {
      const { bytes, end } = readQuoted(text, i, at);
      const raw = text.slice(i, end);
      if (c === '"') {
        tokens.push({ kind: "string", bytes, text: raw, col });
      } else {
        const chars = [...new TextDecoder().decode(bytes)];
        if (chars.length !== 1 || bytes.length === 0) {
          asmError(at, col, `expected one character in ${raw}`);
        }
        const value = bytes.length === 1 ? bytes[0] : chars[0].codePointAt(0)!;
        tokens.push({ kind: "number", value, text: raw, col });
      }
      i = end;
    } else if (":,+-".includes(c)) {
      tokens.push({ kind: "punct", text: c, col });
      i++;
    } else {
      asmError(at, col, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  return tokens;
}

function parseNumber(raw: string, at: LineInfo, col: number): number {
  const lower = raw.toLowerCase();
  let value: number;
  if (/^0x[0-9a-f]+$/.test(lower)) value = parseInt(lower.slice(2), 16);
  else if (/^0b[01]+$/.test(lower)) value = parseInt(lower.slice(2), 2);
  else if (/^[0-9]+$/.test(lower)) value = parseInt(lower, 10);
  else asmError(at, col, `expected a number (decimal, 0x hex, 0b binary), found "${raw}"`);
  if (value > 0xffffffff) asmError(at, col, `number ${raw} does not fit in 32 bits`);
  return value;
}

const ESCAPES: Record<string, number> = {
  n: 10,
  t: 9,
  r: 13,
  "0": 0,
  "\\": 92,
  '"': 34,
  "'": 39,
};

/** Reads a quoted literal starting at `start`; returns its bytes and the index after it. */
function readQuoted(text: string, start: number, at: LineInfo): { bytes: Uint8Array; end: number } {
  const quote = text[start];
  const out: number[] = [];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] !== "\\") {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of encoder.encode(ch)) out.push(b);
      i += ch.length;
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && e in ESCAPES) {
      out.push(ESCAPES[e]);
      i += 2;
    } else if (e === "x" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (e === "u" && text[i + 2] === "{") {
      const close = text.indexOf("}", i + 3);
      const hex = close < 0 ? "" : text.slice(i + 3, close);
      const cp = /^[0-9A-Fa-f]{1,6}$/.test(hex) ? parseInt(hex, 16) : -1;
      if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        asmError(at, i + 1, `bad escape ${text.slice(i, close < 0 ? i + 3 : close + 1)}`);
      }
      for (const b of encoder.encode(String.fromCodePoint(cp))) out.push(b);
      i = close + 1;
    } else {
      asmError(at, i + 1, `unknown escape \\${e ?? ""} in ${text.slice(start)}`);
    }
  }
  if (i >= text.length) {
    asmError(
      at,
      start + 1,
      `unterminated ${quote === '"' ? "string" : "character"} ${text.slice(start)}`,
    );
  }
  return { bytes: new Uint8Array(out), end: i + 1 };
}

/** Renders bytes as a string literal the lexer reads back to the same bytes. */
export function quoteBytes(bytes: Uint8Array): string {
  let text: string | undefined;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  let out = '"';
  if (text !== undefined) {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      out += escapeChar(cp) ?? ch;
    }
  } else {
    for (const b of bytes) {
      out += b >= 0x80 ? hexEscape(b) : escapeChar(b) ?? String.fromCharCode(b);
    }
  }
  return out + '"';
}

function escapeChar(cp: number): string | undefined {
  if (cp === 10) return "\\n";
  if (cp === 9) return "\\t";
  if (cp === 13) return "\\r";
  if (cp === 34) return '\\"';
  if (cp === 92) return "\\\\";
  if (cp < 0x20 || cp === 0x7f) return hexEscape(cp);
  // Invisible or line-breaking code points would not survive a text round trip.
  if (cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || (cp >= 0x80 && cp < 0xa0)) {
    return `\\u{${cp.toString(16)}}`;
  }
  return undefined;
}

function hexEscape(b: number): string {
  return `\\x${b.toString(16).padStart(2, "0")}`;
}
