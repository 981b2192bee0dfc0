/**
 * Source maps for bytecode engines: which source file and line each code offset came from, and
 * the user's labels, so traps, fuel errors, `--trace` and the disassembler speak in the
 * program's own terms. The assemblers build one; a module carries it in its debug section,
 * encoded as below (all integers little-endian):
 *
 * ```text
 * 0  "PXDB"                magic
 * 4  u8  version (1)
 * 5  u8  file count F      then F × (u16 length, UTF-8 file name)
 *    u32 line count L      then L × (u32 code offset, u8 file index, u32 line), offsets ascending
 *    u32 label count N     then N × (u32 code offset, u8 length, name)
 * ```
 *
 * Offsets are into the code; a line entry covers code from its offset to the next entry's.
 * Decoding checks every count against the bytes present (`E_VERIFY`), so a damaged section
 * cannot make the loader allocate more than the file's size.
 *
 * @module
 */
import { PxosError } from "../errors.ts";

/** Where code came from: files, an offset → line table, and labels. */
export interface SourceMap {
  /** Source file names (base names, as the assembler saw them). */
  files: string[];
  /** Line entries, offsets ascending: code from `offset` on came from `files[file]`:`line`. */
  lines: { offset: number; file: number; line: number }[];
  /** The user's code labels, by code offset (several may share one). */
  labels: { offset: number; name: string }[];
}

/** The four magic bytes of an encoded source map. */
export const SOURCE_MAP_MAGIC = "PXDB";
const VERSION = 1;
/** What a label may look like (the assemblers' label syntax, one regex for both). */
const LABEL_RE = /^[A-Za-z_.$][\w.$]*$/;

/** The source file and line of code `offset`, or `undefined` when the map does not cover it. */
export function sourceLineAt(
  map: SourceMap | undefined,
  offset: number,
): { file: string; line: number } | undefined {
  if (!map || map.lines.length === 0 || offset < map.lines[0].offset) return undefined;
  let lo = 0, hi = map.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.lines[mid].offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  const entry = map.lines[lo];
  return { file: map.files[entry.file] ?? "?", line: entry.line };
}

/** The label at or before `offset` (the code it belongs to), or `undefined`. */
export function enclosingLabel(map: SourceMap | undefined, offset: number): string | undefined {
  let best: { offset: number; name: string } | undefined;
  for (const l of map?.labels ?? []) {
    if (l.offset <= offset && (!best || l.offset > best.offset)) best = l;
  }
  return best?.name;
}

/** The first label at exactly `offset`, or `undefined`. */
export function labelAt(map: SourceMap | undefined, offset: number): string | undefined {
  return map?.labels.find((l) => l.offset === offset)?.name;
}

/** A map moved `by` bytes and its files renumbered from `firstFile` (for linking). */
export function shiftSourceMap(map: SourceMap, by: number, firstFile: number): SourceMap {
  return {
    files: map.files,
    lines: map.lines.map((l) => ({ ...l, offset: l.offset + by, file: l.file + firstFile })),
    labels: map.labels.map((l) => ({ ...l, offset: l.offset + by })),
  };
}

/**
 * Records a {@link SourceMap} while an assembler walks its source: one line entry where an
 * instruction starts a new source line, and every code label. `file()` and `loc()` (the
 * assemblers' `.file "name"` and `.loc line`) override where the following instructions came
 * from, so a disassembler can restate a debug section that assembles back byte for byte.
 */
export class SourceMapRecorder {
  readonly #files: string[] = [];
  readonly #lines: SourceMap["lines"] = [];
  readonly #labels: SourceMap["labels"] = [];
  #file = 0;
  /** The `.loc` line: every instruction until the next `.loc` or `.file` came from it. */
  #loc: number | undefined;

  /** Starts with `path`'s base name as the source (`<source>` when unnamed). */
  constructor(path?: string) {
    this.#files.push(baseName(path ?? "<source>"));
  }

  /** `.file "name"`: the following code came from `name` (before any code: the main file). */
  file(name: string): void {
    this.#loc = undefined;
    if (this.#lines.length === 0 && this.#files.length === 1) {
      this.#files[0] = name;
      return;
    }
    const index = this.#files.indexOf(name);
    this.#file = index >= 0 ? index : this.#files.push(name) - 1;
  }

  /** `.loc line`: the following code came from `line`. */
  loc(line: number): void {
    this.#loc = line;
  }

  /** Code at `offset`, written on physical source line `physical`. */
  code(offset: number, physical: number): void {
    const line = this.#loc ?? physical;
    const last = this.#lines[this.#lines.length - 1];
    if (last && last.file === this.#file && last.line === line) return;
    this.#lines.push({ offset, file: this.#file, line });
  }

  /** A code label. */
  label(offset: number, name: string): void {
    this.#labels.push({ offset, name });
  }

  /** The map recorded so far. */
  build(): SourceMap {
    return { files: this.#files, lines: this.#lines, labels: this.#labels };
  }
}

/** The last path segment: bytecode does not carry the author's directories. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/**
 * The `.file` / `.loc` lines that restate `map`'s line table, by code offset (what a
 * disassembler prints before the instruction at that offset).
 */
export function locationDirectives(map: SourceMap | undefined): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let file = -1;
  for (const l of map?.lines ?? []) {
    const lines = out.get(l.offset) ?? [];
    if (l.file !== file) {
      lines.push(`.file ${JSON.stringify(map!.files[l.file])}`);
      file = l.file;
    }
    lines.push(`.loc ${l.line}`);
    out.set(l.offset, lines);
  }
  return out;
}

/** Encodes a map (see the module doc for the layout). */
export function encodeSourceMap(map: SourceMap): Uint8Array {
  const enc = new TextEncoder();
  const out: number[] = [];
  const u8 = (v: number) => out.push(v & 0xff);
  const u16 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff);
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  for (const c of SOURCE_MAP_MAGIC) u8(c.charCodeAt(0));
  u8(VERSION);
  const files = map.files.slice(0, 255);
  u8(files.length);
  for (const f of files) {
    const b = enc.encode(f).subarray(0, 0xffff);
    u16(b.length);
    out.push(...b);
  }
  const lines = map.lines.filter((l) => l.file < files.length);
  u32(lines.length);
  for (const l of lines) {
    u32(l.offset);
    u8(l.file);
    u32(l.line);
  }
  const labels = map.labels.map((l) => ({ ...l, bytes: enc.encode(l.name).subarray(0, 255) }));
  u32(labels.length);
  for (const l of labels) {
    u32(l.offset);
    u8(l.bytes.length);
    out.push(...l.bytes);
  }
  return Uint8Array.from(out);
}

/**
 * Decodes a map. `codeLength` bounds the offsets; `file`/`at` place errors (`E_VERIFY`).
 */
export function decodeSourceMap(
  bytes: Uint8Array,
  codeLength: number,
  file?: string,
  at = 0,
): SourceMap {
  let pos = 0;
  const fail = (message: string): never => {
    throw new PxosError("E_VERIFY", `bad debug section: ${message}`, { file, offset: at + pos });
  };
  const need = (n: number, what: string) => {
    if (n > bytes.length - pos) {
      fail(`expected ${n} bytes of ${what}, found ${bytes.length - pos} left`);
    }
  };
  const u8 = (what: string) => (need(1, what), bytes[pos++]);
  const u16 = (what: string) => (need(2, what), pos += 2, bytes[pos - 2] | (bytes[pos - 1] << 8));
  const u32 = (what: string) => {
    need(4, what);
    pos += 4;
    const b = bytes;
    return (b[pos - 4] | (b[pos - 3] << 8) | (b[pos - 2] << 16) | (b[pos - 1] << 24)) >>> 0;
  };
  const dec = new TextDecoder("utf-8", { fatal: false });
  const text = (n: number, what: string) => {
    need(n, what);
    pos += n;
    return dec.decode(bytes.subarray(pos - n, pos));
  };
  const magic = text(4, "magic");
  if (magic !== SOURCE_MAP_MAGIC) {
    fail(`expected magic ${SOURCE_MAP_MAGIC}, found ${JSON.stringify(magic)}`);
  }
  const version = u8("version");
  if (version !== VERSION) fail(`expected version ${VERSION}, found ${version}`);
  const files: string[] = [];
  for (let n = u8("file count"), i = 0; i < n; i++) {
    const name = text(u16("file name length"), "file name");
    // Names reach terminals in messages: no control characters.
    if ([...name].some(isControl)) fail(`file name ${JSON.stringify(name)}`);
    files.push(name);
  }
  const lineCount = u32("line count");
  need(lineCount * 9, "line entries");
  const lines: SourceMap["lines"] = [];
  for (let i = 0; i < lineCount; i++) {
    const offset = u32("offset"), fileIndex = u8("file index"), line = u32("line");
    if (offset > codeLength || fileIndex >= files.length) {
      fail(`line entry ${i} (offset ${offset}, file ${fileIndex}) is outside the code or files`);
    }
    if (i > 0 && offset < lines[i - 1].offset) fail(`line entries must ascend (entry ${i})`);
    lines.push({ offset, file: fileIndex, line });
  }
  const labelCount = u32("label count");
  need(labelCount * 6, "labels");
  const labels: SourceMap["labels"] = [];
  for (let i = 0; i < labelCount; i++) {
    const offset = u32("label offset");
    const name = text(u8("label length"), "label");
    if (!LABEL_RE.test(name)) fail(`expected a label name, found ${JSON.stringify(name)}`);
    if (offset > codeLength) fail(`label ${name} is outside the code`);
    labels.push({ offset, name });
  }
  if (pos !== bytes.length) fail(`found ${bytes.length - pos} bytes after the labels`);
  return { files, lines, labels };
}

/** C0 and C1 control characters (and DEL): never printed from untrusted names. */
function isControl(c: string): boolean {
  const code = c.codePointAt(0)!;
  return code < 0x20 || (code >= 0x7f && code < 0xa0);
}
