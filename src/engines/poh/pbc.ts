/**
 * The `.pbc` file format (documented byte by byte in `docs/POHC.md`): magic `POHC`, a u32
 * version, a deduplicated tagged constant pool, the globals, then each function with its code and
 * debug info (parameter counts, local names, upvalues, line table). All integers little-endian.
 *
 * The reader treats its input as hostile: every count is checked against the bytes that are
 * actually left before anything is allocated.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { LineEntry, PohConst, PohModule, PohProto, UpvalueDesc } from "./module.ts";

/** The 4 magic bytes every `.pbc` file starts with. */
export const PBC_MAGIC = "POHC";
/** The format version this build writes and reads. */
export const PBC_VERSION = 1;

const TAG_NULL = 0;
const TAG_FALSE = 1;
const TAG_TRUE = 2;
const TAG_NUMBER = 3;
const TAG_STRING = 4;

/** True when `bytes` start with the `POHC` magic (how `load` tells bytecode from source). */
export function isPbc(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4f && bytes[2] === 0x48 &&
    bytes[3] === 0x43;
}

class ByteWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/**
 * Serialises a module to `.pbc` bytes. Names (functions, locals, globals, files) are stored as
 * string constants, so the pool is the only place text lives.
 *
 * @param module the compiled module
 * @returns the file bytes
 */
export function writePbc(module: PohModule): Uint8Array {
  const consts = module.consts.slice();
  const index = new Map<string, number>();
  consts.forEach((c, i) => {
    if (typeof c === "string" && !index.has(c)) index.set(c, i);
  });
  const name = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = consts.length;
      consts.push(s);
      index.set(s, i);
    }
    return i;
  };
  // Intern every name first so the pool is complete before it is written.
  name(module.file);
  module.globals.forEach(name);
  for (const f of module.functions) {
    name(f.name);
    name(f.file);
    f.localNames.forEach(name);
    f.upvalues.forEach((u) => name(u.name));
    f.lines.forEach((l) => name(l.file));
  }
  const w = new ByteWriter();
  w.bytes(new TextEncoder().encode(PBC_MAGIC));
  w.u32(PBC_VERSION);
  w.u32(consts.length);
  const enc = new TextEncoder();
  for (const c of consts) {
    if (c === null) w.u8(TAG_NULL);
    else if (c === false) w.u8(TAG_FALSE);
    else if (c === true) w.u8(TAG_TRUE);
    else if (typeof c === "number") {
      w.u8(TAG_NUMBER);
      w.f64(c);
    } else {
      const b = enc.encode(c);
      w.u8(TAG_STRING);
      w.u32(b.length);
      w.bytes(b);
    }
  }
  w.u32(name(module.file));
  w.u32(module.globals.length);
  module.globals.forEach((g) => w.u32(name(g)));
  w.u32(module.functions.length);
  for (const f of module.functions) {
    w.u32(name(f.name));
    w.u32(name(f.file));
    w.u32(f.line);
    w.u32(f.paramCount);
    w.u32(f.requiredCount);
    w.u32(f.localNames.length);
    f.localNames.forEach((n) => w.u32(name(n)));
    w.u32(f.upvalues.length);
    for (const u of f.upvalues) {
      w.u8(u.fromParentLocal ? 1 : 0);
      w.u32(u.index);
      w.u32(name(u.name));
    }
    w.u32(f.code.length);
    for (const word of f.code) w.i32(word);
    w.u32(f.lines.length);
    for (const l of f.lines) {
      w.u32(l.pc);
      w.u32(name(l.file));
      w.u32(l.line);
    }
  }
  return w.result();
}

class ByteReader {
  pos = 0;
  private readonly view: DataView;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(private readonly bytes: Uint8Array, private readonly file: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(what: string): never {
    throw new PxosError("E_VERIFY", what, { file: this.file, offset: this.pos });
  }
  need(n: number, what: string): void {
    if (n > this.bytes.length - this.pos) {
      this.fail(`expected ${what} (${n} bytes), found ${this.bytes.length - this.pos} bytes left`);
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++];
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** A count of items each at least `minBytes` long: refused when they cannot all be there. */
  count(what: string, minBytes: number): number {
    const at = this.pos;
    const n = this.u32(`${what} count`);
    if (n * minBytes > this.bytes.length - this.pos) {
      this.pos = at;
      this.fail(
        `expected ${n} ${what} of at least ${minBytes} bytes each, found ${
          this.bytes.length - this.pos - 4
        } bytes left`,
      );
    }
    return n;
  }
  utf8(n: number): string {
    this.need(n, "string bytes");
    try {
      const s = this.decoder.decode(this.bytes.subarray(this.pos, this.pos + n));
      this.pos += n;
      return s;
    } catch {
      return this.fail("expected UTF-8 text in a string constant, found invalid bytes");
    }
  }
}

/**
 * Parses `.pbc` bytes into a module. Structure only: run `verifyModule` before executing it.
 *
 * @param bytes the file bytes
 * @param file file name for error messages
 * @returns the module; throws `PxosError` `E_VERIFY` with the byte offset when malformed
 */
export function readPbc(bytes: Uint8Array, file: string): PohModule {
  const r = new ByteReader(bytes, file);
  if (!isPbc(bytes)) {
    r.fail(
      `expected the magic "POHC", found ${
        JSON.stringify(String.fromCharCode(...bytes.slice(0, 4)))
      }`,
    );
  }
  r.pos = 4;
  const version = r.u32("version");
  if (version !== PBC_VERSION) r.fail(`expected .pbc version ${PBC_VERSION}, found ${version}`);
  const consts: PohConst[] = [];
  const nConsts = r.count("constants", 1);
  for (let i = 0; i < nConsts; i++) {
    const tag = r.u8("constant tag");
    if (tag === TAG_NULL) consts.push(null);
    else if (tag === TAG_FALSE) consts.push(false);
    else if (tag === TAG_TRUE) consts.push(true);
    else if (tag === TAG_NUMBER) consts.push(r.f64("number constant"));
    else if (tag === TAG_STRING) consts.push(r.utf8(r.u32("string length")));
    else {
      r.pos--;
      r.fail(`expected a constant tag 0–4, found ${tag}`);
    }
  }
  const str = (what: string): string => {
    const at = r.pos;
    const i = r.u32(what);
    const c = consts[i];
    if (typeof c !== "string") {
      r.pos = at;
      return r.fail(`expected ${what} to index a string constant (< ${consts.length}), found ${i}`);
    }
    return c;
  };
  const mainFile = str("file name");
  const globals: string[] = [];
  const nGlobals = r.count("globals", 4);
  for (let i = 0; i < nGlobals; i++) globals.push(str("global name"));
  const functions: PohProto[] = [];
  const nFunctions = r.count("functions", 36);
  if (nFunctions === 0) r.fail("expected at least one function (main), found 0");
  for (let f = 0; f < nFunctions; f++) {
    const name = str("function name");
    const fileName = str("function file");
    const line = r.u32("definition line");
    const paramCount = r.u32("parameter count");
    const requiredCount = r.u32("required parameter count");
    const localNames: string[] = [];
    const nLocals = r.count("locals", 4);
    for (let i = 0; i < nLocals; i++) localNames.push(str("local name"));
    if (paramCount > nLocals || requiredCount > paramCount) {
      r.fail(
        `expected required ≤ parameters ≤ locals, found ${requiredCount}, ${paramCount}, ${nLocals}`,
      );
    }
    const upvalues: UpvalueDesc[] = [];
    const nUp = r.count("upvalues", 9);
    for (let i = 0; i < nUp; i++) {
      const kind = r.u8("upvalue kind");
      if (kind > 1) r.fail(`expected upvalue kind 0 or 1, found ${kind}`);
      const index = r.u32("upvalue index");
      upvalues.push({ fromParentLocal: kind === 1, index, name: str("upvalue name") });
    }
    const nCode = r.count("code words", 4);
    const code = new Int32Array(nCode);
    for (let i = 0; i < nCode; i++) code[i] = r.i32();
    const lines: LineEntry[] = [];
    const nLines = r.count("line entries", 12);
    for (let i = 0; i < nLines; i++) {
      const pc = r.u32("line pc");
      lines.push({ pc, file: str("line file"), line: r.u32("line number") });
    }
    functions.push({
      name,
      file: fileName,
      line,
      paramCount,
      requiredCount,
      localNames,
      upvalues,
      code,
      lines,
    });
  }
  if (r.pos !== bytes.length) {
    r.fail(`expected the end of the file, found ${bytes.length - r.pos} more bytes`);
  }
  return { file: mainFile, consts, globals, functions };
}
