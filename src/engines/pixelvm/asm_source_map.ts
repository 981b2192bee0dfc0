/**
 * Pixel Assembly's `.file "name"` and `.loc line` directives, fed to the shared source-map
 * recorder (`src/engines/source_map.ts`) that the assembler also tells about every instruction
 * and code label.
 *
 * @module
 */
import type { SourceMapRecorder } from "../source_map.ts";
import type { Line } from "./asm_values.ts";
import { asmError, type Token } from "./lexer.ts";

/** Handles `.file` (`name` `.file`) or `.loc` with its arguments. */
export function sourceDirective(
  recorder: SourceMapRecorder,
  name: string,
  args: Token[],
  line: Line,
): void {
  const t = args[0];
  const found = args.map((a) => a.text).join(" ");
  if (name === ".file") {
    if (args.length !== 1 || t.kind !== "string") {
      asmError(line.at, t?.col ?? line.col, `expected .file "name", found "${found}"`);
    }
    recorder.file(new TextDecoder().decode(t.bytes));
    return;
  }
  if (args.length !== 1 || t.kind !== "number" || t.value < 1) {
    asmError(line.at, t?.col ?? line.col, `expected .loc <line ≥ 1>, found "${found}"`);
  }
  recorder.loc(t.value);
}
