/**
 * Reads a pixel-archive payload. Parsing checks every count, length and offset against the bytes
 * that are actually there before using it, verifies the archive digest, and refuses paths that
 * break the rules; member contents are inflated and hash-checked on demand.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import {
  ARCHIVE_HEADER_BYTES,
  ENTRY_FLAG_DEFLATE,
  ENTRY_FLAG_DIRECTORY,
  type IndexEntry,
} from "./format.ts";
import { toHex } from "./hash.ts";
import { readArchiveHead } from "./index_reader.ts";
import { memberContent, memberRecord } from "./member_content.ts";

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
    return await memberContent(stored, memberRecord(e), this.#name);
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
  const head = await readArchiveHead(bytes, bytes.length, options);
  const dataStart = ARCHIVE_HEADER_BYTES + head.indexBytes;
  return new Archive({
    version: head.version,
    index: head.index,
    digest: head.digest,
    data: bytes.subarray(dataStart, dataStart + head.dataBytes),
    trailer: bytes.slice(dataStart + head.dataBytes),
    byteLength: bytes.length,
    name,
  });
}
