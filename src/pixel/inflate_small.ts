/**
 * A synchronous inflater in plain JavaScript for small streams (RFC 1951 raw deflate, or RFC 1950
 * zlib with its Adler-32 checked), used where neither alternative pays: `node:zlib` starts Deno's
 * Node layer (see `native_modules.ts`), and the first `DecompressionStream` of a process measured
 * 16–40 ms (the stream machinery's first use), then 3–6 ms per call — while a small cartridge's
 * label rows and members are a few KiB. Every `pxos boot` opens its cartridge twice (the CLI and
 * the sandbox process), so that first use was on the start-up path of every boot. A well-kept npm
 * inflater (`fflate`) was the first choice and was measured: a process that imports any `npm:`
 * package pays Deno's npm resolution at start, ≈ 60 ms (`deno run` of a file importing
 * `npm:fflate` and inflating two bytes: 150–154 ms against 88–94 ms for `console.log`, load ≈ 4),
 * more than the stream's first use it would replace.
 *
 * Decoding follows the RFC directly (canonical Huffman codes decoded a bit at a time, counted per
 * length): slow per byte, so only for small streams (`zlib.ts` decides), and simple enough to
 * check against `node:zlib` over random and hostile inputs (`tests/pixel/inflate_small_test.ts`).
 * The output buffer is `maxBytes` long, allocated at once (so keep the limit small: the caller's
 * exact expected size); a stream that would pass it is refused where it would.
 *
 * @module
 */
import { adler32 } from "./zlib.ts"; // (zlib.ts imports this module too; neither runs the other at load)

/** Why a stream was refused; `tooLong`: it inflates to more than was allowed. */
export class InflateError extends Error {
  /** Whether the stream was refused for inflating past the limit (else it is malformed). */
  readonly tooLong: boolean;
  constructor(message: string, tooLong = false) {
    super(message);
    this.tooLong = tooLong;
  }
}

const MAX_BITS = 15;
/** Length base values and extra bits for codes 257..285 (RFC 1951 §3.2.5). */
// deno-fmt-ignore
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
// deno-fmt-ignore
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/** Distance base values and extra bits for codes 0..29. */
// deno-fmt-ignore
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
  2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
// deno-fmt-ignore
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
  13,
];
/** Order of the code length code lengths in a dynamic block header. */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

/**
 * Builds a code from symbol lengths, refusing what zlib refuses: an over-subscribed set, and an
 * incomplete one unless `singleAllowed` and it is a single one-bit code (a literal or distance
 * code may be that; a code-length code may not). A set with no codes at all is accepted here
 * and fails when a symbol is decoded with it.
 */
function huffman(lengths: ArrayLike<number>, n: number, singleAllowed: boolean): Huffman {
  const counts = new Uint16Array(MAX_BITS + 1);
  for (let s = 0; s < n; s++) counts[lengths[s]]++;
  const used = n - counts[0];
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = left * 2 - counts[len];
    if (left < 0) throw new InflateError("over-subscribed Huffman code");
  }
  if (used > 0 && left > 0 && !(singleAllowed && used === 1 && counts[1] === 1)) {
    throw new InflateError("incomplete Huffman code");
  }
  return { counts, symbols: symbolsInCodeOrder(lengths, n, counts) };
}

function symbolsInCodeOrder(lengths: ArrayLike<number>, n: number, counts: Uint16Array) {
  const offsets = new Uint16Array(MAX_BITS + 2);
  for (let len = 1; len <= MAX_BITS; len++) offsets[len + 1] = offsets[len] + counts[len];
  const symbols = new Uint16Array(n);
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) symbols[offsets[lengths[s]]++] = s;
  return symbols;
}

/** The fixed codes' tables (RFC 1951 §3.2.6), not checked: the distance code is incomplete. */
function fixedCode(lengths: Uint8Array): Huffman {
  const counts = new Uint16Array(MAX_BITS + 1);
  for (const len of lengths) counts[len]++;
  counts[0] = 0;
  return { counts, symbols: symbolsInCodeOrder(lengths, lengths.length, counts) };
}

let fixedCodes: { lit: Huffman; dist: Huffman } | undefined;

function fixed(): { lit: Huffman; dist: Huffman } {
  if (fixedCodes) return fixedCodes;
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144);
  lengths.fill(9, 144, 256);
  lengths.fill(7, 256, 280);
  lengths.fill(8, 280, 288);
  fixedCodes = { lit: fixedCode(lengths), dist: fixedCode(new Uint8Array(30).fill(5)) };
  return fixedCodes;
}

/** The decoder's state: input position (bytes and a bit buffer) and the output so far. */
class Inflater {
  #in: Uint8Array;
  #pos = 0;
  #bitBuf = 0;
  #bitCount = 0;
  readonly out: Uint8Array;
  written = 0;
  #max: number;

  constructor(input: Uint8Array, start: number, maxBytes: number) {
    this.#in = input;
    this.#pos = start;
    this.#max = maxBytes;
    // The whole limit at once (callers expect an exact size, and keep this for small streams):
    // growing by doubling measured as much time as the decoding for a 50 KB image.
    this.out = new Uint8Array(maxBytes);
  }

  get position(): number {
    return this.#pos;
  }

  bits(n: number): number {
    while (this.#bitCount < n) {
      if (this.#pos >= this.#in.length) throw new InflateError("unexpected end of data");
      this.#bitBuf |= this.#in[this.#pos++] << this.#bitCount;
      this.#bitCount += 8;
    }
    const v = this.#bitBuf & ((1 << n) - 1);
    this.#bitBuf >>>= n;
    this.#bitCount -= n;
    return v;
  }

  /** Drops the bits left in the current byte (before a stored block, at the stream's end). */
  alignToByte(): void {
    this.#bitBuf = 0;
    this.#bitCount = 0;
  }

  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= this.bits(1);
      const count = h.counts[len];
      if (code - first < count) return h.symbols[index + code - first];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new InflateError("invalid Huffman code");
  }

  #room(n: number): void {
    const need = this.written + n;
    if (need > this.#max) {
      throw new InflateError(`inflates to more than ${this.#max} bytes`, true);
    }
  }

  stored(): void {
    this.alignToByte();
    const i = this.#in;
    if (this.#pos + 4 > i.length) throw new InflateError("unexpected end of data");
    const len = i[this.#pos] | (i[this.#pos + 1] << 8);
    const nlen = i[this.#pos + 2] | (i[this.#pos + 3] << 8);
    if ((len ^ nlen) !== 0xffff) throw new InflateError("stored block length does not match");
    this.#pos += 4;
    if (this.#pos + len > i.length) throw new InflateError("unexpected end of data");
    this.#room(len);
    this.out.set(i.subarray(this.#pos, this.#pos + len), this.written);
    this.written += len;
    this.#pos += len;
  }

  codes(lit: Huffman, dist: Huffman): void {
    for (;;) {
      const sym = this.decode(lit);
      if (sym < 256) {
        this.#room(1);
        this.out[this.written++] = sym;
      } else if (sym === 256) {
        return;
      } else {
        const li = sym - 257;
        if (li >= 29) throw new InflateError("invalid length code");
        const length = LENGTH_BASE[li] + this.bits(LENGTH_EXTRA[li]);
        const di = this.decode(dist);
        if (di >= 30) throw new InflateError("invalid distance code");
        const distance = DIST_BASE[di] + this.bits(DIST_EXTRA[di]);
        if (distance > this.written) throw new InflateError("distance too far back");
        this.#room(length);
        const out = this.out;
        for (let k = 0; k < length; k++, this.written++) {
          out[this.written] = out[this.written - distance];
        }
      }
    }
  }

  dynamic(): void {
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) throw new InflateError("too many length or distance codes");
    const lengths = new Uint8Array(320);
    for (let k = 0; k < ncode; k++) lengths[CODE_LENGTH_ORDER[k]] = this.bits(3);
    const lencode = huffman(lengths, 19, false);
    lengths.fill(0);
    for (let k = 0; k < nlen + ndist;) {
      const sym = this.decode(lencode);
      if (sym < 16) {
        lengths[k++] = sym;
        continue;
      }
      let value = 0;
      let repeat: number;
      if (sym === 16) {
        if (k === 0) throw new InflateError("repeat with no first length");
        value = lengths[k - 1];
        repeat = 3 + this.bits(2);
      } else if (sym === 17) {
        repeat = 3 + this.bits(3);
      } else {
        repeat = 11 + this.bits(7);
      }
      if (k + repeat > nlen + ndist) throw new InflateError("too many code lengths");
      while (repeat-- > 0) lengths[k++] = value;
    }
    if (lengths[256] === 0) throw new InflateError("no end-of-block code");
    const lit = huffman(lengths.subarray(0, nlen), nlen, true);
    const dist = huffman(lengths.subarray(nlen, nlen + ndist), ndist, true);
    this.codes(lit, dist);
  }

  /** Inflates blocks up to the final one. */
  run(): void {
    let last: number;
    do {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(fixed().lit, fixed().dist);
      else if (type === 2) this.dynamic();
      else throw new InflateError("invalid block type");
    } while (!last);
    this.alignToByte();
  }
}

/**
 * Inflates the whole of `input` — raw deflate, or a zlib stream (header, deflate, Adler-32) —
 * into at most `maxBytes` bytes. Bytes after the end of the stream are refused, as are a bad
 * header or checksum.
 *
 * @example
 * ```ts
 * import { inflateSmall } from "./inflate_small.ts";
 * // A stored block holding "hi".
 * const out = inflateSmall(Uint8Array.of(1, 2, 0, 0xfd, 0xff, 0x68, 0x69), "deflate-raw", 16);
 * console.log(new TextDecoder().decode(out)); // "hi"
 * ```
 *
 * @throws {InflateError} when the stream is malformed, or inflates past `maxBytes` (`tooLong`)
 */
export function inflateSmall(
  input: Uint8Array,
  format: "deflate" | "deflate-raw",
  maxBytes: number,
): Uint8Array {
  let start = 0;
  if (format === "deflate") {
    if (input.length < 2) throw new InflateError("unexpected end of data");
    const cmf = input[0];
    const flg = input[1];
    if ((cmf & 0x0f) !== 8 || (cmf >>> 4) > 7 || ((cmf << 8) | flg) % 31 !== 0) {
      throw new InflateError("incorrect header check");
    }
    if ((flg & 0x20) !== 0) throw new InflateError("a preset dictionary is not supported");
    start = 2;
  }
  const inflater = new Inflater(input, start, maxBytes);
  inflater.run();
  let end = inflater.position;
  const out = inflater.out.subarray(0, inflater.written);
  if (format === "deflate") {
    if (end + 4 > input.length) throw new InflateError("unexpected end of data");
    const stored = ((input[end] << 24) | (input[end + 1] << 16) | (input[end + 2] << 8) |
      input[end + 3]) >>> 0;
    if (stored !== adler32(out)) throw new InflateError("incorrect data check");
    end += 4;
  }
  if (end !== input.length) throw new InflateError("junk after the end of the stream");
  return out;
}
