/**
 * A bounds-checked cursor over WebAssembly bytes (LEB128 integers, names, vectors) and the
 * matching writers. Every read checks what is left first, so a truncated or mutated module fails
 * with `PxosError` `E_VERIFY` at a byte offset instead of reading past the end.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads wasm's primitive encodings from `bytes[start, end)`. */
export class WasmReader {
  /** The whole module (offsets in errors are into it). */
  readonly bytes: Uint8Array;
  /** Next byte to read. */
  pos: number;
  /** One past the last byte this reader may read. */
  readonly end: number;
  /** Names the module for error messages. */
  readonly path: string;

  /**
   * Creates a reader.
   *
   * @param bytes the module
   * @param path where it came from (for errors)
   * @param start first byte
   * @param end one past the last byte
   */
  constructor(bytes: Uint8Array, path: string, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.path = path;
    this.pos = start;
    this.end = end;
  }

  /** Whether every byte has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Throws `E_VERIFY` naming the offset and `what` was expected. */
  fail(what: string, at: number = this.pos): never {
    throw new PxosError("E_VERIFY", `${this.path}: expected ${what} at byte ${at}`, {
      file: this.path,
      offset: at,
    });
  }

  /** One byte. */
  u8(): number {
    if (this.pos >= this.end) this.fail("another byte (the module ends early)");
    return this.bytes[this.pos++];
  }

  /** `n` raw bytes. */
  take(n: number, what = "bytes"): Uint8Array {
    if (n < 0 || this.pos + n > this.end) {
      this.fail(`${n} ${what} (only ${this.end - this.pos} left)`);
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Unsigned LEB128 up to 32 bits. */
  u32(): number {
    // One-byte values are most immediates (local indexes, small constants): no loop for them.
    if (this.pos < this.end && this.bytes[this.pos] < 0x80) return this.bytes[this.pos++];
    const at = this.pos;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffff_ffff) this.fail("a u32 LEB128 that fits 32 bits", at);
        return result;
      }
    }
    this.fail("a u32 LEB128 of at most 5 bytes", at);
  }

  /** Skips a signed LEB128 of at most `bits` bits (values are not needed, only their length). */
  skipSigned(bits: number): void {
    const at = this.pos;
    const max = Math.ceil(bits / 7);
    for (let i = 0; i < max; i++) if ((this.u8() & 0x80) === 0) return;
    this.fail(`a signed LEB128 of at most ${max} bytes`, at);
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const at = this.pos;
    const raw = this.take(this.u32(), "name bytes");
    try {
      return utf8.decode(raw);
    } catch {
      this.fail("a UTF-8 name", at);
    }
  }

  /** A count for a vector whose items take at least `minItemBytes` each (bounds allocation). */
  count(minItemBytes = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minItemBytes > this.end - this.pos) {
      this.fail(`a vector count that fits the section (found ${n})`, at);
    }
    return n;
  }
}

/** Bytes to concatenate: slices of the input and small encoded pieces. */
export type ByteParts = (Uint8Array | number[])[];

/**
 * Concatenates `parts` into one array (one allocation: rewriting stays linear and fast). The
 * small encoded pieces are copied byte by byte: a typed array per piece (`Uint8Array.from`) cost
 * more than the whole rest of a rewrite.
 */
export function concatParts(parts: ByteParts): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    if (part instanceof Uint8Array) out.set(part, at);
    else for (let i = 0; i < part.length; i++) out[at + i] = part[i];
    at += part.length;
  }
  return out;
}

/** The unsigned LEB128 of `value`. */
export function u32Bytes(value: number): number[] {
  const out: number[] = [];
  writeU32(out, value);
  return out;
}

/** Appends an unsigned LEB128 to `out`. */
export function writeU32(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

/** Appends a signed LEB128 (up to 64 bits) to `out`. */
export function writeSigned(out: number[], value: bigint): void {
  let v = value;
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const signBit = (b & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Appends a length-prefixed UTF-8 name. */
export function writeName(out: number[], name: string): void {
  const raw = new TextEncoder().encode(name);
  writeU32(out, raw.length);
  for (const b of raw) out.push(b);
}
