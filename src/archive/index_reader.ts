/**
 * Parsing an archive's header and index: every count, length and offset checked against the
 * bytes that are there before it is used, the archive digest verified, and paths that break the
 * rules refused. `readArchive` uses it on a whole payload; `pxos unpack` on the first bytes of a
 * payload it receives in order (`stream_extract.ts`).
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import {
  ARCHIVE_ENTRY_BYTES,
  ARCHIVE_HEADER_BYTES,
  ARCHIVE_MAGIC,
  ARCHIVE_VERSION,
  ENTRY_FLAG_DEFLATE,
  ENTRY_FLAG_DIRECTORY,
  type IndexEntry,
  KNOWN_ENTRY_FLAGS,
  MAX_ARCHIVE_ENTRIES,
  readU64,
} from "./format.ts";
import { bytesEqual, preferNativeSha256, toHex } from "./hash.ts";
import { loadNativeZlib, NATIVE_WORTHWHILE_BYTES } from "../native_modules.ts";
import { archivePathProblem, MAX_PATH_BYTES } from "./paths.ts";
import { archiveDigest } from "./writer.ts";

/** An archive with more members than this reads them through the native inflater. */
const MANY_MEMBERS = 64;

/** Raw deflate never expands more than about 1032:1; a larger claim is a lie. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Parses and checks an archive's header and index (digest included) from `bytes`, which hold at
 * least both, for an archive of `totalBytes` in all: what `readArchive` checks before any
 * member, for a reader that receives the payload in order (`stream_extract.ts`).
 */
export async function readArchiveHead(
  bytes: Uint8Array,
  totalBytes: number,
  options: { maxUnpackedBytes?: number; name?: string } = {},
): Promise<ArchiveHead> {
  const name = options.name ?? "archive";
  const maxUnpacked = options.maxUnpackedBytes ?? 1024 * 1024 * 1024;
  const fail = (message: string, offset?: number): never => {
    throw new PxosError("E_ARCHIVE", message, { file: name, offset });
  };

  if (totalBytes < ARCHIVE_HEADER_BYTES) {
    fail(
      `expected at least a ${ARCHIVE_HEADER_BYTES}-byte archive header, found ${totalBytes} bytes`,
    );
  }
  if (!bytesEqual(bytes.subarray(0, 4), ARCHIVE_MAGIC)) {
    fail(
      `expected archive magic "PXAR", found ${
        JSON.stringify(String.fromCharCode(...bytes.subarray(0, 4)))
      }`,
      0,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== ARCHIVE_VERSION) {
    fail(
      `expected archive format version ${ARCHIVE_VERSION}, found ${version} (a newer pxos may read it)`,
      4,
    );
  }
  const flags = view.getUint16(6, true);
  if (flags !== 0) fail(`expected header flags 0, found ${flags}`, 6);
  const entryCount = view.getUint32(8, true);
  const indexBytes = view.getUint32(12, true);
  const dataBytes = readU64(view, 16);
  const trailerBytes = view.getUint32(24, true);
  if (view.getUint32(28, true) !== 0) fail("expected reserved header field to be 0", 28);
  if (entryCount > MAX_ARCHIVE_ENTRIES) {
    fail(`expected at most ${MAX_ARCHIVE_ENTRIES} entries, found ${entryCount}`, 8);
  }
  if (totalBytes >= NATIVE_WORTHWHILE_BYTES || entryCount > MANY_MEMBERS) {
    // Native inflate and hashing pay for their start-up here (see src/native_modules.ts).
    await Promise.all([loadNativeZlib(), preferNativeSha256()]);
  }
  if (entryCount * ARCHIVE_ENTRY_BYTES > indexBytes) {
    fail(`index of ${indexBytes} bytes cannot hold ${entryCount} entries`, 8);
  }
  const declared = ARCHIVE_HEADER_BYTES + indexBytes + (dataBytes ?? Infinity) + trailerBytes;
  if (declared !== totalBytes) {
    fail(
      `header declares ${declared} bytes (index ${indexBytes}, data ${dataBytes}, trailer ${trailerBytes}), found ${totalBytes}`,
      12,
    );
  }
  const indexView = bytes.subarray(ARCHIVE_HEADER_BYTES, ARCHIVE_HEADER_BYTES + indexBytes);
  const digest = bytes.slice(32, 64);
  const actual = await archiveDigest(bytes, indexView);
  if (!bytesEqual(actual, digest)) {
    throw new PxosError(
      "E_ARCHIVE_HASH",
      `archive digest mismatch: header says ${toHex(digest)}, header and index hash to ${
        toHex(actual)
      }`,
      { file: name, offset: 32 },
    );
  }

  const index = parseIndex(bytes, view, entryCount, indexBytes, dataBytes!, maxUnpacked, fail);
  return { version, index, digest, indexBytes, dataBytes: dataBytes! };
}

/** What {@link readArchiveHead} found. */
export interface ArchiveHead {
  /** Format version. */
  version: number;
  /** The index entries, in order (their data follows in the same order). */
  index: IndexEntry[];
  /** The archive digest (checked). */
  digest: Uint8Array;
  /** Index length in bytes (the data starts after the header and index). */
  indexBytes: number;
  /** Data section length in bytes (the trailer follows). */
  dataBytes: number;
}

function parseIndex(
  bytes: Uint8Array,
  view: DataView,
  entryCount: number,
  indexBytes: number,
  dataBytes: number,
  maxUnpacked: number,
  fail: (message: string, offset?: number) => never,
): IndexEntry[] {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const end = ARCHIVE_HEADER_BYTES + indexBytes;
  const entries: IndexEntry[] = [];
  const files = new Set<string>();
  let at = ARCHIVE_HEADER_BYTES;
  let expectedOffset = 0;
  let unpacked = 0;
  for (let i = 0; i < entryCount; i++) {
    if (at + ARCHIVE_ENTRY_BYTES > end) fail(`entry ${i} runs past the end of the index`, at);
    const pathBytes = view.getUint16(at, true);
    const flags = view.getUint16(at + 2, true);
    const offset = readU64(view, at + 8);
    const stored = readU64(view, at + 16);
    const size = readU64(view, at + 24);
    if (at + ARCHIVE_ENTRY_BYTES + pathBytes > end) {
      fail(`entry ${i}'s path runs past the end of the index`, at);
    }
    if ((flags & ~KNOWN_ENTRY_FLAGS) !== 0) {
      fail(`entry ${i}: unknown flags 0x${flags.toString(16)}`, at + 2);
    }
    if (view.getUint32(at + 4, true) !== 0) fail(`entry ${i}: reserved field must be 0`, at + 4);
    const pathView = bytes.subarray(at + ARCHIVE_ENTRY_BYTES, at + ARCHIVE_ENTRY_BYTES + pathBytes);
    let path = asciiText(pathView) ?? "";
    if (path.length !== pathBytes) {
      try {
        path = decoder.decode(pathView);
      } catch {
        fail(`entry ${i}: path is not valid UTF-8`, at + ARCHIVE_ENTRY_BYTES);
      }
    }
    const problem = archivePathProblem(path);
    if (problem !== null) {
      throw new PxosError("E_PATH", `entry ${i}: path ${JSON.stringify(path)} ${problem}`, {
        offset: at + ARCHIVE_ENTRY_BYTES,
      });
    }
    const previous = entries[entries.length - 1]?.path;
    if (previous !== undefined && !(previous < path)) {
      throw new PxosError(
        "E_PATH",
        previous === path
          ? `duplicate path ${JSON.stringify(path)}`
          : `index not sorted: ${JSON.stringify(path)} after ${JSON.stringify(previous)}`,
        { offset: at + ARCHIVE_ENTRY_BYTES },
      );
    }
    if (offset !== expectedOffset) {
      fail(`entry ${i} (${path}): expected data offset ${expectedOffset}, found ${offset}`, at + 8);
    }
    if (stored === null || size === null || stored > dataBytes - expectedOffset) {
      fail(`entry ${i} (${path}): stored length ${stored} runs past the data section`, at + 16);
    }
    const isDir = (flags & ENTRY_FLAG_DIRECTORY) !== 0;
    if (isDir && (flags !== ENTRY_FLAG_DIRECTORY || stored !== 0 || size !== 0)) {
      fail(`entry ${i} (${path}): a directory must have no data and no other flags`, at);
    }
    if ((flags & ENTRY_FLAG_DEFLATE) === 0 && stored !== size) {
      fail(
        `entry ${i} (${path}): stored uncompressed, so size ${size} must equal stored length ${stored}`,
        at + 16,
      );
    }
    if ((flags & ENTRY_FLAG_DEFLATE) !== 0 && size! > stored! * MAX_DEFLATE_RATIO + 64) {
      fail(
        `entry ${i} (${path}): size ${size} is impossible for ${stored} deflated bytes`,
        at + 24,
      );
    }
    unpacked += size!;
    if (unpacked > maxUnpacked) {
      throw new PxosError("E_CAPACITY", `contents total more than the ${maxUnpacked}-byte limit`, {
        offset: at + 24,
      });
    }
    entries.push({
      path,
      flags,
      offset: offset!,
      storedBytes: stored!,
      size: size!,
      sha256: bytes.slice(at + 32, at + 64),
    });
    if (!isDir) files.add(path);
    expectedOffset += stored!;
    at += ARCHIVE_ENTRY_BYTES + pathBytes;
  }
  if (at !== end) {
    fail(`index declares ${indexBytes} bytes but its entries use ${at - ARCHIVE_HEADER_BYTES}`, at);
  }
  if (expectedOffset !== dataBytes) {
    fail(`data section is ${dataBytes} bytes but entries use ${expectedOffset}`, 16);
  }
  for (const e of entries) {
    for (let cut = e.path.indexOf("/"); cut >= 0; cut = e.path.indexOf("/", cut + 1)) {
      if (files.has(e.path.slice(0, cut))) {
        throw new PxosError(
          "E_PATH",
          `${JSON.stringify(e.path)} lies under the file ${JSON.stringify(e.path.slice(0, cut))}`,
        );
      }
    }
  }
  return entries;
}

/**
 * `bytes` as a string when every byte is ASCII (which is valid UTF-8 and decodes to the same
 * string), else `undefined`. Most paths are ASCII, and a `TextDecoder` call per member cost more
 * than the rest of parsing its index entry (927 members: ≈ 30% of `parseIndex`'s profile).
 */
function asciiText(bytes: Uint8Array): string | undefined {
  // A path longer than the rules allow is decoded the general way, then refused as too long;
  // this keeps the call below to a bounded number of arguments.
  if (bytes.length > MAX_PATH_BYTES) return undefined;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return undefined;
  // One string made at once rather than one per character.
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}
