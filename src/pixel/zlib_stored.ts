/**
 * Reading a zlib stream whose data is in stored (uncompressed) deflate blocks without an
 * inflater: what a cartridge image's IDAT usually is (the archive payload is stored, the label
 * rows after it deflated). An inflater copies every stored byte into a fresh output buffer of the
 * whole image's size; here each block is copied into one of two small reused buffers instead, and
 * only the deflated tail goes through the native inflater. Fresh memory is the expensive part on
 * a virtual machine (first touch of each page measured about 5 ms per MiB here), so this saves
 * an image-sized buffer as well as the stream machinery.
 *
 * The stream's Adler-32 is not recomputed: for IDAT data every chunk's CRC-32 is checked already
 * (`readPngChunks`), which catches any change an Adler-32 would, and a cartridge's payload bytes
 * are covered by SHA-256 digests above this layer. Summing in JavaScript measured 1.6 ms per MiB,
 * more than the whole rest of opening a 1 MiB cartridge of random data.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { type InflateContext, STORED_BLOCK_BYTES, zlibInflateEach } from "./zlib.ts";

/** A position in a stream given as consecutive pieces (IDAT chunk bodies), read forwards. */
class PieceCursor {
  #pieces: readonly Uint8Array[];
  #index = 0;
  #offset = 0;

  constructor(pieces: readonly Uint8Array[]) {
    this.#pieces = pieces;
  }

  /** Copies the next `length` bytes into `into` (from 0); false when the stream is shorter. */
  read(into: Uint8Array, length: number): boolean {
    let filled = 0;
    while (filled < length) {
      const piece = this.#pieces[this.#index];
      if (piece === undefined) return false;
      const take = Math.min(length - filled, piece.length - this.#offset);
      into.set(piece.subarray(this.#offset, this.#offset + take), filled);
      filled += take;
      this.#offset += take;
      if (this.#offset === piece.length) {
        this.#index++;
        this.#offset = 0;
      }
    }
    return true;
  }

  /** The rest of the stream as views (no copy), less its last `keep` bytes. */
  rest(keep: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = this.#index; i < this.#pieces.length; i++) {
      out.push(this.#pieces[i].subarray(i === this.#index ? this.#offset : 0));
    }
    return withoutLast(out, keep);
  }
}

/**
 * `pieces` (a stream given in pieces) less its last `n` bytes, as views: a zlib stream's data
 * without its 4-byte Adler-32.
 */
export function withoutLast(pieces: readonly Uint8Array[], n: number): Uint8Array[] {
  const out = [...pieces];
  let drop = n;
  while (drop > 0 && out.length > 0) {
    const last = out[out.length - 1];
    const cut = Math.min(drop, last.length);
    out[out.length - 1] = last.subarray(0, last.length - cut);
    drop -= cut;
    if (out[out.length - 1].length === 0) out.pop();
  }
  return out;
}

/**
 * Inflates a zlib stream that starts with stored blocks into exactly `expectedBytes` bytes,
 * handing the output to `onChunk` in pieces of at most 65,535 bytes. Each piece is a reused
 * buffer, valid until the next-but-one call: enough for a PNG row filter that reads the row
 * above. Blocks after the stored ones (the label rows) are inflated natively as raw deflate.
 * Output past `expectedBytes` is refused before `onChunk` sees it; the stream must end with its
 * 4-byte Adler-32, which is not recomputed (see the module notes: only for data whose integrity
 * is checked otherwise, as PNG chunk CRCs check IDAT).
 *
 * @param beforeTail called when the stored blocks end and a deflated one follows, before it is
 *   inflated (an error it throws is passed on)
 * @returns `false`, having called nothing, when the stream's first block is not stored (use an
 *   inflater); `true` when the whole stream was read
 * @throws {PxosError} with `context.code` when the stream is broken, too short or too long. A
 *   deflated block that refers back into the stored data is reported as broken too (the
 *   cartridge encoder never writes one): a caller that must accept every valid stream retries
 *   with an inflater.
 */
export async function inflateStoredFirst(
  pieces: readonly Uint8Array[],
  expectedBytes: number,
  context: InflateContext,
  onChunk: (chunk: Uint8Array) => void,
  beforeTail?: () => void,
): Promise<boolean> {
  const fail = (problem: string): never => {
    throw new PxosError(context.code, `${context.what} ${problem}`, { offset: context.offset });
  };
  const cursor = new PieceCursor(pieces);
  const head = new Uint8Array(5);
  if (!cursor.read(head, 3)) return false;
  const zlibHeaderOk = (head[0] & 0x0f) === 8 && (head[0] >>> 4) <= 7 &&
    (head[1] & 0x20) === 0 && ((head[0] << 8) | head[1]) % 31 === 0;
  if (!zlibHeaderOk || ((head[2] >>> 1) & 3) !== 0) return false;

  const buffers = [new Uint8Array(STORED_BLOCK_BYTES), new Uint8Array(STORED_BLOCK_BYTES)];
  let turn = 0;
  let written = 0;
  let blockHead = head[2];
  let headRead = true; // the first block's first byte is in `blockHead` already
  for (;;) {
    if (!headRead) {
      if (!cursor.read(head, 1)) fail("ends inside a deflate block header (too little data)");
      blockHead = head[0];
    }
    headRead = false;
    if (((blockHead >>> 1) & 3) !== 0) break; // a deflated block: the tail, below
    if (!cursor.read(head, 4)) fail("ends inside a stored block header (too little data)");
    const length = head[0] | (head[1] << 8);
    if ((length ^ (head[2] | (head[3] << 8))) !== 0xffff) {
      fail("has a stored block whose LEN and NLEN disagree");
    }
    if (written + length > expectedBytes) {
      fail(`inflates to more than the expected ${expectedBytes} bytes (too much data)`);
    }
    const block = buffers[turn].subarray(0, length);
    turn ^= 1;
    if (!cursor.read(block, length)) fail("ends inside a stored block (too little data)");
    written += length;
    if (length > 0) onChunk(block);
    if ((blockHead & 1) === 1) {
      return finish(cursor, written, expectedBytes, fail);
    }
  }
  // The rest is raw deflate starting at the byte just read: put that byte back by reading the
  // remaining pieces from one byte earlier.
  beforeTail?.();
  const tail = [Uint8Array.of(blockHead), ...cursor.rest(4)];
  await zlibInflateEach(
    tail,
    expectedBytes - written,
    { ...context, format: "deflate-raw" },
    onChunk,
  );
  return true;
}

/** After the final stored block: exactly the 4-byte Adler-32 must remain. */
function finish(
  cursor: PieceCursor,
  written: number,
  expectedBytes: number,
  fail: (problem: string) => never,
): boolean {
  if (written !== expectedBytes) {
    fail(`inflates to ${written} bytes, expected ${expectedBytes} (too little data)`);
  }
  if (cursor.rest(0).reduce((n, piece) => n + piece.length, 0) !== 4) {
    fail("does not end with exactly its 4-byte Adler-32 after the last block");
  }
  return true;
}
