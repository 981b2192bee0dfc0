/**
 * Moving archives to and from directories on disk, safely: packing refuses symlinks that point
 * outside the input directory; extracting (`extract.ts`) never writes outside its target, never
 * follows or creates symlinks, never overwrites without `force`, and moves what it wrote into place
 * only once every member has been checked.
 *
 * @module
 */
import { dirname, join, sep } from "../paths.ts";
import { PxosError } from "../errors.ts";
import { describeFsError, isInside } from "./fs_checks.ts";
import { removeOnInterrupt } from "./temp_cleanup.ts";
import type { ArchiveInput } from "./writer.ts";

export { lstatOrNull } from "./fs_checks.ts";

/**
 * A file member whose content stays on disk until it is packed: reading `data` reads the file
 * (synchronously) each time, and nothing is kept, so packing a tree holds one file's bytes at a
 * time instead of the whole tree. `size` is the size found when the tree was listed.
 */
class FileOnDisk {
  readonly directory = false;
  constructor(readonly path: string, readonly size: number, private readonly source: string) {}
  get data(): Uint8Array {
    try {
      return Deno.readFileSync(this.source);
    } catch (e) {
      throw this.#readError(e);
    }
  }
  /**
   * Reads the content into `buffer` and returns the filled part, or a new array when the file is
   * larger than `buffer` now. The packer reads every file into one reused buffer this way, so a
   * large tree leaves no file-sized garbage behind for the collector.
   */
  readInto(buffer: Uint8Array): Uint8Array {
    let file: Deno.FsFile | undefined;
    try {
      file = Deno.openSync(this.source, { read: true });
      let filled = 0;
      for (;;) {
        if (filled === buffer.length) {
          // Full: a file that grew since it was listed is read whole, as `data` reads it.
          return Deno.readFileSync(this.source);
        }
        const n = file.readSync(buffer.subarray(filled));
        if (n === null) return buffer.subarray(0, filled);
        filled += n;
      }
    } catch (e) {
      throw this.#readError(e);
    } finally {
      file?.close();
    }
  }
  #readError(e: unknown): PxosError {
    return new PxosError("E_IO", `could not read file to pack: ${describeFsError(e)}`, {
      file: this.source,
      cause: e,
    });
  }
}

/** Options for {@link collectDirectory}. */
export interface CollectOptions {
  /**
   * Decides whether an entry is packed: called with its archive path and whether it is a folder
   * (a symlink counts as a file here) before it is read; a skipped folder is not entered.
   */
  keep?: (path: string, directory: boolean) => boolean;
}

/**
 * Lists a directory tree as archive members (files and empty directories), following symlinks
 * only when they resolve inside `dir`; `options.keep` leaves entries out. File contents are read
 * when the member is packed (see `FileOnDisk`), not here.
 *
 * @example
 * ```ts ignore
 * import { collectDirectory, packArchive } from "@pxos/core";
 * const bytes = await packArchive(await collectDirectory("examples/hello"));
 * ```
 */
export async function collectDirectory(
  dir: string,
  options: CollectOptions = {},
): Promise<ArchiveInput[]> {
  let root: string;
  try {
    root = await Deno.realPath(dir);
    if (!(await Deno.stat(root)).isDirectory) throw new Error("not a directory");
  } catch (e) {
    throw new PxosError("E_IO", `expected a directory to pack, found ${describeFsError(e)}`, {
      file: dir,
    });
  }
  const out: ArchiveInput[] = [];
  walk(root, root, "", out, options.keep ?? (() => true));
  return out;
}

/**
 * Walks `dir` (archive path `prefix`, "" for the root) into `out`. Synchronous calls: each
 * asynchronous one is a hop to Deno's I/O threads and back, and with one `lstat` per entry those
 * hops left the main thread idle for a third of a 16 MiB pack (CPU profile) on a busy machine.
 * Paths are joined as strings: `dir` is the real, normalized path of a folder and `name` one
 * entry of it, so `join`'s normalizing and `relative` per entry (≈ 17 ms of a 927-file tree's
 * listing, CPU profile) had nothing to do.
 */
function walk(
  root: string,
  dir: string,
  prefix: string,
  out: ArchiveInput[],
  keep: (path: string, directory: boolean) => boolean,
): void {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(dir)) names.push(entry.name);
  names.sort();
  let children = 0;
  let left = 0;
  for (const name of names) {
    const full = dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
    const archivePath = prefix === "" ? name : `${prefix}/${name}`;
    let info = Deno.lstatSync(full);
    if (!keep(archivePath, info.isDirectory)) {
      left++;
      continue;
    }
    let real = full;
    if (info.isSymlink) {
      real = realPathOrEmpty(full);
      if (real === "" || !isInside(root, real)) {
        throw new PxosError(
          "E_PATH",
          `symlink points outside the input directory${
            real ? ` (to ${real})` : " (or is broken)"
          }; refusing to pack it`,
          { file: full },
        );
      }
      info = Deno.statSync(real);
    }
    children++;
    if (info.isDirectory) {
      if (real !== full) {
        throw new PxosError("E_PATH", "symlink to a directory; pack the directory itself", {
          file: full,
        });
      }
      walk(root, full, archivePath, out, keep);
    } else if (info.isFile) {
      out.push(new FileOnDisk(archivePath, info.size, real));
    }
  }
  // A folder is packed empty only when it is empty, not when everything in it was left out.
  if (children === 0 && left === 0 && dir !== root) out.push({ path: prefix, directory: true });
}

function realPathOrEmpty(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return "";
  }
}

/**
 * Writes `data` to `path` through a new temp file in the same directory (created exclusively, so
 * it cannot be a pre-planted symlink) and a rename, so readers see the old file or the whole new
 * one, never half of it. The temp name does not grow with the target's name, so a name near the
 * file system's limit still works; a name over it is `E_PATH`, other failures `E_IO`.
 *
 * @example
 * ```ts ignore
 * import { writeFileAtomic } from "@pxos/core";
 * await writeFileAtomic("out.bin", new Uint8Array([1, 2, 3]));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await writeFileAtomicStreamed(path, (write) => write(data));
}

/**
 * Like {@link writeFileAtomic}, for content made piece by piece: `produce` calls `write` with
 * each piece in order (a piece may be reused once its promise settles). The file appears
 * complete under `path`, or not at all.
 *
 * @example
 * ```ts ignore
 * import { writeFileAtomicStreamed } from "@pxos/core";
 * await writeFileAtomicStreamed("out.txt", async (write) => {
 *   await write(new TextEncoder().encode("one "));
 *   await write(new TextEncoder().encode("two"));
 * });
 * ```
 */
export async function writeFileAtomicStreamed(
  path: string,
  produce: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  const temp = join(dirname(path), `.${crypto.randomUUID().slice(0, 8)}.pxos-tmp`);
  const unregister = removeOnInterrupt(temp); // Ctrl-C runs no `finally`
  try {
    const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o644 });
    try {
      await produce(async (bytes) => {
        for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
      });
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (e) {
    if (e instanceof PxosError) {
      await Deno.remove(temp).catch(() => {});
      throw e; // what the producer refused, as it said it
    }
    await Deno.remove(temp).catch(() => {});
    const code = (e as { code?: string }).code === "ENAMETOOLONG" ? "E_PATH" : "E_IO";
    throw new PxosError(code, `could not write file: ${describeFsError(e)}`, {
      file: path,
      cause: e,
    });
  } finally {
    unregister();
  }
}
