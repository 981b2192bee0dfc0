/**
 * Syntax errors that read well: `file:line:col: message`, the source line with a caret under the
 * spot, and a plain-English hint on what to do.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";

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
  file: string,
  line: number,
  col: number,
  message: string,
  hint?: string,
): PxosError {
  const lines = source.split("\n");
  const text = (lines[line - 1] ?? "").replace(/\r$/, "").replaceAll("\t", " ");
  const gutter = String(line);
  const pad = " ".repeat(gutter.length);
  const shown = text.length > 200 ? text.slice(0, 200) + "…" : text;
  const caretCol = Math.max(1, Math.min(col, shown.length + 1));
  const body = [
    message,
    `  ${gutter} | ${shown}`,
    `  ${pad} | ${" ".repeat(caretCol - 1)}^`,
  ];
  if (hint) body.push(`hint: ${hint}`);
  return new PxosError("E_ASSEMBLE", body.join("\n"), {
    file,
    line,
    col,
    details: { hint },
  });
}
