/**
 * The PixelVM module format: an optional `PXIR` header in front of the code. A file without the
 * magic is a plain (headerless) program: all of it is code, memory is the default 64 KiB.
 *
 * Layout (all little-endian; full byte table in `docs/engines/pixelvm.md`):
 *
 * ```text
 * 0   "PXIR"             magic
 * 4   u8  version (1)    5  u8 flags        6  u16 reserved (0)
 * 8   u32 memoryBytes    12 u32 codeLength  16 u32 dataLength
 * 20  u16 exportCount    22 u16 importCount 24 u32 relocCount
 * 28  u8 nameLength, name (the module name)
 *     exports: u8 len, name, u32 code offset                         × exportCount
 *     imports: u8 len, module, u8 len, name, u32 n, u32 site × n     × importCount
 *     relocs:  u32 code offset of a PUSH whose operand is a data address × relocCount
 *     code (codeLength bytes), then data (dataLength bytes), then (flag 4) u32 length and the
 *     debug section (a source map, `src/engines/source_map.ts`), then nothing.
 * ```
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { decodeSourceMap, encodeSourceMap, type SourceMap } from "../source_map.ts";

/** The four magic bytes of a module header. */
export const PXIR_MAGIC = "PXIR";
/** The header version this build writes and reads. */
export const PXIR_VERSION = 1;
/** Header flag: the program declares pxOS's separate call stack (see {@link CallConvention}). */
export const FLAG_SEPARATE_CALL_STACK = 0x01;
/** Header flag: the program declares the seed's single stack. */
export const FLAG_SINGLE_STACK = 0x02;
/** Header flag: a debug section (a source map) follows the data. */
export const FLAG_DEBUG = 0x04;
/** The call-convention flag bits (at most one may be set). */
const CONVENTION_FLAGS = FLAG_SEPARATE_CALL_STACK | FLAG_SINGLE_STACK;
/** Every flag bit this build knows. */
const KNOWN_FLAGS = CONVENTION_FLAGS | FLAG_DEBUG;

/**
 * Where `CALL` keeps the return address. `"single"`: the seed reference VM's one stack — `CALL`
 * pushes the return address (a code byte offset) on the data stack and `RET` pops it from there,
 * so a function reaches its arguments by stack shuffling around it. `"separate"`: pxOS's call
 * stack, which frames (`ENTER`/`LGET`/`LSET`/`RETN`) need. A program declares one in its header
 * (`.callstack` in assembly); undeclared, it uses the separate call stack when it contains a frame
 * instruction (which the seed never had), else the seed's single stack.
 */
export type CallConvention = "single" | "separate";

/** Memory a program gets when nothing declares a size: 64 KiB. */
export const DEFAULT_MEMORY_BYTES = 65536;
/** The largest memory a module may declare (the run's `memoryBytes` limit may be lower). */
export const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

/** A name exported by a module: a code label other modules may call or jump to. */
export interface PixelExport {
  /** Export name. */
  name: string;
  /** Code byte offset it names. */
  offset: number;
}

/** A name a module uses from another module, and where. */
export interface PixelImport {
  /** The exporting module's name. */
  module: string;
  /** The exported name. */
  name: string;
  /** Code offsets of the jump/call instructions whose target is this import (ascending). */
  sites: number[];
}

/** A decoded PixelVM module (or plain program, when `headerless`). */
export interface PixelModule {
  /** True for a plain program without a `PXIR` header. */
  headerless: boolean;
  /** Module name (`""` for a plain program). */
  name: string;
  /** Memory size in bytes (a multiple of 4). */
  memoryBytes: number;
  /** The bytecode. */
  code: Uint8Array;
  /** Initial memory contents, placed at byte address 0. */
  data: Uint8Array;
  /** Exported labels. */
  exports: PixelExport[];
  /** Imported names. */
  imports: PixelImport[];
  /** Code offsets of `PUSH` instructions whose operand is a data address (ascending). */
  relocs: number[];
  /** The call convention the header declares; absent: inferred (see {@link CallConvention}). */
  callStack?: CallConvention;
  /** Source map (the debug section; only a module with a header stores one). */
  debug?: SourceMap;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` can be a module, export or label name. */
export function isValidName(name: string): boolean {
  return NAME_RE.test(name) && name.length <= 255;
}

/** True when `bytes` start with the `PXIR` magic. */
export function hasModuleHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x58 && bytes[2] === 0x49 &&
    bytes[3] === 0x52;
}

/**
 * Decodes a `.pxi` file into a {@link PixelModule}. Checks every length against the bytes that are
 * there; the code itself is checked later by the verifier.
 */
export function decodeModule(bytes: Uint8Array, file?: string): PixelModule {
  if (!hasModuleHeader(bytes)) {
    return {
      headerless: true,
      name: "",
      memoryBytes: DEFAULT_MEMORY_BYTES,
      code: bytes,
      data: new Uint8Array(0),
      exports: [],
      imports: [],
      relocs: [],
    };
  }
  const r = new Reader(bytes, file);
  r.skip(4);
  const version = r.u8("version");
  if (version !== PXIR_VERSION) {
    r.fail(4, `expected PXIR version ${PXIR_VERSION}, found ${version}`);
  }
  const flags = r.u8("flags");
  if ((flags & ~KNOWN_FLAGS) !== 0 || (flags & CONVENTION_FLAGS) === CONVENTION_FLAGS) {
    r.fail(
      5,
      `expected flags 0, ${FLAG_SEPARATE_CALL_STACK} (separate call stack) or ${FLAG_SINGLE_STACK} ` +
        `(single stack), plus ${FLAG_DEBUG} (debug section), found ${flags}`,
    );
  }
  const callStack: CallConvention | undefined = flags & FLAG_SEPARATE_CALL_STACK
    ? "separate"
    : flags & FLAG_SINGLE_STACK
    ? "single"
    : undefined;
  const reserved = r.u16("reserved");
  if (reserved !== 0) r.fail(6, `expected reserved field 0, found ${reserved}`);
  const memoryBytes = r.u32("memory size");
  if (memoryBytes % 4 !== 0 || memoryBytes > MAX_MEMORY_BYTES) {
    r.fail(
      8,
      `expected a memory size that is a multiple of 4 and ≤ ${MAX_MEMORY_BYTES}, found ${memoryBytes}`,
    );
  }
  const codeLength = r.u32("code length");
  const dataLength = r.u32("data length");
  const exportCount = r.u16("export count");
  const importCount = r.u16("import count");
  const relocCount = r.u32("relocation count");
  const name = r.name("module name");
  const exports: PixelExport[] = [];
  for (let i = 0; i < exportCount; i++) {
    exports.push({ name: r.name("export name"), offset: r.u32("export offset") });
  }
  const imports: PixelImport[] = [];
  for (let i = 0; i < importCount; i++) {
    const module = r.name("import module");
    const importName = r.name("import name");
    const count = r.u32("import site count");
    r.need(count * 4, "import sites");
    const sites: number[] = [];
    for (let k = 0; k < count; k++) sites.push(r.u32("import site"));
    imports.push({ module, name: importName, sites });
  }
  r.need(relocCount * 4, "relocations");
  const relocs: number[] = [];
  for (let i = 0; i < relocCount; i++) relocs.push(r.u32("relocation"));
  const code = r.take(codeLength, "code");
  const data = r.take(dataLength, "data");
  let debug: SourceMap | undefined;
  if (flags & FLAG_DEBUG) {
    const length = r.u32("debug section length");
    const at = r.pos;
    debug = decodeSourceMap(r.take(length, "debug section"), codeLength, file, at);
  }
  if (r.pos !== bytes.length) {
    r.fail(
      r.pos,
      `expected the file to end after the data, found ${bytes.length - r.pos} more bytes`,
    );
  }
  if (dataLength > memoryBytes) {
    r.fail(16, `expected data (${dataLength} bytes) to fit the memory size ${memoryBytes}`);
  }
  const m: PixelModule = {
    headerless: false,
    name,
    memoryBytes,
    code,
    data,
    exports,
    imports,
    relocs,
  };
  if (callStack) m.callStack = callStack;
  if (debug) m.debug = debug;
  return m;
}

/** Encodes a module; a `headerless` module is just its code. */
export function encodeModule(m: PixelModule): Uint8Array {
  if (m.headerless) return m.code.slice();
  const enc = new TextEncoder();
  const parts: number[] = [];
  const u8 = (v: number) => parts.push(v & 0xff);
  const u16 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff);
  const u32 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  const name = (s: string) => {
    const b = enc.encode(s);
    u8(b.length);
    for (const x of b) parts.push(x);
  };
  for (const c of PXIR_MAGIC) u8(c.charCodeAt(0));
  u8(PXIR_VERSION);
  const convention = m.callStack === "separate"
    ? FLAG_SEPARATE_CALL_STACK
    : m.callStack === "single"
    ? FLAG_SINGLE_STACK
    : 0;
  u8(convention | (m.debug ? FLAG_DEBUG : 0));
  u16(0);
  u32(m.memoryBytes);
  u32(m.code.length);
  u32(m.data.length);
  u16(m.exports.length);
  u16(m.imports.length);
  u32(m.relocs.length);
  name(m.name);
  for (const e of m.exports) {
    name(e.name);
    u32(e.offset);
  }
  for (const imp of m.imports) {
    name(imp.module);
    name(imp.name);
    u32(imp.sites.length);
    for (const s of imp.sites) u32(s);
  }
  for (const r of m.relocs) u32(r);
  const debug = m.debug ? encodeSourceMap(m.debug) : new Uint8Array(0);
  const trailer: number[] = [];
  if (m.debug) {
    const n = debug.length;
    trailer.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  }
  const out = new Uint8Array(
    parts.length + m.code.length + m.data.length + trailer.length + debug.length,
  );
  let at = 0;
  for (const part of [parts, m.code, m.data, trailer, debug]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A bounds-checked little-endian reader whose every failure is `E_VERIFY` with the offset. */
class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array, readonly file?: string) {}

  fail(offset: number, message: string): never {
    throw new PxosError("E_VERIFY", `bad PXIR header: ${message}`, { file: this.file, offset });
  }
  need(n: number, what: string): void {
    if (n > this.bytes.length - this.pos) {
      this.fail(
        this.pos,
        `expected ${n} bytes of ${what}, found ${this.bytes.length - this.pos} left`,
      );
    }
  }
  skip(n: number): void {
    this.pos += n;
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++];
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.bytes[this.pos] | (this.bytes[this.pos + 1] << 8);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name(what: string): string {
    const at = this.pos;
    const len = this.u8(`${what} length`);
    const raw = this.take(len, what);
    const s = new TextDecoder().decode(raw);
    if (!isValidName(s)) {
      this.fail(at, `expected ${what} to be an identifier, found ${JSON.stringify(s)}`);
    }
    return s;
  }
}
