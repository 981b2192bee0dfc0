/**
 * Source maps: every emitted byte range → the IR statement it came from (its line) and, when the
 * IR was generated from a higher language, that source's line and file.
 *
 * @module
 */
import type { IrData, IrInstruction, PlacedProgram } from "./ast.ts";
import { formatData, formatInstruction } from "./print_text.ts";

/** One mapped byte range. */
export interface SourceMapEntry {
  /** First byte (offset in the output file). */
  start: number;
  /** One past the last byte. */
  end: number;
  /** `code`, `data`, or `runtime` (a backend's own routine for a SYSCALL). */
  kind: "code" | "data" | "runtime";
  /** Index into the IR's `instructions` (code) or `data` (data); -1 for runtime. */
  index: number;
  /** The IR line (or JSON element number). */
  line: number;
  /** The IR statement as text. */
  text: string;
  /** The higher-level source line, when known. */
  source_line?: number;
  /** The higher-level source file, when known. */
  source_file?: string;
}

/** A source map file (`<output>.map.json`). */
export interface SourceMap {
  /** Always 1. */
  version: 1;
  /** The backend target. */
  target: string;
  /** The IR file. */
  ir: string;
  /** The load address of byte 0. */
  origin: number;
  /** The ranges, in address order. */
  entries: SourceMapEntry[];
}

/** The entry covering byte `offset`, if any. */
export function entryAt(map: SourceMap, offset: number): SourceMapEntry | undefined {
  return map.entries.find((e) => offset >= e.start && offset < e.end);
}

/**
 * The map entry for IR node `index` (`kind` code or data) emitted as bytes `start`..`end`. A
 * runtime routine's node (from a backend's own IR) is recorded as `runtime` with index -1.
 */
export function mapEntryFor(
  placed: PlacedProgram,
  kind: "code" | "data",
  index: number,
  start: number,
  end: number,
  runtime = false,
): SourceMapEntry {
  const node = kind === "code" ? placed.program.instructions[index] : placed.program.data[index];
  const place = kind === "code" ? placed.places[index] : placed.dataPlaces[index];
  const text = kind === "code"
    ? formatInstruction(node as IrInstruction)
    : `${(node as IrData).label !== null ? `${(node as IrData).label}: ` : ""}${
      formatData(node as IrData)
    }`;
  return {
    start,
    end,
    kind: runtime ? "runtime" : kind,
    index: runtime ? -1 : index,
    line: place.line,
    text,
    ...(node.source_line !== undefined ? { source_line: node.source_line } : {}),
    ...(node.source_file !== undefined ? { source_file: node.source_file } : {}),
  };
}
