/**
 * Raw-deflate compression for archive members, on the runtime's native `CompressionStream`, with
 * a hard cap on inflated output so a small hostile member can never expand without bound.
 *
 * @module
 */
import { PxosError } from "../errors.ts";

/** Compresses `data` with raw deflate (RFC 1951, no zlib wrapper: the archive has its own hashes). */
export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  return await collect(streamOf(data).pipeThrough(new CompressionStream("deflate-raw")), Infinity);
}

/**
 * Inflates raw-deflate `data`, which must produce exactly `expectedSize` bytes. Reading stops as
 * soon as the output would pass `expectedSize`, so memory is bounded by the declared size.
 *
 * @param where names the member in error messages
 */
export async function inflateRawExact(
  data: Uint8Array,
  expectedSize: number,
  where: string,
): Promise<Uint8Array> {
  let out: Uint8Array;
  try {
    out = await collect(
      streamOf(data).pipeThrough(new DecompressionStream("deflate-raw")),
      expectedSize,
    );
  } catch (e) {
    if (e instanceof PxosError) {
      throw new PxosError("E_ARCHIVE", `${where}: ${e.message}`);
    }
    throw new PxosError(
      "E_ARCHIVE",
      `${where}: compressed data is corrupt (${(e as Error).message})`,
    );
  }
  if (out.length !== expectedSize) {
    throw new PxosError(
      "E_ARCHIVE",
      `${where}: expected ${expectedSize} bytes after inflating, found ${out.length}`,
    );
  }
  return out;
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

function streamOf(data: Uint8Array): ReadableStream<BufferSource> {
  return new ReadableStream<BufferSource>({
    start(controller) {
      controller.enqueue(data as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
}

/** Reads a byte stream into one array; throws `E_CAPACITY` past `limit` bytes. */
async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        throw new PxosError(
          "E_CAPACITY",
          `inflated data passes its declared size of ${limit} bytes`,
        );
      }
      chunks.push(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
