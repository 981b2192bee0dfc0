/**
 * Unpacking into a directory the way `tar` does — each folder made once, each file written once —
 * without giving up any safety rule (`extractArchive`, and `pxos unpack` reading a cartridge as
 * a stream, share it; each hands over members' contents in index order):
 *
 * 1. If the target exists, every member's place in it is checked first (a symlink or a file in the
 *    way, a file present without `force`), one `lstat` per path that already exists; a refusal
 *    leaves the target untouched.
 * 2. Every member is read (inflated and SHA-256 checked) and written into a fresh staging folder
 *    next to the target (a new target) or inside it (an existing one). The folders in it are made
 *    by this run, top-down, each once, and every file is created new (`O_EXCL`), so nothing there
 *    can be a planted link and nothing is followed or overwritten.
 * 3. Only when every member is written is the staging folder moved into place: one rename for a
 *    new target; for an existing one, one rename per member subtree that is not there yet (files
 *    replaced under `force` are renamed over). A failure at any step removes the staging folder
 *    and any folder this run made, so no half-written file and no partial tree is ever left.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "../paths.ts";
import { PxosError } from "../errors.ts";
import { describeFsError, lstatSyncOrNull } from "./fs_checks.ts";
import { archivePathProblem } from "./paths.ts";
import { releaseBuffer } from "./compression.ts";
import type { ExtractOptions } from "./extract.ts";

/** The member tree: a folder maps each name to its subfolder, or to `null` for a file. */
type Folder = Map<string, Folder | null>;

/** What writing needs to know of a member (an `ArchiveEntry` has it). */
export interface PlacedEntry {
  /** The member's path (checked by the index reader, checked again before writing). */
  readonly path: string;
  /** Whether it is a folder. */
  readonly directory: boolean;
  /** Its content's size in bytes (for progress). */
  readonly size: number;
}

/**
 * Writes `entries` under `target` (see the module notes), each file's content from `contentOf`,
 * which is called once per file member in index order and must check what it returns.
 * `beforePlacing` runs once every member is written, before anything is moved into place: a
 * last check whose failure leaves no trace either.
 *
 * @returns the paths written, relative to `target`
 */
export async function extractEntries<E extends PlacedEntry>(
  entries: readonly E[],
  target: string,
  options: ExtractOptions,
  contentOf: (entry: E) => Promise<Uint8Array>,
  beforePlacing?: () => Promise<void>,
): Promise<string[]> {
  const tree = memberTree(entries);
  const created: string[] = [];
  let staging: string | undefined;
  const absolute = resolve(target);
  let where = target;
  try {
    // Synchronous calls before the first member: an asynchronous one left the main thread idle
    // 13 ms here (its thread pool's first use), longer than the call itself.
    const existing = lstatSyncOrNull(absolute);
    let root: string;
    if (existing === null) {
      makeMissingDirectories(dirname(absolute), created);
      root = join(Deno.realPathSync(dirname(absolute)), basename(absolute));
      staging = makeStagingFolder(dirname(root));
    } else {
      root = Deno.realPathSync(absolute);
      if (!Deno.statSync(root).isDirectory) {
        throw new PxosError("E_IO", "expected a directory to unpack into, found a file", {
          file: target,
        });
      }
      // Refuse up front, so a refusal leaves the target untouched.
      placeMembers(tree, "", "", root, options.force === true, true);
      staging = makeStagingFolder(root);
    }

    const written: string[] = [];
    const total = entries.reduce((n, e) => n + e.size, 0);
    let done = 0;
    const made = new Set<string>([""]);
    for (const entry of entries) {
      // The reader refused any path that could leave the target; checked again here (cheaply:
      // the same rule, no path resolution per member) because this is where files are written.
      if (archivePathProblem(entry.path) !== null) {
        throw new PxosError("E_PATH", "member would be written outside the target", {
          file: entry.path,
        });
      }
      where = `${root}/${entry.path}`; // a plain relative path: nothing to normalise
      makeFolders(staging, entry.directory ? entry.path : parentOf(entry.path), made);
      if (entry.directory) continue;
      const data = await contentOf(entry);
      done += data.length;
      writeMember(`${staging}/${entry.path}`, data, where);
      written.push(entry.path);
      options.onProgress?.(done, total);
    }

    await beforePlacing?.();
    where = target;
    if (existing === null) {
      Deno.renameSync(staging, root);
    } else {
      placeMembers(tree, staging, "", root, options.force === true, false);
      Deno.removeSync(staging, { recursive: true });
    }
    staging = undefined;
    return written;
  } catch (e) {
    if (staging !== undefined) await Deno.remove(staging, { recursive: true }).catch(() => {});
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

/**
 * Writes one member's file, created new (`O_EXCL`): nothing is followed or overwritten. No
 * `mode`: Deno would add a chmod per file; the default (0o666 less the umask) is what tar gives
 * too. Synchronous: an asynchronous write hands each file to another thread and back, which cost
 * more than the write (927 files: 3,057 against 388 context switches, about 40% more CPU time, no
 * shorter wall time on two cores). The member's memory is freed at once (`releaseBuffer`), so the
 * next member's inflate reuses it.
 */
function writeMember(path: string, data: Uint8Array, member: string): void {
  try {
    Deno.writeFileSync(path, data, { createNew: true });
  } catch (e) {
    throw new PxosError("E_PATH", `could not unpack: ${describeFsError(e)}`, {
      file: member,
      cause: e,
    });
  }
  releaseBuffer(data);
}

/** Builds the member tree from the (validated, sorted) index. */
function memberTree(entries: readonly PlacedEntry[]): Folder {
  const root: Folder = new Map();
  for (const entry of entries) {
    const parts = entry.path.split("/");
    let folder = root;
    const last = entry.directory ? parts.length : parts.length - 1;
    for (let i = 0; i < last; i++) {
      let next = folder.get(parts[i]);
      if (next === undefined || next === null) {
        next = new Map();
        folder.set(parts[i], next);
      }
      folder = next;
    }
    if (!entry.directory) folder.set(parts[parts.length - 1], null);
  }
  return root;
}

/**
 * Walks `tree` against what already exists under `dest` (`relative` names the current folder for
 * messages). With `dryRun`, only checks: every existing path is a real folder where a folder goes
 * and a file (with `force`) where a file goes. Otherwise moves each member from `staging` into
 * place: a subtree that is not there yet in one rename, a file over the one it replaces.
 */
function placeMembers(
  tree: Folder,
  staging: string,
  relative: string,
  dest: string,
  force: boolean,
  dryRun: boolean,
): void {
  for (const [name, child] of tree) {
    const path = join(dest, name);
    const member = relative === "" ? name : `${relative}/${name}`;
    const existing = lstatSyncOrNull(path);
    if (existing === null) {
      if (!dryRun) Deno.renameSync(join(staging, member), path);
      continue;
    }
    if (existing.isSymlink) {
      throw new PxosError("E_PATH", "target path is a symlink; refusing to write through it", {
        file: path,
      });
    }
    const folder = child !== null;
    if (folder !== existing.isDirectory) {
      throw new PxosError(
        "E_IO",
        `target path exists as a ${existing.isDirectory ? "directory" : "file"}`,
        { file: path },
      );
    }
    if (folder) {
      placeMembers(child, staging, member, path, force, dryRun);
    } else if (!force) {
      throw new PxosError("E_IO", "file exists; use --force to overwrite", { file: path });
    } else if (!dryRun) {
      Deno.renameSync(join(staging, member), path);
    }
  }
}

/** A new, empty folder in `parent` that only this run uses (`mkdir` fails if the name exists). */
function makeStagingFolder(parent: string): string {
  const path = join(parent, `.pxos-unpack-${crypto.randomUUID().slice(0, 8)}`);
  Deno.mkdirSync(path);
  return path;
}

/**
 * Makes `folder` (a member path) and its missing parents inside the staging folder, top-down,
 * each once (`made` remembers them). The staging folder is new, so every folder in it is one this
 * run created: a real folder, inside the target, checked by construction.
 */
function makeFolders(staging: string, folder: string, made: Set<string>): void {
  if (made.has(folder)) return;
  makeFolders(staging, parentOf(folder), made);
  Deno.mkdirSync(join(staging, folder));
  made.add(folder);
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut < 0 ? "" : path.slice(0, cut);
}

/** Creates `dir` and its missing parents one by one, recording each it made in `created`. */
function makeMissingDirectories(dir: string, created: string[]): void {
  const missing: string[] = [];
  for (let current = dir; lstatSyncOrNull(current) === null; current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) {
    Deno.mkdirSync(path);
    created.push(path);
  }
}
