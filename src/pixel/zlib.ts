/**
 * The zlib stream inside a PNG (RFC 1950), through native code: `node:zlib`'s one-shot deflate,
 * and `DecompressionStream("deflate")` to inflate piece by piece under a size cap — in the
 * Compression Streams API, "deflate" means exactly the zlib format PNG's IDAT data uses.
 *
 * @module
 */

import { loadNativeZlib, nativeZlibIfLoaded } from "../native_modules.ts";
import { concatBytes } from "../bytes.ts";
import { InflateError, inflateSmall } from "./inflate_small.ts";
import { PxosError, type PxosErrorCode } from "../errors.ts";

/**
 * Input is fed to the inflater in pieces this small because a native inflater returns all the
 * output of one written piece at once: deflate expands at most ~1032:1, so a 64 KiB piece can
 * produce at most ~67 MB before we get to count it. Near the end of the expected output the pieces
 * shrink to what could still be owed (see `zlibInflateEach`), so a bomb stops at about the size
 * it promised. (16 KiB pieces throughout measured 3–10% slower on a 16 MiB member.)
 */
const INFLATE_PIECE_BYTES = 64 * 1024;

/** Upper bound of deflate's expansion: 258 bytes from one ~2-bit length/distance code. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Compresses bytes with the native compressor: a zlib stream, or raw deflate (RFC 1951) when
 * `format` is `"deflate-raw"` (the archive's members).
 *
 * @param data bytes to compress
 * @param format `"deflate"` (zlib, default) or `"deflate-raw"`
 * @returns the compressed stream
 */
export async function zlibDeflate(
  data: Uint8Array,
  format: "deflate" | "deflate-raw" = "deflate",
): Promise<Uint8Array> {
  // `node:zlib`'s one-shot call: a CompressionStream fed from a Blob copies the input into the
  // blob and pays a pipe and promises per chunk, measured about twice the time. (The web player's
  // stand-in for `node:zlib` cannot deflate: the player only reads cartridges.)
  const zlib = await loadNativeZlib();
  const out = format === "deflate" ? zlib.deflateSync(data) : zlib.deflateRawSync(data);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Largest body of one stored deflate block. */
export const STORED_BLOCK_BYTES = 65535;

/**
 * Writes a zlib stream whose first `storedBytes` bytes go into stored (uncompressed) deflate
 * blocks and whose rest is deflated natively (raw deflate, appended
 * after the byte-aligned stored blocks). Any inflater reads it. Storing costs a copy and an
 * Adler-32 instead of a full deflate — what incompressible payloads (already-deflated archives,
 * random bytes) should get — while the rest (label rows) still compresses.
 *
 * @param data bytes to wrap
 * @param storedBytes how many leading bytes to store (default: all)
 * @returns the zlib stream
 */
export async function zlibStoreThenDeflate(
  data: Uint8Array,
  storedBytes: number = data.length,
): Promise<Uint8Array> {
  const stored = data.subarray(0, storedBytes);
  const rest = data.subarray(stored.length);
  const tail = rest.length > 0 ? await zlibDeflate(rest, "deflate-raw") : undefined;
  const blocks = Math.ceil(stored.length / STORED_BLOCK_BYTES) || (tail ? 0 : 1);
  const out = new Uint8Array(2 + blocks * 5 + stored.length + (tail?.length ?? 0) + 4);
  out[0] = 0x78; // CMF: deflate, 32 KiB window
  out[1] = 0x01; // FLG: no dictionary; 0x7801 is a multiple of 31 as RFC 1950 requires
  let at = 2;
  for (let i = 0; i < blocks; i++) {
    const start = i * STORED_BLOCK_BYTES;
    const length = Math.min(STORED_BLOCK_BYTES, stored.length - start);
    out[at] = i === blocks - 1 && !tail ? 1 : 0; // BFINAL on the last block; BTYPE 00 = stored
    out[at + 1] = length & 0xff;
    out[at + 2] = length >>> 8;
    out[at + 3] = ~length & 0xff;
    out[at + 4] = (~length >>> 8) & 0xff;
    out.set(stored.subarray(start, start + length), at + 5);
    at += 5 + length;
  }
  if (tail) {
    out.set(tail, at);
    at += tail.length;
  }
  const adler = adler32(data);
  out[at] = adler >>> 24;
  out[at + 1] = (adler >>> 16) & 0xff;
  out[at + 2] = (adler >>> 8) & 0xff;
  out[at + 3] = adler & 0xff;
  return out;
}

/** Adler-32 (RFC 1950) of `data`. */
export function adler32(data: Uint8Array): number {
  const sum = new Adler32();
  sum.update(data);
  return sum.digest();
}

/**
 * Adler-32 (RFC 1950) over data that arrives in pieces, deferring the modulo for 5552 bytes at a
 * time as zlib does.
 */
export class Adler32 {
  #a = 1;
  #b = 0;

  /** Adds the next piece. */
  update(data: Uint8Array): void {
    let a = this.#a;
    let b = this.#b;
    for (let i = 0; i < data.length;) {
      const end = Math.min(data.length, i + 5552);
      for (; i < end; i++) {
        a += data[i];
        b += a;
      }
      a %= 65521;
      b %= 65521;
    }
    this.#a = a;
    this.#b = b;
  }

  /** The checksum of everything added so far. */
  digest(): number {
    return ((this.#b << 16) | this.#a) >>> 0;
  }
}

/** Where an inflate error is reported, and under which code. */
export interface InflateContext {
  /** Error code for a broken stream or a size mismatch. */
  code: PxosErrorCode;
  /** What is being inflated, for messages ("IDAT data"). */
  what: string;
  /** Byte offset of the first compressed byte in the file, for messages. */
  offset?: number;
  /** Stream format: `"deflate"` (zlib, the default) or `"deflate-raw"`. */
  format?: "deflate" | "deflate-raw";
}

/**
 * Inflates a zlib stream given as consecutive pieces (the IDAT chunk bodies) into exactly
 * `expectedBytes` bytes. Stops as soon as the output would exceed that size, so memory stays
 * bounded by `expectedBytes` plus one piece's worth whatever the input claims.
 *
 * @param pieces the compressed stream, in order
 * @param expectedBytes the exact inflated size required
 * @param context error code and wording
 * @param observe sees each piece of output as it is copied, in order (to hash the bytes while
 *   they are still in cache instead of in a second pass)
 * @returns the inflated bytes (length `expectedBytes`)
 * @throws {PxosError} when the stream is corrupt, too short or too long
 */
export async function zlibInflateExact(
  pieces: readonly Uint8Array[],
  expectedBytes: number,
  context: InflateContext,
  observe?: (chunk: Uint8Array) => void,
): Promise<Uint8Array> {
  checkExpansion(pieces, expectedBytes, context);
  const out = new Uint8Array(expectedBytes);
  let written = 0;
  await zlibInflateEach(pieces, expectedBytes, context, (chunk) => {
    out.set(chunk, written);
    written += chunk.length;
    observe?.(chunk);
  });
  return out;
}

/**
 * Output up to this size is inflated in one native call when `node:zlib` is loaded: the stream
 * machinery's per-piece promises cost more than the inflating for a cartridge of a few MiB
 * (measured 4.0 ms against about 1 ms to open a 1 MiB one); larger outputs stream, so no
 * image-sized buffer is held twice.
 */
const ONE_SHOT_MAX_BYTES = 8 << 20;

/**
 * The native one-shot inflate, capped one byte past `expectedBytes` (so a bomb stops there), or
 * `false` when `node:zlib` is not loaded (the web player; a small cartridge in a fresh process).
 */
function nativeOneShot(
  pieces: readonly Uint8Array[],
  expectedBytes: number,
  context: InflateContext,
  onChunk: (chunk: Uint8Array) => void,
): boolean {
  const zlib = nativeZlibIfLoaded();
  if (typeof zlib?.inflateSync !== "function") return false;
  const input = concatBytes(pieces);
  let out: Uint8Array;
  try {
    // One output chunk of the expected size: default 16 KiB chunks would each be allocated and
    // then concatenated into a new buffer, twice the fresh memory.
    const options = {
      maxOutputLength: expectedBytes + 1,
      chunkSize: Math.max(64, expectedBytes + 1),
    };
    const inflated = context.format === "deflate-raw"
      ? zlib.inflateRawSync(input, options)
      : zlib.inflateSync(input, options);
    out = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new PxosError(
        context.code,
        `${context.what} inflates to more than the expected ${expectedBytes} bytes ` +
          `(too much data; refusing to inflate further)`,
        { offset: context.offset },
      );
    }
    throw new PxosError(
      context.code,
      `${context.what} is not a valid zlib stream (${e instanceof Error ? e.message : e})`,
      { offset: context.offset, cause: e },
    );
  }
  if (out.length !== expectedBytes) {
    throw new PxosError(
      context.code,
      out.length > expectedBytes
        ? `${context.what} inflates to more than the expected ${expectedBytes} bytes ` +
          `(too much data; refusing to inflate further)`
        : `${context.what} inflates to ${out.length} bytes, expected ${expectedBytes} (too little data)`,
      { offset: context.offset },
    );
  }
  onChunk(out);
  return true;
}

/**
 * Streams up to this size (in and out) are inflated by the JavaScript inflater when `node:zlib`
 * is not loaded: a small cartridge's label rows and members, where the first
 * `DecompressionStream` of a process cost 16–40 ms (`inflate_small.ts`).
 */
const SMALL_MAX_BYTES = 64 * 1024;

/** The JavaScript one-shot inflate for a small stream, or `false` when it is not small. */
function smallOneShot(
  pieces: readonly Uint8Array[],
  expectedBytes: number,
  context: InflateContext,
  onChunk: (chunk: Uint8Array) => void,
): boolean {
  if (expectedBytes > SMALL_MAX_BYTES) return false;
  if (pieces.reduce((n, p) => n + p.length, 0) > SMALL_MAX_BYTES) return false;
  let out: Uint8Array;
  try {
    out = inflateSmall(concatBytes(pieces), context.format ?? "deflate", expectedBytes);
  } catch (e) {
    if (!(e instanceof InflateError)) throw e;
    throw new PxosError(
      context.code,
      e.tooLong
        ? `${context.what} inflates to more than the expected ${expectedBytes} bytes ` +
          `(too much data; refusing to inflate further)`
        : `${context.what} is not a valid zlib stream (${e.message})`,
      { offset: context.offset, cause: e },
    );
  }
  if (out.length !== expectedBytes) {
    throw new PxosError(
      context.code,
      `${context.what} inflates to ${out.length} bytes, expected ${expectedBytes} (too little data)`,
      { offset: context.offset },
    );
  }
  onChunk(out);
  return true;
}

/**
 * Inflates like {@link zlibInflateExact} but hands each piece of output to `onChunk` as the
 * inflater produces it, in order, instead of collecting it: callers that copy the bytes
 * elsewhere (rows into a payload) or hash them save a pass over memory and a buffer the size of
 * the whole output. The same exact-size rules hold: output past `expectedBytes` is refused before
 * `onChunk` sees it, and a stream that ends short is refused after the last chunk.
 *
 * `onChunk` receives a fresh array it may keep or modify. A `PxosError` it throws stops the
 * inflater and is passed on unchanged.
 *
 * @param pieces the compressed stream, in order
 * @param expectedBytes the exact inflated size required
 * @param context error code and wording
 * @param onChunk receives the output, piece by piece
 * @throws {PxosError} when the stream is corrupt, too short or too long
 */
export async function zlibInflateEach(
  pieces: readonly Uint8Array[],
  expectedBytes: number,
  context: InflateContext,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  checkExpansion(pieces, expectedBytes, context);
  if (
    expectedBytes <= ONE_SHOT_MAX_BYTES && nativeOneShot(pieces, expectedBytes, context, onChunk)
  ) {
    return;
  }
  if (smallOneShot(pieces, expectedBytes, context, onChunk)) return;
  let pieceIndex = 0;
  let pieceOffset = 0;
  let written = 0;
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      while (pieceIndex < pieces.length && pieceOffset >= pieces[pieceIndex].length) {
        pieceIndex++;
        pieceOffset = 0;
      }
      if (pieceIndex >= pieces.length) {
        controller.close();
        return;
      }
      const piece = pieces[pieceIndex];
      // Deflate expands at most ~1032:1, so feeding no more than what the output still owed
      // could come from bounds how far past `expectedBytes` one step can inflate: a bomb is
      // refused after about the expected size, not after a whole piece's worth (64 MiB).
      const owed = Math.ceil(Math.max(0, expectedBytes - written) / MAX_DEFLATE_RATIO) + 64;
      const end = Math.min(piece.length, pieceOffset + Math.min(INFLATE_PIECE_BYTES, owed));
      controller.enqueue(piece.subarray(pieceOffset, end) as Uint8Array<ArrayBuffer>);
      pieceOffset = end;
    },
  }, { highWaterMark: 0 });
  const reader = source.pipeThrough(new DecompressionStream(context.format ?? "deflate"))
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (written + value.length > expectedBytes) {
        throw new PxosError(
          context.code,
          `${context.what} inflates to more than the expected ${expectedBytes} bytes ` +
            `(too much data; refusing to inflate further)`,
          { offset: context.offset },
        );
      }
      written += value.length;
      onChunk(value);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    if (e instanceof PxosError) throw e;
    throw new PxosError(
      context.code,
      `${context.what} is not a valid zlib stream (${e instanceof Error ? e.message : e})`,
      { offset: context.offset, cause: e },
    );
  }
  if (written !== expectedBytes) {
    throw new PxosError(
      context.code,
      `${context.what} inflates to ${written} bytes, expected ${expectedBytes} (too little data)`,
      { offset: context.offset },
    );
  }
}

/**
 * Deflate expands at most ~1032:1; a claim beyond that is a lie we refuse before allocating,
 * which keeps memory proportional to the input however large the IHDR says the image is.
 */
function checkExpansion(
  pieces: readonly Uint8Array[],
  expectedBytes: number,
  context: InflateContext,
): void {
  const compressedBytes = pieces.reduce((n, piece) => n + piece.length, 0);
  if (expectedBytes > compressedBytes * MAX_DEFLATE_RATIO + 1024) {
    throw new PxosError(
      context.code,
      `${context.what} holds ${compressedBytes} compressed bytes, which cannot inflate to the ` +
        `${expectedBytes} bytes the image size needs (too little data)`,
      { offset: context.offset },
    );
  }
}
