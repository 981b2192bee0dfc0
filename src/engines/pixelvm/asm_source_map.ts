/**
 * The assembler's source map (`src/engines/source_map.ts`): one line entry where an instruction
 * starts a new source line, and every code label. `.file "name"` and `.loc line` override where
 * the following instructions say they came from (all of them, until the next `.loc` or `.file`); the disassembler prints them, so assembling its
 * output reproduces a module's debug section byte for byte.
 *
 * @module
 */
import type { SourceMap } from "../source_map.ts";
import type { Line } from "./asm_values.ts";
import { asmError, type Token } from "./lexer.ts";

/** Collects a {@link SourceMap} while the assembler walks the source. */
export class SourceMapBuilder {
  readonly #files: string[] = [];
  readonly #lines: SourceMap["lines"] = [];
  readonly #labels: SourceMap["labels"] = [];
  #file = 0;
  /** The `.loc` line: every instruction until the next `.loc` or `.file` came from it. */
  #loc: number | undefined;

  /** Starts with `file`'s base name as the source (`<source>` when unnamed). */
  constructor(file?: string) {
    this.#files.push(baseName(file ?? "<source>"));
  }

  /** Handles `.file` / `.loc` (the caller passes only those). */
  directive(name: string, args: Token[], line: Line): void {
    const t = args[0];
    if (name === ".file") {
      if (args.length !== 1 || t.kind !== "string") {
        asmError(line.at, t?.col ?? line.col, `expected .file "name", found "${textOf(args)}"`);
      }
      const fileName = new TextDecoder().decode(t.bytes);
      if (this.#lines.length === 0 && this.#files.length === 1) {
        this.#files[0] = fileName; // named before any code: it replaces the default
        return;
      }
      let index = this.#files.indexOf(fileName);
      if (index < 0) index = this.#files.push(fileName) - 1;
      this.#file = index;
      this.#loc = undefined;
      return;
    }
    if (args.length !== 1 || t.kind !== "number" || t.value < 1) {
      asmError(line.at, t?.col ?? line.col, `expected .loc <line ≥ 1>, found "${textOf(args)}"`);
    }
    this.#loc = t.value;
  }

  /** An instruction at code `offset` written on physical source line `physical`. */
  instruction(offset: number, physical: number): void {
    const line = this.#loc ?? physical;
    const last = this.#lines[this.#lines.length - 1];
    if (last && last.file === this.#file && last.line === line) return;
    this.#lines.push({ offset, file: this.#file, line });
  }

  /** A code label. */
  label(offset: number, name: string): void {
    this.#labels.push({ offset, name });
  }

  /** The map (files that no instruction came from are kept: their indexes stay stable). */
  build(): SourceMap {
    return { files: this.#files, lines: this.#lines, labels: this.#labels };
  }
}

function textOf(args: Token[]): string {
  return args.map((a) => a.text).join(" ");
}

/** The last path segment: bytecode does not carry the author's directories. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
