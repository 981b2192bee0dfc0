/**
 * Guest text on the user's terminal. A cartridge's title, description, file names, paths and
 * output are written by whoever made the cartridge; a control sequence in them could clear the
 * screen, move the cursor over a permission prompt or reorder what the user reads (bidi
 * overrides). Manifest paths and host patterns refuse such characters outright
 * ({@link findUnsafeCharacter}); everything else a guest supplies is escaped by
 * {@link escapeForTerminal} before it is printed — one function, used by every printer.
 *
 * @module
 */

/**
 * Characters that change how a terminal shows text instead of being shown: C0 controls, DEL,
 * C1 controls, and the Unicode bidirectional formatting characters (embeddings, overrides,
 * isolates, marks) plus the line and paragraph separators.
 */
const BIDI_AND_SEPARATORS = "\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
// Built from strings: a regular-expression literal with control characters reads as a mistake.
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI_AND_SEPARATORS}]`, "u");
const UNSAFE_GLOBAL = new RegExp(UNSAFE.source, "gu");
/** The same, but letting line feed and tab through (for multi-line program output). */
const UNSAFE_IN_OUTPUT_GLOBAL = new RegExp(
  `[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI_AND_SEPARATORS}]`,
  "gu",
);

/**
 * The first character of `text` that a terminal would act on rather than show, with its index,
 * or `null` when there is none.
 *
 * @example
 * ```ts
 * import { findUnsafeCharacter } from "@pxos/core";
 * console.log(findUnsafeCharacter("./data\u001b[2K")); // { index: 6, codePoint: 27, name: "U+001B" }
 * ```
 */
export function findUnsafeCharacter(
  text: string,
): { index: number; codePoint: number; name: string } | null {
  const match = UNSAFE.exec(text);
  if (match === null) return null;
  const codePoint = match[0].codePointAt(0)!;
  return { index: match.index, codePoint, name: codePointName(codePoint) };
}

/**
 * Escapes every character a terminal would act on (see {@link findUnsafeCharacter}) as a
 * visible `\xHH` / `\u{HHHH}` sequence; in text that needed escaping a backslash becomes `\\`,
 * so an escape cannot be forged. With `keepLines`, line feeds and tabs pass (program output); otherwise
 * they are escaped too (titles, names and paths are one line).
 *
 * @example
 * ```ts
 * import { escapeForTerminal } from "@pxos/core";
 * console.log(escapeForTerminal("Hi\u001b[2J")); // Hi\x1b[2J
 * ```
 */
export function escapeForTerminal(text: string, options: { keepLines?: boolean } = {}): string {
  const pattern = options.keepLines ? UNSAFE_IN_OUTPUT_GLOBAL : UNSAFE_GLOBAL;
  pattern.lastIndex = 0;
  // Text with nothing to escape prints unchanged, backslashes included (Windows paths, regular
  // expressions in program output); only text that needed escaping has its backslashes doubled.
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  return text.replace(/\\/g, "\\\\").replace(pattern, (ch) => {
    const cp = ch.codePointAt(0)!;
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u{${cp.toString(16)}}`;
  });
}

function codePointName(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}
