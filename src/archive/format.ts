/**
 * The pixel-archive byte layout (version 1): constants and the fixed-size header and index-entry
 * codecs. `docs/FORMAT.md` §2 is the prose version of this file; keep them in step.
 *
 *     header (64 bytes) | index (entry × count) | data | trailer (signature block, optional)
 *
 * @module
 */

/** `PXAR` — first four bytes of every archive. */
export const ARCHIVE_MAGIC: Uint8Array = new Uint8Array([0x50, 0x58, 0x41, 0x52]);
/** The archive format version this code writes and reads. */
export const ARCHIVE_VERSION = 1;
/** Bytes in the fixed header. */
export const ARCHIVE_HEADER_BYTES = 64;
/** Header bytes covered by the archive digest (everything before the trailer length). */
export const ARCHIVE_DIGESTED_BYTES = 24;
/** Bytes in an index entry before its path. */
export const ARCHIVE_ENTRY_BYTES = 64;
/** Entry flag: the member is stored raw-deflated. */
export const ENTRY_FLAG_DEFLATE = 1;
/** Entry flag: the member is a directory (size 0, no data). */
export const ENTRY_FLAG_DIRECTORY = 2;
/** All entry flags this version knows; any other bit set is refused. */
export const KNOWN_ENTRY_FLAGS: number = ENTRY_FLAG_DEFLATE | ENTRY_FLAG_DIRECTORY;
/** Most entries one archive may hold. */
export const MAX_ARCHIVE_ENTRIES = 65536;

/** The decoded fixed header. */
export interface ArchiveHeader {
  /** Format version (1). */
  version: number;
  /** Header flags (reserved, 0). */
  flags: number;
  /** Number of index entries. */
  entryCount: number;
  /** Bytes of the index. */
  indexBytes: number;
  /** Bytes of the data section. */
  dataBytes: number;
  /** Bytes of the trailer (signature block) after the data; 0 when unsigned. */
  trailerBytes: number;
  /** SHA-256 over header bytes 0–23 and the index. */
  digest: Uint8Array;
}

/** One decoded index entry. */
export interface IndexEntry {
  /** Normalised member path. */
  path: string;
  /** Entry flags ({@link ENTRY_FLAG_DEFLATE}, {@link ENTRY_FLAG_DIRECTORY}). */
  flags: number;
  /** Offset of the stored bytes within the data section. */
  offset: number;
  /** Stored (possibly deflated) length. */
  storedBytes: number;
  /** Length of the content. */
  size: number;
  /** SHA-256 of the content (all zero for directories). */
  sha256: Uint8Array;
}

/** Writes the header (digest included) into a new 64-byte array. */
export function encodeHeader(h: ArchiveHeader): Uint8Array {
  const out = new Uint8Array(ARCHIVE_HEADER_BYTES);
  const view = new DataView(out.buffer);
  out.set(ARCHIVE_MAGIC, 0);
  view.setUint16(4, h.version, true);
  view.setUint16(6, h.flags, true);
  view.setUint32(8, h.entryCount, true);
  view.setUint32(12, h.indexBytes, true);
  view.setBigUint64(16, BigInt(h.dataBytes), true);
  view.setUint32(24, h.trailerBytes, true);
  view.setUint32(28, 0, true);
  out.set(h.digest, 32);
  return out;
}

/** Encodes one index entry. */
export function encodeEntry(e: IndexEntry, pathBytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(ARCHIVE_ENTRY_BYTES + pathBytes.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, pathBytes.length, true);
  view.setUint16(2, e.flags, true);
  view.setUint32(4, 0, true);
  view.setBigUint64(8, BigInt(e.offset), true);
  view.setBigUint64(16, BigInt(e.storedBytes), true);
  view.setBigUint64(24, BigInt(e.size), true);
  out.set(e.sha256, 32);
  out.set(pathBytes, ARCHIVE_ENTRY_BYTES);
  return out;
}

/** Reads a u64 that must fit a safe integer; `null` when it does not. */
export function readU64(view: DataView, at: number): number | null {
  const v = view.getBigUint64(at, true);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(v);
}
