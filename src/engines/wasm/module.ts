/**
 * The outline of a WebAssembly module: its sections, imports, exports, memory limits and counts,
 * read with {@link WasmReader}. The engine's import check, the memory cap, the fuel rewriter and
 * `pxos inspect` all work from this outline; the bytes themselves are validated by the runtime's
 * own `WebAssembly.validate`.
 *
 * @module
 */
import { WasmReader } from "./binary.ts";

/** Section ids of the wasm binary format. */
export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

/** Section names for messages, by id. */
export const SECTION_NAMES: readonly string[] = [
  "custom",
  "type",
  "import",
  "function",
  "table",
  "memory",
  "global",
  "export",
  "start",
  "element",
  "code",
  "data",
  "data count",
];

/** Kinds of import and export. */
export type ExternKind = "func" | "table" | "memory" | "global" | "tag";

const KINDS: readonly ExternKind[] = ["func", "table", "memory", "global", "tag"];

/** One section: id and where its contents lie. */
export interface SectionSpan {
  /** Section id. */
  id: number;
  /** Offset of the id byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** One past the last content byte. */
  end: number;
}

/** Memory limits in 64 KiB pages. */
export interface MemoryLimits {
  /** Declared minimum. */
  min: number;
  /** Declared maximum, when there is one. */
  max?: number;
  /** Whether the memory is shared (threads). */
  shared: boolean;
}

/** One import. */
export interface WasmImport {
  /** Module name, e.g. `wasi_snapshot_preview1`. */
  module: string;
  /** Field name, e.g. `fd_write`. */
  name: string;
  /** What is imported. */
  kind: ExternKind;
  /** For memory imports: the limits. */
  memory?: MemoryLimits;
}

/** One export. */
export interface WasmExport {
  /** Exported name. */
  name: string;
  /** What is exported. */
  kind: ExternKind;
  /** Index in its index space. */
  index: number;
}

/** The outline of a module. */
export interface WasmOutline {
  /** Sections in file order. */
  sections: SectionSpan[];
  /** Imports in order. */
  imports: WasmImport[];
  /** Exports in order. */
  exports: WasmExport[];
  /** The memory the module defines (not imports), if any. */
  memory?: MemoryLimits;
  /** Offset of the defined memory's limits (flags byte), for rewriting its maximum. */
  memoryLimitsSpan?: { start: number; end: number };
  /** Imported functions (they come first in the function index space). */
  importedFuncs: number;
  /** Imported globals. */
  importedGlobals: number;
  /** Globals the module defines. */
  definedGlobals: number;
  /** Type index of each defined function. */
  funcTypes: number[];
  /**
   * Result types of each function type, as single valtype bytes; `undefined` where a result is
   * a typed reference (several bytes), which the profiler's wrapper block cannot name.
   */
  typeResults: (number[] | undefined)[];
  /** Number of parameters of each function type (a function's first local after them is free). */
  typeParams: number[];
  /** The start function's index, if there is a start section. */
  start?: number;
}

/**
 * Reads a module's outline; throws `PxosError` `E_VERIFY` naming the section and offset when the
 * structure is broken.
 *
 * @example
 * ```ts
 * import { readWasmOutline } from "@pxos/core";
 * const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
 * console.log(readWasmOutline(empty, "empty.wasm").imports.length); // 0
 * ```
 */
export function readWasmOutline(bytes: Uint8Array, path: string): WasmOutline {
  const r = new WasmReader(bytes, path);
  const magic = r.take(8, "header bytes");
  const expected = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  if (!expected.every((b, i) => magic[i] === b)) {
    r.fail("the wasm header \\0asm version 1", 0);
  }
  const outline: WasmOutline = {
    sections: [],
    imports: [],
    exports: [],
    importedFuncs: 0,
    importedGlobals: 0,
    definedGlobals: 0,
    funcTypes: [],
    typeResults: [],
    typeParams: [],
  };
  while (!r.done) {
    const start = r.pos;
    const id = r.u8();
    const size = r.u32();
    const contentStart = r.pos;
    if (contentStart + size > r.end) r.fail(`a section of ${size} bytes inside the module`, start);
    const span = { id, start, contentStart, end: contentStart + size };
    outline.sections.push(span);
    readSection(
      new WasmReader(
        bytes,
        `${path} (${SECTION_NAMES[id] ?? `section ${id}`} section)`,
        contentStart,
        span.end,
      ),
      id,
      outline,
    );
    r.pos = span.end;
  }
  return outline;
}

function readSection(r: WasmReader, id: number, outline: WasmOutline): void {
  switch (id) {
    case SECTION.type:
      for (let i = r.count(3); i > 0; i--) {
        const type = readFuncType(r);
        outline.typeParams.push(type.params);
        outline.typeResults.push(type.results);
      }
      break;
    case SECTION.start:
      outline.start = r.u32();
      break;
    case SECTION.import:
      for (let i = r.count(4); i > 0; i--) outline.imports.push(readImport(r, outline));
      break;
    case SECTION.function:
      for (let i = r.count(); i > 0; i--) outline.funcTypes.push(r.u32());
      break;
    case SECTION.memory: {
      const n = r.count(2);
      if (n > 1) r.fail("at most one memory");
      if (n === 1) {
        const start = r.pos;
        outline.memory = readLimits(r);
        outline.memoryLimitsSpan = { start, end: r.pos };
      }
      break;
    }
    case SECTION.global:
      outline.definedGlobals = r.count(3);
      break;
    case SECTION.export:
      for (let i = r.count(3); i > 0; i--) {
        const name = r.name();
        const kind = KINDS[r.u8()] ?? r.fail("an export kind 0–4", r.pos - 1);
        outline.exports.push({ name, kind, index: r.u32() });
      }
      break;
  }
}

/**
 * A function type: its parameter count, and its results as single bytes (undefined when one is
 * multi-byte).
 */
function readFuncType(r: WasmReader): { params: number; results: number[] | undefined } {
  if (r.u8() !== 0x60) r.fail("a function type (0x60)", r.pos - 1);
  const valtypes = () => {
    const bytes: number[] = [];
    let simple = true;
    for (let n = r.count(); n > 0; n--) {
      const t = r.u8();
      bytes.push(t);
      if (t === 0x63 || t === 0x64) {
        r.skipSigned(33);
        simple = false;
      }
    }
    return { bytes, simple };
  };
  const params = valtypes().bytes.length;
  const results = valtypes();
  return { params, results: results.simple ? results.bytes : undefined };
}

function readImport(r: WasmReader, outline: WasmOutline): WasmImport {
  const module = r.name();
  const name = r.name();
  const kindAt = r.pos;
  const kind = KINDS[r.u8()] ?? r.fail("an import kind 0–4", kindAt);
  const entry: WasmImport = { module, name, kind };
  switch (kind) {
    case "func":
      r.u32();
      outline.importedFuncs++;
      break;
    case "table":
      r.u8();
      readLimits(r);
      break;
    case "memory":
      entry.memory = readLimits(r);
      break;
    case "global":
      r.u8();
      r.u8();
      outline.importedGlobals++;
      break;
    case "tag":
      r.u8();
      r.u32();
      break;
  }
  return entry;
}

function readLimits(r: WasmReader): MemoryLimits {
  const at = r.pos;
  const flags = r.u8();
  if (flags > 3) r.fail("memory limits flags 0–3 (memory64 is not supported)", at);
  const min = r.u32();
  const max = flags & 1 ? r.u32() : undefined;
  return { min, max, shared: (flags & 2) !== 0 };
}
