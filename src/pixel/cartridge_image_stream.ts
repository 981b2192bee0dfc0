/**
 * The cartridge encoder, streamed: the PNG goes out in pieces, so no image-sized buffer is ever
 * held (the in-memory encoder holds the scanlines, the zlib stream and the PNG file at once —
 * three image-sized buffers beside the payload). The bytes are exactly those of
 * `encodeCartridgeImage` for the same payload and options.
 *
 * Only the stored form streams (the usual one: an archive's members are deflated already, so its
 * payload is stored, not deflated again); a payload that deflates is encoded in memory and handed
 * out in one piece.
 *
 * @module
 */
import {
  type CartridgeImagePlan,
  type EncodeCartridgeOptions,
  encodePlannedImage,
  type PayloadSource,
  planCartridgeImage,
  planCartridgeImageOf,
  writeScanlines,
} from "./cartridge_image.ts";
import { crc32 } from "./crc32.ts";
import { ColorType, ihdrBody, PNG_SIGNATURE, pngChunk } from "./png_chunks.ts";
import { IDAT_CHUNK_BYTES } from "./png_encode.ts";
import { Adler32, STORED_BLOCK_BYTES, zlibDeflate } from "./zlib.ts";

/** Receives the PNG file's bytes in order; each piece may be reused once the promise settles. */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

/**
 * Scanline rows built per step, whatever the image size: small, because the peak memory of
 * `pxos pack` is judged against the data (4 MiB steps, with the payload read into a second buffer
 * of the same size, were a quarter of a 16 MiB tree's image).
 */
const ROWS_PER_STEP_BYTES = 256 << 10;

/**
 * Encodes `payload` as a cartridge image into `sink`, piece by piece.
 *
 * @example
 * ```ts
 * import { decodeCartridgeImage, streamCartridgeImage } from "@pxos/core";
 * const pieces: Uint8Array[] = [];
 * await streamCartridgeImage(new TextEncoder().encode("hi"), async (b) => {
 *   pieces.push(b.slice());
 * });
 * const png = new Uint8Array(await new Blob(pieces).arrayBuffer());
 * console.log((await decodeCartridgeImage(png)).payload); // Uint8Array [104, 105]
 * ```
 */
export async function streamCartridgeImage(
  payload: Uint8Array,
  sink: ByteSink,
  options: EncodeCartridgeOptions = {},
): Promise<void> {
  await streamPlanned(await planCartridgeImage(payload, options), sink);
}

/**
 * {@link streamCartridgeImage} for a payload read piece by piece (a temporary file, say) whose
 * SHA-256 is known: the same bytes, and no payload-sized buffer when the data rows are stored
 * (a payload that deflates is read whole and encoded in memory).
 *
 * @example
 * ```ts
 * import { decodeCartridgeImage, streamCartridgeImageFrom } from "@pxos/core";
 * const payload = new TextEncoder().encode("hi");
 * const sha256 = new Uint8Array(await crypto.subtle.digest("SHA-256", payload));
 * const source = { length: 2, read: (at: number, n: number) => payload.slice(at, at + n) };
 * let png = new Uint8Array(0);
 * await streamCartridgeImageFrom(source, sha256, async (piece) => {
 *   const longer = new Uint8Array(png.length + piece.length);
 *   longer.set(png);
 *   longer.set(piece, png.length);
 *   png = longer;
 * });
 * console.log((await decodeCartridgeImage(png)).payload); // Uint8Array [104, 105]
 * ```
 */
export async function streamCartridgeImageFrom(
  payload: PayloadSource,
  payloadSha256: Uint8Array,
  sink: ByteSink,
  options: EncodeCartridgeOptions = {},
): Promise<void> {
  await streamPlanned(await planCartridgeImageOf(payload, payloadSha256, options), sink);
}

async function streamPlanned(plan: CartridgeImagePlan, sink: ByteSink): Promise<void> {
  if (plan.storedBytes === 0) {
    await sink(await encodePlannedImage(plan));
    return;
  }
  await streamStored(plan, sink);
}

/**
 * The stored form: the zlib stream is a 2-byte header, stored blocks of at most 65,535 bytes over
 * the header and data rows, the label rows raw-deflated, and the Adler-32 of all scanlines; it is
 * cut into IDAT chunks of {@link IDAT_CHUNK_BYTES}, as the in-memory encoder cuts it.
 */
async function streamStored(plan: CartridgeImagePlan, sink: ByteSink): Promise<void> {
  const { width, height } = plan.layout;
  const stride = width * plan.channels + 1;
  const storedRows = plan.storedBytes / stride;
  await sink(PNG_SIGNATURE);
  await sink(
    pngChunk("IHDR", ihdrBody(width, height, plan.channels === 3 ? ColorType.RGB : ColorType.RGBA)),
  );
  const adler = new Adler32();

  // The label rows are deflated first (their stream goes last). They are deflated with the zlib
  // wrapper: its body is the raw deflate stream the image needs (same algorithm and window), and
  // its trailer is their Adler-32, computed natively — in JavaScript, run once and cold, that
  // pass over the label rows cost 20–48 ms. It is joined to the data rows' sum at the end.
  const labelRows = height - storedRows;
  const tailScanlines = new Uint8Array(labelRows * stride);
  writeScanlines(plan, storedRows, height, tailScanlines);
  // The label's pixels are all in those rows: freed now when they are this plan's own (a drawn
  // label is 1 MiB at 512 × 512), before the deflate below allocates.
  const labelPixels = plan.label.data;
  if (plan.labelOwned && labelPixels.byteLength === labelPixels.buffer.byteLength) {
    (labelPixels.buffer as ArrayBuffer).transfer(0);
  }
  const wrapped = labelRows > 0 ? await zlibDeflate(tailScanlines, "deflate") : undefined;
  const tail = wrapped?.subarray(2, wrapped.length - 4);
  const tailSum = wrapped
    ? new DataView(wrapped.buffer, wrapped.byteOffset).getUint32(wrapped.length - 4)
    : 1; // the Adler-32 of nothing
  const tailBytes = tailScanlines.length;

  // The label rows' scanlines (2.6 MB for the 16 MiB bench tree's image) are not needed any
  // more; their memory, touched already, becomes the IDAT chunk and the row buffer below when it
  // is large enough. Fresh memory costs about 5 ms per MiB on first touch on the VM measured.
  const stepRows = Math.max(1, Math.floor(ROWS_PER_STEP_BYTES / stride));
  const writeBytes = 2 * WRITE_PIECE_BYTES;
  const needed = writeBytes + stepRows * stride;
  const arena = tailScanlines.length >= needed ? tailScanlines : new Uint8Array(needed);
  if (arena !== tailScanlines) (tailScanlines.buffer as ArrayBuffer).transfer(0);
  const blocks = Math.ceil(plan.storedBytes / STORED_BLOCK_BYTES) || (tail ? 0 : 1);
  // The whole zlib stream: header, stored blocks (5-byte heads), the label rows, Adler-32.
  const streamBytes = 2 + plan.storedBytes + 5 * blocks + (tail?.length ?? 0) + 4;
  const idat = new IdatWriter(sink, streamBytes, arena.subarray(0, writeBytes));
  await idat.write(Uint8Array.of(0x78, 0x01)); // CMF/FLG as zlibStoreThenDeflate writes them

  // Stored blocks over the header and data rows, the rows built a few MiB at a time and each
  // block's 5-byte head written where it starts (every block length follows from storedBytes).
  const rows = arena.subarray(writeBytes, needed);
  const head = new Uint8Array(5);
  let block = 0;
  let inBlock = 0;
  let blockLength = 0;
  let stored = 0;
  for (let y = 0; y < storedRows; y += stepRows) {
    const count = Math.min(stepRows, storedRows - y);
    const piece = rows.subarray(0, count * stride);
    writeScanlines(plan, y, y + count, piece);
    adler.update(piece);
    for (let at = 0; at < piece.length;) {
      if (inBlock === 0) {
        blockLength = Math.min(STORED_BLOCK_BYTES, plan.storedBytes - stored);
        await idat.write(storedBlockHead(head, blockLength, block === blocks - 1 && !tail));
      }
      const take = Math.min(blockLength - inBlock, piece.length - at);
      await idat.write(piece.subarray(at, at + take));
      at += take;
      inBlock += take;
      stored += take;
      if (inBlock === blockLength) {
        inBlock = 0;
        block++;
      }
    }
  }
  if (tail) await idat.write(tail);
  const sum = adler32Combine(adler.digest(), tailSum, tailBytes);
  await idat.write(Uint8Array.of(sum >>> 24, (sum >>> 16) & 0xff, (sum >>> 8) & 0xff, sum & 0xff));
  await idat.end();
  await sink(pngChunk("IEND", new Uint8Array(0)));
}

const ADLER_BASE = 65521;

/**
 * The Adler-32 of two pieces one after the other, from each piece's own checksum and the second
 * one's length (RFC 1950's sums: the first piece's A adds to the second's B once per byte).
 */
function adler32Combine(first: number, second: number, secondLength: number): number {
  const rem = secondLength % ADLER_BASE;
  const a1 = first & 0xffff;
  const b1 = first >>> 16;
  const a = (a1 + (second & 0xffff) + ADLER_BASE - 1) % ADLER_BASE;
  const b = (b1 + (second >>> 16) + rem * a1 + ADLER_BASE - rem) % ADLER_BASE;
  return ((b << 16) | a) >>> 0;
}

/** A stored deflate block's head, written into `head`: BFINAL/BTYPE, LEN, NLEN. */
function storedBlockHead(head: Uint8Array, length: number, final: boolean): Uint8Array {
  head[0] = final ? 1 : 0;
  head[1] = length & 0xff;
  head[2] = length >>> 8;
  head[3] = ~length & 0xff;
  head[4] = (~length >>> 8) & 0xff;
  return head;
}

/** Bytes handed to the sink at a time by {@link IdatWriter} (two such buffers take turns). */
const WRITE_PIECE_BYTES = 256 << 10;

/**
 * Cuts a zlib stream of known length into IDAT chunks of exactly {@link IDAT_CHUNK_BYTES} (the
 * last shorter), without building a chunk in memory: every chunk's length is known from the
 * stream's, so its head goes out first, its data as it comes (the CRC-32 continued piece by
 * piece), and its CRC after. The bytes go to the sink {@link WRITE_PIECE_BYTES} at a time from
 * two buffers in turn, each write left running while the next piece is made (the file write of
 * one overlaps building the next rows, where a 1 MiB chunk buffer was filled, then written and
 * waited for).
 */
class IdatWriter {
  #buffers: [Uint8Array, Uint8Array];
  #current = 0;
  #filled = 0;
  #writing: Promise<void> = Promise.resolve();
  /** Stream bytes not yet taken. */
  #left: number;
  /** Data bytes of the open chunk still to come (0: no chunk open). */
  #chunkLeft = 0;
  #crc = 0;
  #chunks = 0;
  readonly #word = new Uint8Array(4);

  /** `space`: at least 2 × {@link WRITE_PIECE_BYTES}, used for the two write buffers. */
  constructor(private readonly sink: ByteSink, streamBytes: number, space: Uint8Array) {
    this.#left = streamBytes;
    this.#buffers = [
      space.subarray(0, WRITE_PIECE_BYTES),
      space.subarray(WRITE_PIECE_BYTES, 2 * WRITE_PIECE_BYTES),
    ];
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length > this.#left) throw new Error("IDAT stream longer than announced");
    for (let at = 0; at < bytes.length;) {
      if (this.#chunkLeft === 0) await this.#openChunk(Math.min(IDAT_CHUNK_BYTES, this.#left));
      const piece = bytes.subarray(at, at + Math.min(this.#chunkLeft, bytes.length - at));
      this.#crc = crc32(piece, this.#crc);
      await this.#put(piece);
      at += piece.length;
      this.#left -= piece.length;
      this.#chunkLeft -= piece.length;
      if (this.#chunkLeft === 0) await this.#put(this.#u32(this.#crc));
    }
  }

  /** Writes what is left (an IDAT chunk even when empty, if none was written) and waits for it. */
  async end(): Promise<void> {
    if (this.#left !== 0) throw new Error("IDAT stream shorter than announced");
    if (this.#chunks === 0) {
      await this.#openChunk(0);
      await this.#put(this.#u32(this.#crc));
    }
    await this.#send();
    await this.#writing;
  }

  async #openChunk(length: number): Promise<void> {
    await this.#put(this.#u32(length));
    const type = Uint8Array.of(73, 68, 65, 84); // "IDAT"
    this.#crc = crc32(type);
    await this.#put(type);
    this.#chunkLeft = length;
    this.#chunks++;
  }

  #u32(value: number): Uint8Array {
    new DataView(this.#word.buffer).setUint32(0, value);
    return this.#word;
  }

  async #put(bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.length;) {
      const buffer = this.#buffers[this.#current];
      const take = Math.min(buffer.length - this.#filled, bytes.length - at);
      buffer.set(bytes.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled === buffer.length) await this.#send();
    }
  }

  /** Starts writing the current buffer once the write before it is done; switches buffers. */
  async #send(): Promise<void> {
    await this.#writing; // the other buffer's write: it must finish first, in order
    if (this.#filled === 0) return;
    const writing = this.sink(this.#buffers[this.#current].subarray(0, this.#filled));
    // A failure is handled where this write is next awaited (here or in `end`), not reported as
    // unhandled while the next piece is being made.
    writing.catch(() => {});
    this.#writing = writing;
    this.#current ^= 1;
    this.#filled = 0;
  }
}
