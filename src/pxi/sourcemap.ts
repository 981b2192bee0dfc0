/**
 * Source maps: every emitted byte range → the IR statement it came from (its line) and, when the
 * IR was generated from a higher language, that source's line and file.
 *
 * @module
 */

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
