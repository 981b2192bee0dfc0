/**
 * Unpacking an archive into a directory the way `tar` does, without giving up any safety rule:
 * folders made once, files created new in a staging folder, one rename into place when every
 * member is checked (see `extract_core.ts`).
 *
 * @module
 */
import { extractEntries } from "./extract_core.ts";
import type { Archive } from "./reader.ts";

/** Options for {@link extractArchive}. */
export interface ExtractOptions {
  /** Replace existing files (never directories or symlinks). */
  force?: boolean;
  /** Called with (bytes written, total bytes). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes every member of `archive` under `target`. Each member is inflated and hash-checked as it
 * is written into a staging folder, which is moved into place only when all of them were good:
 * a damaged archive, a refused path or an operating-system error leaves the target as it was
 * (what this run created — staging folder, missing parents, the target itself — is removed again),
 * and an OS error becomes a `PxosError` `E_PATH` naming the member's path (e.g. a segment the file
 * system finds too long), never a raw error.
 *
 * @returns the paths written, relative to `target`
 * @example
 * ```ts ignore
 * import { extractArchive, openCartridge } from "@pxos/core";
 * const cart = await openCartridge(await Deno.readFile("hello.pxa"));
 * await extractArchive(cart.archive, "out/hello");
 * ```
 */
export async function extractArchive(
  archive: Archive,
  target: string,
  options: ExtractOptions = {},
): Promise<string[]> {
  return await extractEntries(archive.entries, target, options, (e) => archive.read(e.path));
}
