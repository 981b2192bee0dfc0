/**
 * Builds a pixel-archive payload from files. Output is deterministic: the same files give the same
 * bytes (entries sorted by path, no timestamps).
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { deflateRaw, looksIncompressible } from "./compression.ts";
import {
  ARCHIVE_DIGESTED_BYTES,
  ARCHIVE_VERSION,
  encodeEntry,
  encodeHeader,
  ENTRY_FLAG_DEFLATE,
  ENTRY_FLAG_DIRECTORY,
  type IndexEntry,
  MAX_ARCHIVE_ENTRIES,
} from "./format.ts";
import { sha256 } from "./hash.ts";
import { checkArchivePath } from "./paths.ts";

/** One member to pack: a file with content, or an (empty) directory. */
export type ArchiveInput =
  | { path: string; data: Uint8Array; directory?: false }
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
 * Packs members into one archive payload.
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
  const members = sortAndCheck(inputs);
  const compress = options.compress ?? true;
  const total = members.reduce((n, m) => n + (m.directory ? 0 : m.data.length), 0);
  let done = 0;

  const entries: IndexEntry[] = [];
  const stored: Uint8Array[] = [];
  let offset = 0;
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
    // Hash while deflating: WebCrypto digests off the JS thread.
    const [hash, packed] = await Promise.all([sha256(m.data), maybeDeflate(m.data, compress)]);
    const flags = packed === m.data ? 0 : ENTRY_FLAG_DEFLATE;
    entries.push({
      path: m.path,
      flags,
      offset,
      storedBytes: packed.length,
      size: m.data.length,
      sha256: hash,
    });
    stored.push(packed);
    offset += packed.length;
    done += m.data.length;
    options.onProgress?.(done, total);
  }

  const encoder = new TextEncoder();
  const encodedEntries = entries.map((e) => encodeEntry(e, encoder.encode(e.path)));
  const indexBytes = encodedEntries.reduce((n, e) => n + e.length, 0);
  const trailer = options.trailer ?? new Uint8Array(0);
  const header = {
    version: ARCHIVE_VERSION,
    flags: 0,
    entryCount: entries.length,
    indexBytes,
    dataBytes: offset,
    trailerBytes: trailer.length,
    digest: new Uint8Array(32),
  };
  const headerBytes = encodeHeader(header);
  const out = new Uint8Array(headerBytes.length + indexBytes + offset + trailer.length);
  let at = headerBytes.length;
  for (const e of encodedEntries) {
    out.set(e, at);
    at += e.length;
  }
  out.set(headerBytes, 0);
  out.set(await archiveDigest(headerBytes, out.subarray(headerBytes.length, at)), 32);
  for (const s of stored) {
    out.set(s, at);
    at += s.length;
  }
  out.set(trailer, at);
  return out;
}

/** SHA-256 over the digested header bytes and the index: what a signature signs. */
export async function archiveDigest(header: Uint8Array, index: Uint8Array): Promise<Uint8Array> {
  const buf = new Uint8Array(ARCHIVE_DIGESTED_BYTES + index.length);
  buf.set(header.subarray(0, ARCHIVE_DIGESTED_BYTES), 0);
  buf.set(index, ARCHIVE_DIGESTED_BYTES);
  return await sha256(buf);
}

async function maybeDeflate(data: Uint8Array, compress: boolean): Promise<Uint8Array> {
  if (!compress || data.length < 64 || (await looksIncompressible(data))) return data;
  const packed = await deflateRaw(data);
  return packed.length < data.length ? packed : data;
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
