/**
 * Reads a pixel-archive payload. Parsing checks every count, length and offset against the bytes
 * that are actually there before using it, verifies the archive digest, and refuses paths that
 * break the rules; member contents are inflated and hash-checked on demand.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { inflateRawExact } from "./compression.ts";
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
import { bytesEqual, preferNativeSha256, sha256, toHex } from "./hash.ts";
import { loadNativeZlib, NATIVE_WORTHWHILE_BYTES } from "../native_modules.ts";
import { archivePathProblem } from "./paths.ts";
import { archiveDigest } from "./writer.ts";

/** An archive with more members than this reads them through the native inflater. */
const MANY_MEMBERS = 64;

/** Raw deflate never expands more than about 1032:1; a larger claim is a lie. */
const MAX_DEFLATE_RATIO = 1032;

/** Options for {@link readArchive}. */
export interface ReadArchiveOptions {
  /** Largest total content size the archive may declare (default 1 GiB). */
  maxUnpackedBytes?: number;
  /** Name used in error messages (e.g. the cartridge file name). */
  name?: string;
}

/** One member as listed by an {@link Archive}. */
export interface ArchiveEntry {
  /** Normalised path. */
  readonly path: string;
  /** Whether this is a directory entry. */
  readonly directory: boolean;
  /** Content size in bytes. */
  readonly size: number;
  /** Stored size in bytes. */
  readonly storedSize: number;
  /** Whether it is stored deflated. */
  readonly compressed: boolean;
  /** SHA-256 of the content, lower-case hex (empty for directories). */
  readonly sha256: string;
}

/** Result of {@link Archive.verify}: which members failed, if any. */
export interface ArchiveVerifyReport {
  /** True when every member's content matches its hash. */
  ok: boolean;
  /** Members checked. */
  checked: number;
  /** Members that failed, with the reason. */
  failures: { path: string; code: string; message: string }[];
}

/** A parsed archive: header and index checked, contents read on demand. */
export class Archive {
  /** Format version. */
  readonly version: number;
  /** Members in index order (sorted by path). */
  readonly entries: readonly ArchiveEntry[];
  /** Archive digest (SHA-256 over header and index): what a signature signs. */
  readonly digest: Uint8Array;
  /** Signature block bytes, or an empty array when unsigned. */
  readonly trailer: Uint8Array;
  /** Total size of the archive payload in bytes. */
  readonly byteLength: number;

  #raw: Map<string, IndexEntry>;
  #data: Uint8Array;
  #name: string;

  /** Use {@link readArchive}; this constructor trusts its arguments. */
  constructor(
    parts: {
      version: number;
      index: IndexEntry[];
      digest: Uint8Array;
      data: Uint8Array;
      trailer: Uint8Array;
      byteLength: number;
      name: string;
    },
  ) {
    this.version = parts.version;
    this.digest = parts.digest;
    this.trailer = parts.trailer;
    this.byteLength = parts.byteLength;
    this.#data = parts.data;
    this.#name = parts.name;
    this.#raw = new Map(parts.index.map((e) => [e.path, e]));
    this.entries = parts.index.map((e) => ({
      path: e.path,
      directory: (e.flags & ENTRY_FLAG_DIRECTORY) !== 0,
      size: e.size,
      storedSize: e.storedBytes,
      compressed: (e.flags & ENTRY_FLAG_DEFLATE) !== 0,
      sha256: (e.flags & ENTRY_FLAG_DIRECTORY) !== 0 ? "" : toHex(e.sha256),
    }));
  }

  /** True when a file (not a directory) with this path exists. */
  has(path: string): boolean {
    const e = this.#raw.get(path);
    return e !== undefined && (e.flags & ENTRY_FLAG_DIRECTORY) === 0;
  }

  /** Reads a member's content, inflating it and checking its SHA-256 (`E_ARCHIVE_HASH`). */
  async read(path: string): Promise<Uint8Array> {
    const e = this.#raw.get(path);
    if (!e || (e.flags & ENTRY_FLAG_DIRECTORY) !== 0) {
      throw new PxosError("E_IO", `${this.#name} has no file ${JSON.stringify(path)}`);
    }
    const stored = this.#data.subarray(e.offset, e.offset + e.storedBytes);
    const where = `${this.#name}: ${path}`;
    let content = stored;
    let hash: Uint8Array;
    if ((e.flags & ENTRY_FLAG_DEFLATE) !== 0) {
      content = await inflateRawExact(stored, e.size, where);
      hash = await sha256(content);
    } else {
      hash = await sha256(stored);
    }
    if (!bytesEqual(hash, e.sha256)) {
      throw new PxosError(
        "E_ARCHIVE_HASH",
        `${path}: expected SHA-256 ${toHex(e.sha256)}, found ${toHex(hash)}`,
        { file: this.#name },
      );
    }
    return content;
  }

  /** Reads a member as UTF-8 text (refusing invalid UTF-8 with `E_ARCHIVE`). */
  async readText(path: string): Promise<string> {
    const bytes = await this.read(path);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new PxosError("E_ARCHIVE", `${path}: expected UTF-8 text, found invalid bytes`, {
        file: this.#name,
      });
    }
  }

  /** Reads every file into a map from path to content. */
  async readAll(): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    for (const e of this.entries) if (!e.directory) out.set(e.path, await this.read(e.path));
    return out;
  }

  /** Checks every member's content against its hash; never throws for a bad member. */
  async verify(): Promise<ArchiveVerifyReport> {
    const failures: ArchiveVerifyReport["failures"] = [];
    let checked = 0;
    for (const e of this.entries) {
      if (e.directory) continue;
      checked++;
      try {
        await this.read(e.path);
      } catch (err) {
        if (!(err instanceof PxosError)) throw err;
        failures.push({ path: e.path, code: err.code, message: err.message });
      }
    }
    return { ok: failures.length === 0, checked, failures };
  }
}

/**
 * Parses an archive payload: checks the header, every index entry and the archive digest.
 * Member contents are checked when read (or all at once by {@link Archive.verify}).
 *
 * @example
 * ```ts
 * import { packArchive, readArchive } from "@pxos/core";
 * const bytes = await packArchive([{ path: "a.txt", data: new Uint8Array([104, 105]) }]);
 * const archive = await readArchive(bytes);
 * console.log(await archive.readText("a.txt")); // "hi"
 * ```
 */
export async function readArchive(
  bytes: Uint8Array,
  options: ReadArchiveOptions = {},
): Promise<Archive> {
  const name = options.name ?? "archive";
  const maxUnpacked = options.maxUnpackedBytes ?? 1024 * 1024 * 1024;
  const fail = (message: string, offset?: number): never => {
    throw new PxosError("E_ARCHIVE", message, { file: name, offset });
  };

  if (bytes.length < ARCHIVE_HEADER_BYTES) {
    fail(
      `expected at least a ${ARCHIVE_HEADER_BYTES}-byte archive header, found ${bytes.length} bytes`,
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
  if (bytes.length >= NATIVE_WORTHWHILE_BYTES || entryCount > MANY_MEMBERS) {
    // Native inflate and hashing pay for their start-up here (see src/native_modules.ts).
    await Promise.all([loadNativeZlib(), preferNativeSha256()]);
  }
  if (entryCount * ARCHIVE_ENTRY_BYTES > indexBytes) {
    fail(`index of ${indexBytes} bytes cannot hold ${entryCount} entries`, 8);
  }
  const declared = ARCHIVE_HEADER_BYTES + indexBytes + (dataBytes ?? Infinity) + trailerBytes;
  if (declared !== bytes.length) {
    fail(
      `header declares ${declared} bytes (index ${indexBytes}, data ${dataBytes}, trailer ${trailerBytes}), found ${bytes.length}`,
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
  const dataStart = ARCHIVE_HEADER_BYTES + indexBytes;
  return new Archive({
    version,
    index,
    digest,
    data: bytes.subarray(dataStart, dataStart + dataBytes!),
    trailer: bytes.slice(dataStart + dataBytes!),
    byteLength: bytes.length,
    name,
  });
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
    let path = "";
    try {
      path = decoder.decode(
        bytes.subarray(at + ARCHIVE_ENTRY_BYTES, at + ARCHIVE_ENTRY_BYTES + pathBytes),
      );
    } catch {
      fail(`entry ${i}: path is not valid UTF-8`, at + ARCHIVE_ENTRY_BYTES);
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
