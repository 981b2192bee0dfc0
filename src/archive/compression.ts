/**
 * Raw-deflate compression for archive members, on the pixel layer's native codec (which caps
 * inflated output at the declared size, so a small hostile member can never expand without
 * bound).
 *
 * @module
 */
import { loadNativeZlib, type NativeZlib, nativeZlibIfLoaded } from "../native_modules.ts";
import { zlibInflateExact } from "../pixel/zlib.ts";
import { PxosError } from "../errors.ts";
import { deflateRawReused, deflateRawScratch, isDeflateScratch } from "./deflate_engine.ts";
import { inflateRawBounded } from "./inflate_engine.ts";

/**
 * Compresses `data` with raw deflate (RFC 1951, no zlib wrapper: the archive has its own hashes),
 * level 6 as gzip's default. `node:zlib`'s one-shot call, not a `CompressionStream`: a stream
 * costs a pipe, promises and chunk copies per member, which measured twice the time over a tree
 * of ~1,000 small files. One engine serves every call (`deflate_engine.ts`): the same bytes
 * as `deflateRawSync`, without a new engine's garbage per member.
 */
export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  return owned(deflateRawReused(await loadNativeZlib(), data));
}

/**
 * {@link deflateRaw} for a caller that copies the result out before anything else deflates, with
 * `node:zlib` loaded already: synchronous, so no other code (another pack in the same process)
 * runs between this call and the caller's copy. The result may be a view of the reused engine's
 * buffer, valid only until the next deflate, which saves a member-sized copy and allocation per
 * member. {@link releaseBuffer} may be called on it as on any result.
 */
export function deflateRawLent(zlib: NativeZlib, data: Uint8Array): Uint8Array {
  return owned(deflateRawScratch(zlib, data), true);
}

/**
 * Output buffers of this module's native calls that nothing else shares, which
 * {@link releaseBuffer} may free at once. Only buffers larger than `node:zlib`'s 8 KiB pool, or
 * arrays that span their whole buffer (the reused deflate engine's results), qualify: other small
 * outputs may be slices of the pool that every small `Buffer` shares (never one whole: the pool
 * serves only requests under half its size).
 */
const OWNED = new WeakSet<ArrayBufferLike>();
const SHARED_POOL_BYTES = 8192;

function owned(bytes: Uint8Array, mayBeBorrowed = false): Uint8Array {
  const buffer = bytes.buffer;
  if (mayBeBorrowed && isDeflateScratch(buffer)) return bytes; // the engine's: never freed here
  if (buffer.byteLength > SHARED_POOL_BYTES || bytes.byteLength === buffer.byteLength) {
    OWNED.add(buffer);
  }
  return bytes;
}

/**
 * Frees the memory of a result of {@link deflateRaw} or {@link inflateRawExact} now, once it has
 * been copied or written out (any other array is left alone; the freed one reads as empty). The
 * garbage collector would free it too, but only after tens of MiB of such buffers have piled up:
 * freed at once, the next call reuses the same memory. Inflating 44 MB of members measured
 * 130–246 ms instead of 318–548 ms, with 6 MB more peak memory instead of 26–34 MB — memory first
 * touched costs about 5 ms per MiB on this VM.
 */
export function releaseBuffer(bytes: Uint8Array): void {
  const buffer = bytes.buffer;
  if (OWNED.delete(buffer)) (buffer as ArrayBuffer).transfer(0);
}

/**
 * Inflates raw-deflate `data`, which must produce exactly `expectedSize` bytes; `E_ARCHIVE`
 * otherwise. Memory is bounded by the declared size: the inflater stops one byte past it.
 * `node:zlib` when it is loaded (`readArchive` loads it for large archives and many members), one
 * engine reused for every member (`inflate_engine.ts`): a stream's per-member pipe and promises
 * cost more than the inflating itself for the small files most trees are made of. Otherwise (a
 * small archive, where starting Node's layer costs more than it saves; the web player) the web's
 * `DecompressionStream`.
 *
 * @param where names the member in error messages
 */
export function inflateRawExact(
  data: Uint8Array,
  expectedSize: number,
  where: string,
): Promise<Uint8Array> {
  const zlib = nativeZlibIfLoaded();
  if (typeof zlib?.inflateRawSync !== "function") {
    return zlibInflateExact([data], expectedSize, {
      code: "E_ARCHIVE",
      what: where,
      format: "deflate-raw",
    });
  }
  const outcome = inflateRawBounded(zlib, data, expectedSize);
  if (outcome.bytes === undefined) {
    return Promise.reject(
      new PxosError(
        "E_ARCHIVE",
        outcome.tooLong
          ? `${where}: inflates to more than the expected ${expectedSize} bytes (its declared size)`
          : `${where}: broken deflate data (${outcome.broken})`,
        { cause: outcome.cause },
      ),
    );
  }
  const out = outcome.bytes;
  if (out.length !== expectedSize) {
    return Promise.reject(
      new PxosError(
        "E_ARCHIVE",
        `${where}: expected ${expectedSize} bytes after inflating, found ${
          out.length > expectedSize ? "more" : out.length
        }`,
      ),
    );
  }
  return Promise.resolve(owned(out));
}

/**
 * True when deflate is unlikely to shrink `data`: a sample of up to 64 KiB from the start, middle
 * and end is compressed and must save at least 3%. Saves a full (slow) deflate of random bytes,
 * which native deflate processes at about two thirds the speed of text.
 */
export async function looksIncompressible(data: Uint8Array): Promise<boolean> {
  const SAMPLE = 64 * 1024;
  if (data.length <= SAMPLE * 3) return false; // small: just try the real thing
  const mid = (data.length >> 1) - (SAMPLE >> 1);
  const sample = new Uint8Array(SAMPLE * 3);
  sample.set(data.subarray(0, SAMPLE), 0);
  sample.set(data.subarray(mid, mid + SAMPLE), SAMPLE);
  sample.set(data.subarray(data.length - SAMPLE), SAMPLE * 2);
  const packed = await deflateRaw(sample);
  return packed.length > sample.length * 0.97;
}
