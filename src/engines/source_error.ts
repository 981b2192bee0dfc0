/**
 * Errors that point at source text, the same way in every engine: `file:line:col: message`, the
 * source line with a caret under the spot, and an optional plain-English hint. Assemblers and
 * compilers build their syntax errors here; runtime errors quote a line the same way when a
 * source map leads back to one.
 *
 * @module
 */
import { PxosError } from "../errors.ts";

/** Longest source line quoted in full (longer ones are cut with an ellipsis). */
const QUOTE_LIMIT = 200;

/**
 * The two lines under a message that show `text` (line `line` of a source) and a caret at `col`:
 * `  12 | PUSH x` / `     |      ^`. Tabs print as one space so the caret lines up.
 *
 * @example
 * ```ts
 * import { quoteSourceLine } from "./source_error.ts";
 * console.log(quoteSourceLine("PUSH x", 3, 6).join("\n"));
 * ```
 */
export function quoteSourceLine(text: string, line: number, col: number): string[] {
  const clean = text.replace(/\r$/, "").replaceAll("\t", " ");
  const shown = clean.length > QUOTE_LIMIT ? clean.slice(0, QUOTE_LIMIT) + "…" : clean;
  const gutter = String(line);
  const caretCol = Math.max(1, Math.min(col, shown.length + 1));
  return [
    `  ${gutter} | ${shown}`,
    `  ${" ".repeat(gutter.length)} | ${" ".repeat(caretCol - 1)}^`,
  ];
}

/**
 * Builds the `E_ASSEMBLE` error for a syntax problem at `line:col`, quoting `lineText` (the text
 * of that line) with a caret, then the hint if there is one.
 *
 * @param where the file (optional), 1-based line and column
 * @param lineText the text of that source line; `undefined` when it is not known (no quote)
 * @param message what was expected and what was found
 * @param hint what to do about it (optional)
 * @returns the error to throw
 */
export function sourceLineError(
  where: { file?: string; line: number; col: number },
  lineText: string | undefined,
  message: string,
  hint?: string,
): PxosError {
  const body = [message];
  if (lineText !== undefined) body.push(...quoteSourceLine(lineText, where.line, where.col));
  if (hint) body.push(`hint: ${hint}`);
  return new PxosError("E_ASSEMBLE", body.join("\n"), {
    file: where.file,
    line: where.line,
    col: where.col,
    details: { hint },
  });
}

/**
 * Builds the `E_ASSEMBLE` error for a syntax problem at `line:col` of `source`.
 *
 * @param source the whole program text (for quoting the line)
 * @param file file name shown in the message
 * @param line 1-based line
 * @param col 1-based column
 * @param message what was expected and what was found
 * @param hint what to do about it (optional)
 * @returns the error to throw
 */
export function syntaxError(
  source: string,
  file: string | undefined,
  line: number,
  col: number,
  message: string,
  hint?: string,
): PxosError {
  return sourceLineError({ file, line, col }, source.split("\n")[line - 1] ?? "", message, hint);
}
