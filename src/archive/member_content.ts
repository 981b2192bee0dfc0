/**
 * One archive member's content from its stored bytes: inflated when stored deflated (never past
 * its declared size) and checked against its SHA-256. The one rule `Archive.read` and the
 * streaming unpack (`stream_extract.ts`) apply, so that both accept and refuse the same members
 * with the same messages.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { inflateRawExact } from "./compression.ts";
import { ENTRY_FLAG_DEFLATE, type IndexEntry } from "./format.ts";
import { bytesEqual, sha256, toHex } from "./hash.ts";

/** What the index says about a member, as {@link memberContent} needs it. */
export interface MemberRecord {
  /** The member's path (for messages). */
  readonly path: string;
  /** Whether it is stored deflated. */
  readonly compressed: boolean;
  /** Content size in bytes (the inflated size). */
  readonly size: number;
  /**
   * SHA-256 of the content: lower-case hex, or the 32 bytes themselves (compared as bytes, so
   * no hex string is made per member unless it differs).
   */
  readonly sha256: string | Uint8Array;
}

/**
 * The member's content: `stored` itself when it is stored as is, else its inflated bytes (a new
 * buffer that `releaseBuffer` may free). `E_ARCHIVE` when it does not inflate to its declared
 * size, `E_ARCHIVE_HASH` when its SHA-256 differs from the index's.
 *
 * @param archiveName names the archive in messages (e.g. the cartridge file)
 */
export async function memberContent(
  stored: Uint8Array,
  member: MemberRecord,
  archiveName: string,
): Promise<Uint8Array> {
  const content = member.compressed
    ? await inflateRawExact(stored, member.size, `${archiveName}: ${member.path}`)
    : stored;
  const found = await sha256(content);
  const expected = member.sha256;
  if (typeof expected === "string" ? toHex(found) !== expected : !bytesEqual(found, expected)) {
    const hex = typeof expected === "string" ? expected : toHex(expected);
    throw new PxosError(
      "E_ARCHIVE_HASH",
      `${member.path}: expected SHA-256 ${hex}, found ${toHex(found)}`,
      { file: archiveName },
    );
  }
  return content;
}

/** An index entry as {@link memberContent} needs it. */
export function memberRecord(e: IndexEntry): MemberRecord {
  return {
    path: e.path,
    compressed: (e.flags & ENTRY_FLAG_DEFLATE) !== 0,
    size: e.size,
    sha256: e.sha256,
  };
}
