import { join } from "node:path";
import { ARCHIVE_ENTRY_BYTES, ARCHIVE_HEADER_BYTES } from "../../src/archive/format.ts";
import { archiveDigest } from "../../src/archive/writer.ts";

/** UTF-8 bytes of a string. */
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function pseudoRandomBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Rewrites the archive digest after a test edits the header or index, so only the edit is judged. */
export async function redigest(archive: Uint8Array): Promise<Uint8Array> {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const indexBytes = view.getUint32(12, true);
  const digest = await archiveDigest(
    archive,
    archive.subarray(ARCHIVE_HEADER_BYTES, ARCHIVE_HEADER_BYTES + indexBytes),
  );
  archive.set(digest, 32);
  return archive;
}

/** Byte offset of index entry `i` (walking the variable-length entries). */
export function entryOffset(archive: Uint8Array, i: number): number {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  let at = ARCHIVE_HEADER_BYTES;
  for (let k = 0; k < i; k++) at += ARCHIVE_ENTRY_BYTES + view.getUint16(at, true);
  return at;
}

/** Every name under `dir`, recursively, sorted (to prove what an extraction left behind). */
export async function treeOf(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    out.push(prefix + e.name);
    if (e.isDirectory) out.push(...await treeOf(join(dir, e.name), `${prefix}${e.name}/`));
  }
  return out.sort();
}
