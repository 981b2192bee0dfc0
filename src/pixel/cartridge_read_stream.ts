/**
 * Reading a cartridge image's payload as the file is read, through small reused buffers: no
 * buffer the size of the image, the payload or the file. On this VM each fresh MiB costs about
 * 5 ms to fault in and as much again at its first use, so reading an 8 MB cartridge whole cost
 * 50–90 ms before any work; in 64 KiB pieces the same bytes are read and CRC-checked in ≈ 3 ms.
 *
 * It takes the usual cartridge — 8-bit RGB or RGBA, not interlaced, no tRNS, its payload rows
 * in stored deflate blocks — and applies the same rules as the whole-file reader
 * (`readPngChunks`' chunk rules, the scanline framing and filters, the pixel header, the label
 * rows' deflate tail inflated and framed). Anything else makes it throw {@link NotStreamable},
 * and the caller reads the file whole instead (where the general decoder accepts it or says
 * why not). The caller pulls the payload in order with {@link CartridgeStream.read} and ends
 * with {@link CartridgeStream.finish}, which checks the rest of the image; until `finish`
 * returns, nothing read may be trusted more than the checks already made on it (each PNG chunk's
 * CRC is checked when the chunk ends).
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { crc32 } from "./crc32.ts";
import { PayloadReader } from "./cartridge_decode.ts";
import type { CartridgeHeader } from "./header.ts";
import {
  ColorType,
  inflatedSize,
  PNG_SIGNATURE,
  PngChunkRules,
  type PngHeader,
  scanlineBytes,
} from "./png_chunks.ts";
import { ScanlineSplitter } from "./scanlines.ts";
import { STORED_BLOCK_BYTES, zlibInflateEach } from "./zlib.ts";
import { withoutLast } from "./zlib_stored.ts";

/** Fills `into` from the file's current position; returns how many bytes (0 at its end). */
export type ByteSource = (into: Uint8Array) => number;

/** The image is not one {@link CartridgeStream} reads: read the file whole instead. */
export class NotStreamable extends Error {
  /** @param why what made it so */
  constructor(why: string) {
    super(`not read as a stream: ${why}`);
    this.name = "NotStreamable";
  }
}

const CODE = "E_PNG_CORRUPT" as const;
const READ_BYTES = 64 * 1024;
/** Non-IDAT chunks are kept whole; a cartridge's are tiny, anything larger is left to the whole-file reader. */
const MAX_SIDE_CHUNK_BYTES = 1 << 20;

/** Reads a cartridge PNG's payload in order from a {@link ByteSource}. */
export class CartridgeStream {
  #source: ByteSource;
  #buffer = new Uint8Array(READ_BYTES);
  #start = 0;
  #end = 0;
  #position = 0; // file offset of #buffer[#start]
  #rules = new PngChunkRules(CODE);
  #png: PngHeader | undefined;
  // The IDAT run being read: bytes left in the current chunk's body, its running CRC.
  #idatLeft = 0;
  #idatCrc = 0;
  #idatType = Uint8Array.of(73, 68, 65, 84);
  #idatDone = false;
  // The zlib stream: bytes left in the current stored block, whether it was the last.
  #zlibStarted = false;
  #blockLeft = 0;
  #lastBlock = false;
  #inflated = 0;
  #tail: Uint8Array[] = [];
  // Rows and payload.
  #rows: ScanlineSplitter | undefined;
  #reader: PayloadReader | undefined;
  #pieces = [new Uint8Array(STORED_BLOCK_BYTES), new Uint8Array(STORED_BLOCK_BYTES)];
  #turn = 0;
  #pending: Uint8Array[] = [];
  #pendingAt = 0;

  /** @param source where the file's bytes come from (read forwards, once) */
  constructor(source: ByteSource) {
    this.#source = source;
  }

  /**
   * Reads up to the first payload byte: the signature, the chunks before IDAT and row 0, whose
   * pixel header says how long the payload is.
   */
  open(): CartridgeHeader {
    const signature = this.#take(PNG_SIGNATURE.length, "the PNG signature");
    for (let i = 0; i < PNG_SIGNATURE.length; i++) {
      if (signature[i] !== PNG_SIGNATURE[i]) throw new NotStreamable("not a PNG signature");
    }
    this.#sideChunksUntilIdat();
    const png = this.#png = this.#rules.header!;
    if (
      png.bitDepth !== 8 || png.interlace !== 0 || this.#rules.transparency !== undefined ||
      (png.colorType !== ColorType.RGB && png.colorType !== ColorType.RGBA)
    ) {
      throw new NotStreamable("not an 8-bit RGB or RGBA image without interlace or tRNS");
    }
    const channels = png.channels as 3 | 4;
    this.#reader = new PayloadReader(
      png.width,
      png.height,
      undefined,
      (bytes) => this.#pending.push(bytes),
    );
    const reader = this.#reader;
    this.#rows = new ScanlineSplitter(
      { rowBytes: scanlineBytes(png), bpp: channels, height: png.height },
      (y, bytes, at) => reader.row(y, bytes, at, channels),
      CODE,
      this.#rules.idatOffset,
      () => !reader.complete,
    );
    while (reader.header === undefined) this.#pump();
    return reader.header;
  }

  /** Fills `into` with the next payload bytes; `E_PNG_CORRUPT` if the payload ends first. */
  read(into: Uint8Array): void {
    let filled = 0;
    while (filled < into.length) {
      if (this.#pending.length === 0) {
        if (this.#reader!.complete) {
          throw new PxosError(CODE, "the payload ends before the archive it holds does");
        }
        this.#pump();
        continue;
      }
      const piece = this.#pending[0];
      const take = Math.min(into.length - filled, piece.length - this.#pendingAt);
      into.set(piece.subarray(this.#pendingAt, this.#pendingAt + take), filled);
      filled += take;
      this.#pendingAt += take;
      if (this.#pendingAt === piece.length) {
        this.#pending.shift();
        this.#pendingAt = 0;
      }
    }
  }

  /**
   * Checks the rest of the image once every payload byte has been read: the label rows (their
   * deflate tail inflated and framed), the zlib stream's end, the chunks up to IEND.
   */
  async finish(): Promise<void> {
    if (!this.#reader!.complete || this.#pending.length > 0) {
      throw new PxosError(CODE, "the archive ends before the payload does");
    }
    while ((!this.#lastBlock || this.#blockLeft > 0) && this.#tail.length === 0) this.#pump();
    const expected = inflatedSize(this.#png!);
    if (this.#tail.length > 0) {
      // The rest of IDAT is one deflated stream (the label rows) and the 4-byte Adler-32.
      for (let piece = this.#idat(READ_BYTES); piece.length > 0; piece = this.#idat(READ_BYTES)) {
        this.#tail.push(piece.slice());
      }
      const tail = withoutLast(this.#tail, 4);
      await zlibInflateEach(
        tail,
        expected - this.#inflated,
        { code: CODE, what: "IDAT data", offset: this.#rules.idatOffset, format: "deflate-raw" },
        (piece) => this.#rows!.push(piece),
      );
    } else {
      if (this.#inflated !== expected) {
        throw new PxosError(
          CODE,
          `IDAT data inflates to ${this.#inflated} bytes, expected ${expected} (too little data)`,
          { offset: this.#rules.idatOffset },
        );
      }
      if (this.#idat(8).length !== 4 || this.#idat(1).length !== 0) {
        throw new PxosError(
          CODE,
          "IDAT data does not end with exactly its 4-byte Adler-32 after the last block",
          { offset: this.#rules.idatOffset },
        );
      }
    }
    this.#rows!.finish();
    this.#sideChunksUntilEnd();
  }

  /** Inflates the next stored block's bytes (up to one piece) and hands them to the rows. */
  #pump(): void {
    if (!this.#zlibStarted) {
      const head = this.#idatExactly(2);
      if (
        (head[0] & 0x0f) !== 8 || (head[0] >>> 4) > 7 || (head[1] & 0x20) !== 0 ||
        ((head[0] << 8) | head[1]) % 31 !== 0
      ) {
        throw new NotStreamable("not a plain zlib stream");
      }
      this.#zlibStarted = true;
    }
    while (this.#blockLeft === 0) {
      if (this.#lastBlock) throw new PxosError(CODE, "the image ends before its payload does");
      const blockHead = this.#idatExactly(1)[0];
      if (((blockHead >>> 1) & 3) !== 0) {
        // A deflated block: the label rows after a complete payload, else not for this reader.
        if (!this.#reader!.complete) throw new NotStreamable("payload rows in deflated blocks");
        this.#tail.push(Uint8Array.of(blockHead));
        return;
      }
      const lengths = this.#idatExactly(4);
      const length = lengths[0] | (lengths[1] << 8);
      if ((length ^ (lengths[2] | (lengths[3] << 8))) !== 0xffff) {
        throw new PxosError(CODE, "IDAT data has a stored block whose LEN and NLEN disagree", {
          offset: this.#rules.idatOffset,
        });
      }
      this.#blockLeft = length;
      this.#lastBlock = (blockHead & 1) === 1;
    }
    const piece = this.#pieces[this.#turn].subarray(0, this.#blockLeft);
    this.#turn ^= 1;
    const got = this.#idat(piece.length, piece);
    if (got.length === 0) throw new PxosError(CODE, "IDAT data ends inside a stored block");
    this.#blockLeft -= got.length;
    this.#inflated += got.length;
    if (this.#inflated > inflatedSize(this.#png!)) {
      throw new PxosError(
        CODE,
        `IDAT data inflates to more than the expected ${inflatedSize(this.#png!)} bytes`,
        { offset: this.#rules.idatOffset },
      );
    }
    this.#rows!.push(got);
  }

  #idatExactly(n: number): Uint8Array {
    const out = this.#idat(n, new Uint8Array(n));
    if (out.length !== n) throw new PxosError(CODE, "IDAT data ends inside a deflate block header");
    return out;
  }

  /**
   * Up to `n` next bytes of the IDAT run (into `into` when given), crossing chunk boundaries and
   * checking each chunk's CRC at its end; fewer only where the run ends.
   */
  #idat(n: number, into: Uint8Array = new Uint8Array(n)): Uint8Array {
    let filled = 0;
    while (filled < n) {
      if (this.#idatLeft === 0 && !this.#nextIdatChunk()) break;
      const take = Math.min(n - filled, this.#idatLeft);
      const bytes = this.#take(take, "IDAT data");
      this.#idatCrc = crc32(bytes, this.#idatCrc);
      into.set(bytes, filled);
      filled += take;
      this.#idatLeft -= take;
      if (this.#idatLeft === 0) this.#endIdatChunk();
    }
    return into.subarray(0, filled);
  }

  #endIdatChunk(): void {
    const at = this.#position;
    const stored = new DataView(this.#take(4, "a chunk CRC").slice().buffer).getUint32(0);
    this.#rules.checkCrc("IDAT", this.#idatCrc, stored, at);
  }

  /** Starts the next chunk if it is an IDAT (of the same run); false when the run has ended. */
  #nextIdatChunk(): boolean {
    if (this.#idatDone) return false;
    for (;;) {
      const pos = this.#position;
      const { type, length } = this.#rules.frame(this.#take(8, "a chunk header").slice(), pos);
      if (type !== "IDAT") {
        this.#idatDone = true;
        this.#sideChunk(type, length, pos);
        return false;
      }
      this.#rules.take(type, new Uint8Array(0), pos, pos + 8);
      this.#idatCrc = crc32(this.#idatType);
      this.#idatLeft = length;
      if (length > 0) return true;
      this.#endIdatChunk();
    }
  }

  /** Chunks before the first IDAT, which it starts. */
  #sideChunksUntilIdat(): void {
    for (;;) {
      const pos = this.#position;
      const { type, length } = this.#rules.frame(this.#take(8, "a chunk header").slice(), pos);
      if (type === "IDAT") {
        this.#rules.take(type, new Uint8Array(0), pos, pos + 8);
        this.#idatCrc = crc32(this.#idatType);
        this.#idatLeft = length;
        if (length === 0) this.#endIdatChunk();
        return;
      }
      this.#sideChunk(type, length, pos);
      if (this.#rules.ended) throw new NotStreamable("IEND before IDAT");
    }
  }

  /** Chunks after the IDAT run, up to IEND; another IDAT there is left to the whole-file reader. */
  #sideChunksUntilEnd(): void {
    while (!this.#rules.ended) {
      const pos = this.#position;
      const { type, length } = this.#rules.frame(this.#take(8, "a chunk header").slice(), pos);
      if (type === "IDAT") throw new NotStreamable("IDAT chunks not in one run");
      this.#sideChunk(type, length, pos);
    }
    this.#rules.finish(this.#position);
  }

  /** A whole non-IDAT chunk whose 8-byte head was read at `pos`: body, CRC, rules. */
  #sideChunk(type: string, length: number, pos: number): void {
    if (length > MAX_SIDE_CHUNK_BYTES) throw new NotStreamable(`a ${length}-byte ${type} chunk`);
    const body = this.#take(length, `chunk ${type}`).slice();
    const at = this.#position;
    const stored = new DataView(this.#take(4, "a chunk CRC").slice().buffer).getUint32(0);
    const typeBytes = new Uint8Array([...type].map((c) => c.charCodeAt(0)));
    this.#rules.checkCrc(type, crc32(body, crc32(typeBytes)), stored, at);
    this.#rules.take(type, body, pos, pos + 8);
  }

  /**
   * The next `n` file bytes, as a view valid until the next call (at most {@link READ_BYTES}
   * at once, or a copy for more); `E_PNG_CORRUPT` (truncated) when the file ends first.
   */
  #take(n: number, what: string): Uint8Array {
    if (n > READ_BYTES) {
      const out = new Uint8Array(n);
      for (let at = 0; at < n; at += READ_BYTES) {
        out.set(this.#take(Math.min(READ_BYTES, n - at), what), at);
      }
      return out;
    }
    if (this.#end - this.#start < n) {
      this.#buffer.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
      while (this.#end < n) {
        const got = this.#source(this.#buffer.subarray(this.#end));
        if (got === 0) {
          throw new PxosError(CODE, `truncated PNG: the file ends inside ${what}`, {
            offset: this.#position + this.#end,
          });
        }
        this.#end += got;
      }
    }
    const out = this.#buffer.subarray(this.#start, this.#start + n);
    this.#start += n;
    this.#position += n;
    return out;
  }
}
