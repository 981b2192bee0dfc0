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
  planCartridgeImage,
  writeScanlines,
} from "./cartridge_image.ts";
import { crc32 } from "./crc32.ts";
import { ColorType, ihdrBody, PNG_SIGNATURE, pngChunk } from "./png_chunks.ts";
import { IDAT_CHUNK_BYTES } from "./png_encode.ts";
import { Adler32, STORED_BLOCK_BYTES, zlibDeflate } from "./zlib.ts";

/** Receives the PNG file's bytes in order; each piece may be reused once the promise settles. */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

/** Scanline rows built per step: a few MiB at most, whatever the image size. */
const ROWS_PER_STEP_BYTES = 4 << 20;

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
  const plan = await planCartridgeImage(payload, options);
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
  const idat = new IdatWriter(sink);
  await sink(PNG_SIGNATURE);
  await sink(
    pngChunk("IHDR", ihdrBody(width, height, plan.channels === 3 ? ColorType.RGB : ColorType.RGBA)),
  );
  const adler = new Adler32();
  await idat.write(Uint8Array.of(0x78, 0x01)); // CMF/FLG as zlibStoreThenDeflate writes them

  const labelRows = height - storedRows;
  const tailScanlines = new Uint8Array(labelRows * stride);
  writeScanlines(plan, storedRows, height, tailScanlines);
  const tail = labelRows > 0 ? await zlibDeflate(tailScanlines, "deflate-raw") : undefined;

  // Stored blocks over the header and data rows, built a few MiB of rows at a time.
  const stepRows = Math.max(1, Math.floor(ROWS_PER_STEP_BYTES / stride));
  const rows = new Uint8Array(stepRows * stride);
  const blocks = Math.ceil(plan.storedBytes / STORED_BLOCK_BYTES) || (tail ? 0 : 1);
  let block = 0;
  let pending = new Uint8Array(0); // stored bytes not yet framed into a block
  for (let y = 0; y < storedRows; y += stepRows) {
    const count = Math.min(stepRows, storedRows - y);
    const piece = rows.subarray(0, count * stride);
    writeScanlines(plan, y, y + count, piece);
    adler.update(piece);
    let data = pending.length > 0 ? concat(pending, piece) : piece;
    while (data.length >= STORED_BLOCK_BYTES && block < blocks - 1) {
      await idat.write(storedBlock(data.subarray(0, STORED_BLOCK_BYTES), false));
      data = data.subarray(STORED_BLOCK_BYTES);
      block++;
    }
    pending = data.slice();
  }
  if (blocks > 0) await idat.write(storedBlock(pending, !tail));
  if (tail) await idat.write(tail);
  adler.update(tailScanlines);
  const sum = adler.digest();
  await idat.write(Uint8Array.of(sum >>> 24, (sum >>> 16) & 0xff, (sum >>> 8) & 0xff, sum & 0xff));
  await idat.end();
  await sink(pngChunk("IEND", new Uint8Array(0)));
}

/** One stored deflate block: BFINAL/BTYPE, LEN, NLEN, then the bytes. */
function storedBlock(data: Uint8Array, final: boolean): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  out[0] = final ? 1 : 0;
  out[1] = data.length & 0xff;
  out[2] = data.length >>> 8;
  out[3] = ~data.length & 0xff;
  out[4] = (~data.length >>> 8) & 0xff;
  out.set(data, 5);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Cuts a zlib stream into IDAT chunks of exactly {@link IDAT_CHUNK_BYTES} (the last shorter). */
class IdatWriter {
  #chunk = new Uint8Array(12 + IDAT_CHUNK_BYTES);
  #filled = 0;
  #wroteAny = false;
  constructor(private readonly sink: ByteSink) {}

  async write(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(IDAT_CHUNK_BYTES - this.#filled, bytes.length - at);
      this.#chunk.set(bytes.subarray(at, at + take), 8 + this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled === IDAT_CHUNK_BYTES) await this.#flush();
    }
  }

  /** Writes what is left (an IDAT chunk even when empty, if none was written). */
  async end(): Promise<void> {
    if (this.#filled > 0 || !this.#wroteAny) await this.#flush();
  }

  async #flush(): Promise<void> {
    const length = this.#filled;
    const view = new DataView(this.#chunk.buffer);
    view.setUint32(0, length);
    this.#chunk.set([73, 68, 65, 84], 4); // "IDAT"
    view.setUint32(8 + length, crc32(this.#chunk.subarray(4, 8 + length)));
    await this.sink(this.#chunk.subarray(0, 12 + length));
    this.#filled = 0;
    this.#wroteAny = true;
  }
}
