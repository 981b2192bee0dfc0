/**
 * Moving archives to and from directories on disk, safely: packing refuses symlinks that point
 * outside the input directory; extracting never writes outside its target, never follows or
 * creates symlinks, never overwrites without `force`, checks every member before writing any, and
 * writes each file to a temp name then renames it.
 *
 * @module
 */
import { dirname, join, relative, resolve, sep } from "node:path";
import { PxosError } from "../errors.ts";
import type { Archive } from "./reader.ts";
import type { ArchiveInput } from "./writer.ts";

/** Options for {@link collectDirectory}. */
export interface CollectOptions {
  /**
   * Decides whether an entry is packed: called with its archive path and whether it is a folder
   * (a symlink counts as a file here) before it is read; a skipped folder is not entered.
   */
  keep?: (path: string, directory: boolean) => boolean;
}

/**
 * Reads a directory tree into archive members (files and empty directories), following symlinks
 * only when they resolve inside `dir`; `options.keep` leaves entries out.
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
  await walk(root, root, out, options.keep ?? (() => true));
  return out;
}

async function walk(
  root: string,
  dir: string,
  out: ArchiveInput[],
  keep: (path: string, directory: boolean) => boolean,
): Promise<void> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  names.sort();
  let children = 0;
  let left = 0;
  for (const name of names) {
    const full = join(dir, name);
    const archivePath = relative(root, full).split(sep).join("/");
    let info = await Deno.lstat(full);
    if (!keep(archivePath, info.isDirectory)) {
      left++;
      continue;
    }
    let real = full;
    if (info.isSymlink) {
      real = await Deno.realPath(full).catch(() => "");
      if (real === "" || !isInside(root, real)) {
        throw new PxosError(
          "E_PATH",
          `symlink points outside the input directory${
            real ? ` (to ${real})` : " (or is broken)"
          }; refusing to pack it`,
          { file: full },
        );
      }
      info = await Deno.stat(real);
    }
    children++;
    if (info.isDirectory) {
      if (real !== full) {
        throw new PxosError("E_PATH", "symlink to a directory; pack the directory itself", {
          file: full,
        });
      }
      await walk(root, full, out, keep);
    } else if (info.isFile) {
      out.push({ path: archivePath, data: await Deno.readFile(real) });
    }
  }
  // A folder is packed empty only when it is empty, not when everything in it was left out.
  if (children === 0 && left === 0 && dir !== root) {
    out.push({ path: relative(root, dir).split(sep).join("/"), directory: true });
  }
}

/** Options for {@link extractArchive}. */
export interface ExtractOptions {
  /** Replace existing files (never directories or symlinks). */
  force?: boolean;
  /** Called with (bytes written, total bytes). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes every member of `archive` under `target`. All members are read and hash-checked first, so
 * a damaged archive writes nothing; then each file is written to a temp name and renamed. When
 * anything fails, what this run created (files, folders, the target itself) is removed again, and
 * an operating-system error becomes a `PxosError` `E_PATH` naming the path (e.g. a segment the
 * file system finds too long), never a raw error.
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
  const contents = await archive.readAll(); // checks every hash before anything is written
  const created: string[] = [];
  let where = target;
  try {
    await makeMissingDirectories(resolve(target), created);
    const root = await Deno.realPath(target);

    // Refuse up front, so a refusal leaves the target untouched.
    for (const entry of archive.entries) {
      const dest = resolve(root, ...entry.path.split("/"));
      where = dest;
      await refuseUnwritable(root, dest, entry, options.force === true);
    }

    const total = [...contents.values()].reduce((n, c) => n + c.length, 0);
    let done = 0;
    const written: string[] = [];
    for (const entry of archive.entries) {
      const dest = resolve(root, ...entry.path.split("/"));
      where = dest;
      await ensureRealDirectory(root, entry.directory ? dest : dirname(dest), created);
      if (entry.directory) continue;
      const data = contents.get(entry.path)!;
      const isNew = (await lstatOrNull(dest)) === null;
      await writeFileAtomic(dest, data);
      if (isNew) created.push(dest);
      written.push(entry.path);
      done += data.length;
      options.onProgress?.(done, total);
    }
    return written;
  } catch (e) {
    // Newest first, so each folder is empty by the time it is removed; never recursive, so
    // nothing this run did not make can go.
    for (const path of created.reverse()) await Deno.remove(path).catch(() => {});
    if (e instanceof PxosError) throw e;
    throw new PxosError("E_PATH", `could not unpack: ${describeFsError(e)}`, {
      file: where,
      cause: e,
    });
  }
}

/** Throws when `dest` may not be written (outside the target, a link, in the way, present). */
async function refuseUnwritable(
  root: string,
  dest: string,
  entry: { path: string; directory?: boolean },
  force: boolean,
): Promise<void> {
  const directory = entry.directory === true;
  if (!isInside(root, dest)) {
    throw new PxosError("E_PATH", `member would be written outside the target`, {
      file: entry.path,
    });
  }
  const existing = await lstatOrNull(dest);
  if (existing === null) return;
  if (existing.isSymlink) {
    throw new PxosError("E_PATH", "target path is a symlink; refusing to write through it", {
      file: dest,
    });
  }
  if (directory ? !existing.isDirectory : existing.isDirectory) {
    throw new PxosError(
      "E_IO",
      `target path exists as a ${existing.isDirectory ? "directory" : "file"}`,
      { file: dest },
    );
  }
  if (!directory && !force) {
    throw new PxosError("E_IO", "file exists; use --force to overwrite", { file: dest });
  }
}

/** Creates `dir` and its missing parents one by one, recording each it made in `created`. */
async function makeMissingDirectories(dir: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; (await lstatOrNull(current)) === null; current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) {
    await Deno.mkdir(path);
    created.push(path);
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
  const temp = join(dirname(path), `.${crypto.randomUUID().slice(0, 8)}.pxos-tmp`);
  try {
    await Deno.writeFile(temp, data, { createNew: true, mode: 0o644 });
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    const code = (e as { code?: string }).code === "ENAMETOOLONG" ? "E_PATH" : "E_IO";
    throw new PxosError(code, `could not write file: ${describeFsError(e)}`, {
      file: path,
      cause: e,
    });
  }
}

/**
 * Creates `dir` (and parents) under `root`, refusing any existing component that is a symlink;
 * each folder it makes is recorded in `created`.
 */
async function ensureRealDirectory(root: string, dir: string, created: string[]): Promise<void> {
  const parts = relative(root, dir).split(sep).filter((p) => p !== "");
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    const info = await lstatOrNull(current);
    if (info === null) {
      await Deno.mkdir(current);
      created.push(current);
    } else if (info.isSymlink || !info.isDirectory) {
      throw new PxosError(
        "E_PATH",
        `expected a directory, found a ${info.isSymlink ? "symlink" : "file"}`,
        {
          file: current,
        },
      );
    }
  }
}

/** `Deno.lstat`, or `null` when nothing is there (other errors are thrown). */
export async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" ||
    (rel !== ".." && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep) &&
      !/^[A-Za-z]:/.test(rel));
}

/** The OS's reason, without the path it repeats (the error names the path on its own). */
function describeFsError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "nothing there (not found)";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  return (e as Error).message.replace(/(\(os error \d+\)): .*$/s, "$1");
}
