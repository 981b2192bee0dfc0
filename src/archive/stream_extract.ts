/**
 * `pxos unpack` of a cartridge read as a stream (`CartridgeStream`): the archive's header and index
 * are parsed from the first payload bytes, then each member is read into one reused buffer,
 * checked and written as it arrives — no buffer the size of the file or the payload, which on
 * this VM cost more than the rest of the work (fresh memory, see `cartridge_read_stream.ts`). The rules
 * are the whole-cartridge reader's (`readArchiveHead`, `memberContent`, the manifest and its
 * entry) and the writing is `extractArchive`'s (`extract_core.ts`): a staging folder moved into
 * place only after the last member, the rest of the image and the manifest were checked.
 *
 * Any failure, `NotStreamable` included, leaves no trace (the staging folder is removed); the
 * caller then reads the cartridge whole, which accepts it or reports what is wrong in its own
 * words — so this path changes how fast a cartridge is unpacked, never whether or with what
 * error.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { type ByteSource, CartridgeStream, NotStreamable } from "../pixel/cartridge_read_stream.ts";
import { extractEntries } from "./extract_core.ts";
import type { ExtractOptions } from "./extract.ts";
import { ARCHIVE_HEADER_BYTES, ENTRY_FLAG_DEFLATE, ENTRY_FLAG_DIRECTORY } from "./format.ts";
import { readArchiveHead } from "./index_reader.ts";
import { type Manifest, MANIFEST_PATH, parseManifest } from "./manifest.ts";
import { memberContent, type MemberRecord } from "./member_content.ts";

/**
 * Everything was read and checked, but moving the files into place failed (an operating-system
 * error part-way through merging into an existing target, say): reading the cartridge again
 * would not help, so the caller reports {@link PlacingFailed.cause} instead.
 */
export class PlacingFailed extends Error {
  /** @param cause the error while placing */
  constructor(cause: unknown) {
    super("unpack failed while moving the files into place", { cause });
    this.name = "PlacingFailed";
  }
}

/** What {@link extractCartridgeStream} wrote. */
export interface StreamedUnpack {
  /** The paths written, relative to the target. */
  written: string[];
  /** Content bytes in all. */
  total: number;
}

/**
 * Unpacks the cartridge whose file bytes `source` gives, in order, into `target`.
 *
 * @param name the cartridge's name in messages (its file name)
 * @param fileBytes the file's size: payload rows in stored blocks are copies of file bytes, so a
 *   header declaring a longer payload is refused before any member buffer is sized from it
 * @throws {PlacingFailed} when moving the checked files into place failed (report its cause);
 *   {NotStreamable} or any other error: the caller reads the cartridge whole instead
 */
export async function extractCartridgeStream(
  source: ByteSource,
  name: string,
  target: string,
  options: ExtractOptions = {},
  fileBytes: number = Infinity,
): Promise<StreamedUnpack> {
  const stream = new CartridgeStream(source);
  const { payloadLength } = stream.open();
  if (payloadLength < ARCHIVE_HEADER_BYTES) throw new NotStreamable("no archive header");
  if (payloadLength > fileBytes) throw new NotStreamable("a payload longer than the file");
  const header = new Uint8Array(ARCHIVE_HEADER_BYTES);
  stream.read(header);
  const indexBytes = new DataView(header.buffer).getUint32(12, true);
  if (indexBytes > payloadLength - ARCHIVE_HEADER_BYTES) {
    throw new NotStreamable("an index longer than the payload");
  }
  const head = new Uint8Array(ARCHIVE_HEADER_BYTES + indexBytes);
  head.set(header);
  stream.read(head.subarray(ARCHIVE_HEADER_BYTES));
  const parsed = await readArchiveHead(head, payloadLength, { name });
  // The entries as `Archive.entries` lists them, but with each SHA-256 kept as its 32 bytes
  // (compared as bytes): no `Archive`, whose hex string and map entry per member only this
  // listing would use (≈ 10 ms for 927 members, much of it garbage collection).
  const files = new Set<string>();
  const entries = parsed.index.map((e): StreamEntry => {
    const directory = (e.flags & ENTRY_FLAG_DIRECTORY) !== 0;
    if (!directory) files.add(e.path);
    return {
      path: e.path,
      directory,
      size: e.size,
      storedSize: e.storedBytes,
      compressed: (e.flags & ENTRY_FLAG_DEFLATE) !== 0,
      sha256: e.sha256,
    };
  });
  if (!files.has(MANIFEST_PATH)) throw new NotStreamable(`no ${MANIFEST_PATH}`);

  let scratch = new Uint8Array(64 * 1024);
  let manifest: Manifest | undefined;
  let placing = false;
  const written = await extractEntries(entries, target, options, async (entry) => {
    if (scratch.length < entry.storedSize) scratch = new Uint8Array(entry.storedSize);
    const stored = scratch.subarray(0, entry.storedSize);
    stream.read(stored);
    const content = await memberContent(stored, entry, name);
    if (entry.path === MANIFEST_PATH) {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(content);
      manifest = parseManifest(text, `${name}:${MANIFEST_PATH}`);
    }
    return content;
  }, async () => {
    // The trailer (a signature block, which unpack does not check) and the rest of the image.
    for (
      let left = payloadLength - ARCHIVE_HEADER_BYTES - indexBytes - parsed.dataBytes;
      left > 0;
    ) {
      const piece = scratch.subarray(0, Math.min(left, scratch.length));
      stream.read(piece);
      left -= piece.length;
    }
    await stream.finish();
    if (manifest === undefined || !files.has(manifest.entry)) {
      throw new PxosError("E_MANIFEST", "the manifest's entry is not a file of the cartridge");
    }
    placing = true;
  }).catch((e) => {
    throw placing ? new PlacingFailed(e) : e;
  });
  return { written, total: entries.reduce((n, e) => n + e.size, 0) };
}

/** A member as this reader needs it: where it goes, and how to check its stored bytes. */
interface StreamEntry extends MemberRecord {
  readonly directory: boolean;
  readonly storedSize: number;
}
