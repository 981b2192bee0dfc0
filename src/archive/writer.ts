/**
 * Builds a pixel-archive payload from files. Output is deterministic: the same files give the same
 * bytes (entries sorted by path, no timestamps).
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { deflateRawLent, looksIncompressible, releaseBuffer } from "./compression.ts";
import {
  ARCHIVE_DIGESTED_BYTES,
  ARCHIVE_ENTRY_BYTES,
  ARCHIVE_HEADER_BYTES,
  ARCHIVE_VERSION,
  encodeEntry,
  encodeHeader,
  ENTRY_FLAG_DEFLATE,
  ENTRY_FLAG_DIRECTORY,
  type IndexEntry,
  MAX_ARCHIVE_ENTRIES,
} from "./format.ts";
import { preferNativeSha256, sha256 } from "./hash.ts";
import { loadNativeZlib, NATIVE_WORTHWHILE_BYTES, type NativeZlib } from "../native_modules.ts";
import { checkArchivePath } from "./paths.ts";

/** One member to pack: a file with content, or an (empty) directory. */
export type ArchiveInput =
  | {
    path: string;
    data: Uint8Array;
    directory?: false;
    /** `data.length`, when it is known without reading `data` (a file not read yet). */
    size?: number;
    /**
     * Reads the content into `buffer` when it fits and returns that part of it (else a new
     * array), for inputs whose content is read on demand: the packer then reads every file into
     * one reused buffer.
     */
    readInto?: (buffer: Uint8Array) => Uint8Array;
  }
  | { path: string; directory: true };

/** Options for {@link packArchive}. */
export interface PackArchiveOptions {
  /** Deflate members when that makes them smaller (default `true`). */
  compress?: boolean;
  /** Signature block appended after the data (not covered by the digest it signs). */
  trailer?: Uint8Array;
  /** Called with (content bytes processed, total content bytes) as members are compressed. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Packs members into one archive payload. The result may be a view of a larger buffer (its
 * capacity was reserved for every member stored uncompressed): use it through its own offset and
 * length, not its `.buffer` alone.
 *
 * @example
 * ```ts
 * import { packArchive, readArchive } from "@pxos/core";
 * const bytes = await packArchive([
 *   { path: "pxos.json", data: new TextEncoder().encode('{"name":"x"}') },
 *   { path: "data/level.txt", data: new TextEncoder().encode("level 1") },
 * ]);
 * const archive = await readArchive(bytes);
 * console.log(archive.entries.map((e) => e.path));
 * ```
 */
export async function packArchive(
  inputs: readonly ArchiveInput[],
  options: PackArchiveOptions = {},
): Promise<Uint8Array> {
  const payload = new PayloadBytes();
  const { head } = await packArchiveTo(inputs, payload, options);
  const out = payload.finish();
  out.set(head, 0);
  return out;
}

/**
 * Where {@link packArchiveTo} puts an archive's bytes: everything after its head (header and
 * index), which is known only once every member is packed.
 */
export interface ArchiveDataSink {
  /**
   * Called once, before any data: the head will take the first `headBytes` bytes of the payload,
   * and the payload can be no longer than `capacity` bytes (every member stored as it is).
   */
  start(headBytes: number, capacity: number): void;
  /** The members' stored bytes, then the trailer, in order (`bytes` may be reused after). */
  append(bytes: Uint8Array): void;
}

/** What {@link packArchiveTo} made besides the data it handed to its sink. */
export interface ArchiveHead {
  /** Header and index (digest included): the payload's first bytes, before the data. */
  head: Uint8Array;
  /** The whole payload's length: head, data and trailer. */
  length: number;
}

/**
 * {@link packArchive} without holding the payload: each member's stored bytes go to `sink` as it
 * is packed (one member in memory at a time), and the head that belongs in front of them is
 * returned at the end. `pxos pack` writes the data to a temporary file this way.
 *
 * @example
 * ```ts
 * import { packArchiveTo, readArchive } from "@pxos/core";
 * let payload = new Uint8Array(0);
 * const { head } = await packArchiveTo(
 *   [{ path: "pxos.json", data: new TextEncoder().encode('{"name":"x"}') }],
 *   {
 *     start: (headBytes) => payload = new Uint8Array(headBytes),
 *     append: (bytes) => {
 *       const longer = new Uint8Array(payload.length + bytes.length);
 *       longer.set(payload);
 *       longer.set(bytes, payload.length);
 *       payload = longer;
 *     },
 *   },
 * );
 * payload.set(head, 0);
 * console.log((await readArchive(payload)).has("pxos.json")); // true
 * ```
 */
export async function packArchiveTo(
  inputs: readonly ArchiveInput[],
  sink: ArchiveDataSink,
  options: PackArchiveOptions = {},
): Promise<ArchiveHead> {
  const members = sortAndCheck(inputs);
  const compress = options.compress ?? true;
  const total = members.reduce((n, m) => n + (m.directory ? 0 : m.size ?? m.data.length), 0);
  let done = 0;

  // The index size depends only on the paths, so the data can follow it as each member is
  // packed: one member's bytes in memory at a time.
  const encoder = new TextEncoder();
  const pathBytes = members.map((m) => encoder.encode(m.path));
  const indexBytes = pathBytes.reduce((n, p) => n + ARCHIVE_ENTRY_BYTES + p.length, 0);
  const trailer = options.trailer ?? new Uint8Array(0);
  const dataStart = ARCHIVE_HEADER_BYTES + indexBytes;
  const capacity = dataStart + total + trailer.length;
  sink.start(dataStart, capacity);
  let written = dataStart;
  const append = (bytes: Uint8Array, what: string) => {
    // More than announced: a file grew while packing (and a fixed buffer would overflow).
    if (written + bytes.length > capacity) {
      throw new PxosError("E_IO", `${what} changed while it was being packed; pack again`);
    }
    sink.append(bytes);
    written += bytes.length;
  };

  const entries: IndexEntry[] = [];
  let offset = 0;
  // One buffer for every file read on demand, one byte larger than the largest listed file (so a
  // file that grew since is noticed); native hashing for a large tree.
  const largest = members.reduce((n, m) => m.directory ? n : Math.max(n, m.size ?? 0), 0);
  const scratch = members.some((m) => !m.directory && m.readInto)
    ? new Uint8Array(largest + 1)
    : undefined;
  if (total >= NATIVE_WORTHWHILE_BYTES) await preferNativeSha256();
  let zlib: NativeZlib | undefined;
  for (const m of members) {
    if (m.directory) {
      entries.push({
        path: m.path,
        flags: ENTRY_FLAG_DIRECTORY,
        offset,
        storedBytes: 0,
        size: 0,
        sha256: new Uint8Array(32),
      });
      continue;
    }
    // Read once: a file on disk is read here.
    const data = scratch && m.readInto ? m.readInto(scratch) : m.data;
    const hash = await sha256(data);
    const deflate = compress && data.length >= 64 && !(await looksIncompressible(data));
    if (deflate) zlib ??= await loadNativeZlib();
    // Synchronous from the deflate to the append below: the deflated bytes may be the reused
    // engine's buffer, which the next deflate (another pack's, in this process) overwrites.
    const packed = deflate ? smallerDeflate(zlib!, data) : data;
    const flags = packed === data ? 0 : ENTRY_FLAG_DEFLATE; // (data may be the scratch buffer:
    // the sink copies or writes it below, before the next file is read into it)
    entries.push({
      path: m.path,
      flags,
      offset,
      storedBytes: packed.length,
      size: data.length,
      sha256: hash,
    });
    append(packed, m.path);
    offset += packed.length;
    releaseBuffer(packed); // handed on: its memory serves the next member's deflate
    done += data.length;
    options.onProgress?.(done, total);
  }
  append(trailer, "the signature trailer");

  const head = new Uint8Array(dataStart);
  let at = ARCHIVE_HEADER_BYTES;
  for (let i = 0; i < entries.length; i++) {
    const encoded = encodeEntry(entries[i], pathBytes[i]);
    head.set(encoded, at);
    at += encoded.length;
  }
  const headerBytes = encodeHeader({
    version: ARCHIVE_VERSION,
    flags: 0,
    entryCount: entries.length,
    indexBytes,
    dataBytes: offset,
    trailerBytes: trailer.length,
    digest: new Uint8Array(32),
  });
  head.set(headerBytes, 0);
  head.set(await archiveDigest(headerBytes, head.subarray(ARCHIVE_HEADER_BYTES)), 32);
  return { head, length: written };
}

/**
 * The in-memory payload: one buffer of the capacity announced (the payload can be no larger than
 * its header, index and every member stored uncompressed), handed out as a view of the part
 * written — no copy at the end. A fresh allocation's pages cost nothing until they are written,
 * so the unused capacity is only address space. (A resizable `ArrayBuffer` was used before: its
 * `transferToFixedLength` copied the whole payload into new memory, measured 34 ms for 8 MiB.)
 */
class PayloadBytes implements ArchiveDataSink {
  #bytes = new Uint8Array(0);
  #length = 0;
  start(headBytes: number, capacity: number): void {
    this.#bytes = new Uint8Array(Math.max(headBytes, capacity));
    this.#length = headBytes;
  }
  append(bytes: Uint8Array): void {
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }
  /** The bytes written, with room for the head at the start. */
  finish(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

/** SHA-256 over the digested header bytes and the index: what a signature signs. */
export async function archiveDigest(header: Uint8Array, index: Uint8Array): Promise<Uint8Array> {
  const buf = new Uint8Array(ARCHIVE_DIGESTED_BYTES + index.length);
  buf.set(header.subarray(0, ARCHIVE_DIGESTED_BYTES), 0);
  buf.set(index, ARCHIVE_DIGESTED_BYTES);
  return await sha256(buf);
}

/** `data` deflated when that makes it smaller, else `data` itself. */
function smallerDeflate(zlib: NativeZlib, data: Uint8Array): Uint8Array {
  const packed = deflateRawLent(zlib, data);
  if (packed.length < data.length) return packed;
  releaseBuffer(packed); // no smaller: stored as it is
  return data;
}

/** Sorts members by path (byte order) and refuses bad, duplicate or conflicting paths. */
function sortAndCheck(inputs: readonly ArchiveInput[]): ArchiveInput[] {
  if (inputs.length > MAX_ARCHIVE_ENTRIES) {
    throw new PxosError(
      "E_CAPACITY",
      `expected at most ${MAX_ARCHIVE_ENTRIES} files, found ${inputs.length}`,
    );
  }
  for (const m of inputs) checkArchivePath(m.path, m.path);
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files = new Set<string>();
  for (let i = 0; i < sorted.length; i++) {
    const path = sorted[i].path;
    if (i > 0 && sorted[i - 1].path === path) {
      throw new PxosError("E_PATH", `duplicate member path ${JSON.stringify(path)}`);
    }
    if (!sorted[i].directory) files.add(path);
  }
  for (const m of sorted) {
    for (let cut = m.path.indexOf("/"); cut >= 0; cut = m.path.indexOf("/", cut + 1)) {
      if (files.has(m.path.slice(0, cut))) {
        throw new PxosError(
          "E_PATH",
          `${JSON.stringify(m.path.slice(0, cut))} is a file but ${
            JSON.stringify(m.path)
          } needs it to be a directory`,
        );
      }
    }
  }
  return sorted;
}
