/**
 * The cartridge's files as the shim's in-memory tree, pre-opened read-only at `/cart`.
 *
 * @module
 */
import { Directory, File, type Inode } from "@bjorn3/browser_wasi_shim";

/** The cartridge's files as an in-memory tree of read-only files. */
export function cartTree(files: ReadonlyMap<string, Uint8Array>): Map<string, Inode> {
  const root = new Map<string, Inode>();
  for (const [path, data] of files) {
    const parts = path.split("/");
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.get(part);
      if (!(next instanceof Directory)) {
        next = new Directory(new Map());
        dir.set(part, next);
      }
      dir = (next as Directory).contents;
    }
    dir.set(parts[parts.length - 1], new File(data, { readonly: true }));
  }
  return root;
}
