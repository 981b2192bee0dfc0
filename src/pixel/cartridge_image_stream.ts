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

  // Stored blocks over the header and data rows, the rows built a few MiB at a time and each
  // block's 5-byte head written where it starts (every block length follows from storedBytes).
  const stepRows = Math.max(1, Math.floor(ROWS_PER_STEP_BYTES / stride));
  const rows = new Uint8Array(stepRows * stride);
  const blocks = Math.ceil(plan.storedBytes / STORED_BLOCK_BYTES) || (tail ? 0 : 1);
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
  adler.update(tailScanlines);
  const sum = adler.digest();
  await idat.write(Uint8Array.of(sum >>> 24, (sum >>> 16) & 0xff, (sum >>> 8) & 0xff, sum & 0xff));
  await idat.end();
  await sink(pngChunk("IEND", new Uint8Array(0)));
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
