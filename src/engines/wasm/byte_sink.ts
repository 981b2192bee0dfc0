/**
 * A growable byte buffer the rewriter writes into directly. The rewrite runs once per load, mostly
 * before the JIT has warmed up, where a list of small arrays and typed-array views (one per
 * changed instruction) cost more in allocation and garbage collection than the walk itself.
 *
 * @module
 */

/** Bytes written in order; sizes can be reserved and filled in later. */
export class ByteSink {
  #buf: Uint8Array;
  /** Bytes written so far. */
  length = 0;

  /**
   * Creates an empty sink.
   *
   * @param capacity initial size (it grows as needed)
   */
  constructor(capacity = 1024) {
    this.#buf = new Uint8Array(Math.max(16, capacity));
  }

  #room(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    const bigger = new Uint8Array(Math.max(this.#buf.length * 2, this.length + n));
    bigger.set(this.#buf.subarray(0, this.length));
    this.#buf = bigger;
  }

  /** One byte. */
  byte(b: number): void {
    this.#room(1);
    this.#buf[this.length++] = b;
  }

  /** Unsigned LEB128 of a value below 2^32. */
  u32(value: number): void {
    this.#room(5);
    let v = value >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.#buf[this.length++] = b;
    } while (v !== 0);
  }

  /** The bytes of `list`. */
  bytes(list: ArrayLike<number>): void {
    this.#room(list.length);
    for (let i = 0; i < list.length; i++) this.#buf[this.length++] = list[i];
  }

  /** `src[from..to)`. */
  copy(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.#room(n);
    if (n > 64) this.#buf.set(src.subarray(from, to), this.length);
    else for (let i = 0; i < n; i++) this.#buf[this.length + i] = src[from + i];
    this.length += n;
  }

  /** Reserves a five-byte LEB128 (padded, which wasm allows) to be filled by {@link fillU32}. */
  reserveU32(): number {
    this.#room(5);
    const at = this.length;
    this.length += 5;
    return at;
  }

  /** Fills a reserved LEB128 at `at` with `value`. */
  fillU32(at: number, value: number): void {
    let v = value >>> 0;
    for (let i = 0; i < 5; i++) {
      this.#buf[at + i] = (v & 0x7f) | (i < 4 ? 0x80 : 0);
      v >>>= 7;
    }
  }

  /** The bytes written (a view: copy it before writing more). */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.length);
  }
}
