/**
 * The `fs.*` host calls: every path is normalised against the run's root, matched against the
 * grant as written, then resolved once to its real path, which must lie under the real path of a
 * granted directory (a symlink pointing out is refused) and under no denied one, nor under a
 * denied one's real path (a symlink leading around a denial is refused). What is opened is
 * checked again after opening: its real path must be unchanged and the opened file must be the
 * very inode that sits at that path, so a symlink swapped in between the check and the open is
 * caught before any byte moves. Writes go to a fresh temporary file beside the target and are
 * renamed over it, so a crash never leaves half a file and a link at the target is replaced, not
 * followed.
 *
 * Metadata look-ups and reads of a verified regular file are synchronous: Deno runs every
 * asynchronous file op on a thread pool, which costs about ten times the microseconds these
 * take (measured for issue 11's file-heavy wasm run). `open` stays asynchronous: a FIFO swapped
 * in after the check would block it. Fully synchronous variants, for engines that cannot wait,
 * are in `fs_sync.ts` (they open without blocking instead).
 *
 * @module
 */
import { basename, dirname, join } from "../paths.ts";
import { lstatOrNull } from "../archive/directory.ts";
import { PxosError } from "../errors.ts";
import { displayPath, grantedDirFor, normalizeGuestPath, type PathGrant } from "./fs_paths.ts";
import { deniedDirFor, isWithinReal, realPathOf, underRoot } from "./fs_real_paths.ts";
export { realRoot } from "./fs_real_paths.ts";

/** What a run may do with host files. */
export interface FsGrant {
  /**
   * Absolute real path (no symbolic links: see {@link realRoot}) of the directory guest paths
   * are relative to. It is never resolved again here, because the sandbox may not grant reading
   * the root itself.
   */
  readonly root: string;
  /** Read grant (normalised root-relative paths). */
  readonly read: PathGrant;
  /** Write grant (normalised root-relative paths). `read` implies nothing about it. */
  readonly write: PathGrant;
}

/** Options for {@link FsAccess}. */
export interface FsAccessOptions {
  /** Largest file `fs.read*` returns before `E_MEMORY`. */
  maxReadBytes: number;
  /**
   * Test seam: runs after a path is checked and before it is opened, so tests can swap a
   * symlink in exactly there.
   */
  afterCheck?: (realPath: string) => void | Promise<void>;
}

/** The most names `fs.list` returns before `E_MEMORY`. */
const MAX_LIST_ENTRIES = 100_000;

/** A path that passed the checks. */
export interface CheckedPath {
  /** Root-relative normalised path. */
  rel: string;
  /** Absolute real path (through symlink-free, existing parents). */
  real: string;
}

/** Host file access for one run; methods implement the `fs.*` rows of the host-call table. */
export class FsAccess {
  readonly #grant: FsGrant;
  readonly #options: FsAccessOptions;

  /**
   * Creates the access object.
   *
   * @param grant what is granted
   * @param options size cap and test seam
   */
  constructor(grant: FsGrant, options: FsAccessOptions) {
    this.#grant = grant;
    this.#options = options;
  }

  /** `fs.readBytes`. */
  async readBytes(call: string, path: string): Promise<Uint8Array> {
    const checked = this.check(call, "read", path);
    // Opening a FIFO or device for reading could block forever: only regular files are opened.
    let before: Deno.FileInfo;
    try {
      before = Deno.statSync(checked.real);
    } catch (e) {
      throw asFsError(e, call, checked);
    }
    if (!before.isFile) ioError(call, checked, "is not a regular file");
    const file = await this.#openVerified(call, checked, { read: true });
    try {
      const info = file.statSync();
      if (!info.isFile) ioError(call, checked, "is not a file");
      if (info.size > this.#options.maxReadBytes) {
        throw new PxosError(
          "E_MEMORY",
          `${call}: ${
            displayPath(checked.rel)
          } is ${info.size} bytes, over the ${this.#options.maxReadBytes}-byte limit`,
        );
      }
      return readUpTo(file, info.size, this.#options.maxReadBytes, call, checked.rel);
    } finally {
      file.close();
    }
  }

  /** `fs.readText`. */
  async readText(call: string, path: string): Promise<string> {
    return new TextDecoder().decode(await this.readBytes(call, path));
  }

  /** `fs.writeBytes` / `fs.writeText`: replaces the file atomically. */
  async write(call: string, path: string, data: Uint8Array): Promise<void> {
    const checked = this.check(call, "write", path);
    if (checked.rel === "") ioError(call, checked, "is the root directory");
    const parent = dirname(checked.real);
    await this.#options.afterCheck?.(checked.real);
    const existing = await lstatOrNull(checked.real);
    if (existing?.isDirectory) ioError(call, checked, "is a directory");
    const temp = join(parent, `.${basename(checked.real)}.pxos-${crypto.randomUUID()}.tmp`);
    // Prove the parent is still itself before creating anything in it: a directory swapped for
    // a link would otherwise receive the temporary file (and the guest's bytes) outside.
    this.requireUnchanged(call, checked.rel, parent);
    try {
      // createNew (O_EXCL) never follows a link planted at the temporary name.
      const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o644 });
      try {
        await writeAll(file, data);
      } finally {
        file.close();
      }
      this.requireUnchanged(call, checked.rel, parent);
      await Deno.rename(temp, checked.real);
    } catch (e) {
      await Deno.remove(temp).catch(() => {});
      throw asFsError(e, call, checked);
    }
  }

  /** `fs.appendText`: appends to an existing file or creates it. */
  async append(call: string, path: string, data: Uint8Array): Promise<void> {
    const checked = this.check(call, "write", path);
    if (await lstatOrNull(checked.real) === null) {
      await this.#options.afterCheck?.(checked.real);
      // As in write: a parent swapped for a link must not get a new file outside.
      this.requireUnchanged(call, checked.rel, dirname(checked.real));
      let file: Deno.FsFile;
      try {
        file = await Deno.open(checked.real, { write: true, createNew: true, mode: 0o644 });
      } catch (e) {
        throw asFsError(e, call, checked);
      }
      try {
        this.requireUnchanged(call, checked.rel, dirname(checked.real));
        await writeAll(file, data);
      } finally {
        file.close();
      }
      return;
    }
    const file = await this.#openVerified(call, checked, { append: true });
    try {
      await writeAll(file, data);
    } finally {
      file.close();
    }
  }

  /** `fs.exists`: false for a missing path; a path that escapes is still refused. */
  async exists(call: string, path: string): Promise<boolean> {
    const checked = this.check(call, "read", path);
    return await lstatOrNull(checked.real) !== null;
  }

  /** `fs.list`: sorted names, directories with a trailing `/`. */
  async list(call: string, path: string): Promise<string> {
    const checked = this.check(call, "read", path);
    await this.#options.afterCheck?.(checked.real);
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(checked.real)) {
        if (names.length >= MAX_LIST_ENTRIES) {
          throw new PxosError("E_MEMORY", `${call}: more than ${MAX_LIST_ENTRIES} entries`);
        }
        names.push(entry.isDirectory ? `${entry.name}/` : entry.name);
      }
    } catch (e) {
      throw asFsError(e, call, checked);
    }
    this.requireUnchanged(call, checked.rel, checked.real);
    return names.sort().join("\n");
  }

  /** `fs.mkdir`: creates the directory and missing parents. */
  async mkdir(call: string, path: string): Promise<void> {
    const checked = this.check(call, "write", path);
    await this.#options.afterCheck?.(checked.real);
    try {
      // One level at a time, each parent proven unchanged first: a directory on the path
      // swapped for a link must not get new directories made outside the grant.
      let existing = checked.real;
      const missing: string[] = [];
      while ((await lstatOrNull(existing)) === null) {
        missing.unshift(basename(existing));
        existing = dirname(existing);
      }
      for (const name of missing) {
        this.requireUnchanged(call, checked.rel, existing);
        existing = join(existing, name);
        await Deno.mkdir(existing, { recursive: true });
      }
      // Nothing missing: still refuse a file standing where the directory should be.
      if (missing.length === 0) await Deno.mkdir(checked.real, { recursive: true });
    } catch (e) {
      throw asFsError(e, call, checked);
    }
    this.requireUnchanged(call, checked.rel, checked.real);
  }

  /** `fs.remove`: removes a file, a link (not its target) or an empty directory. */
  async remove(call: string, path: string): Promise<void> {
    const checked = this.check(call, "write", path, { keepLastLink: true });
    if (checked.rel === "") ioError(call, checked, "is the root directory");
    await this.#options.afterCheck?.(checked.real);
    this.requireUnchanged(call, checked.rel, dirname(checked.real));
    try {
      await Deno.remove(checked.real);
    } catch (e) {
      throw asFsError(e, call, checked);
    }
  }

  /**
   * Lexical checks, then the real path, resolved once (the deepest existing ancestor resolved,
   * the rest appended), against which both the grant and the deny list are matched: the real
   * path must lie under a granted directory and under no denied one (nor under a denied one's
   * real path). With `keepLastLink` the last segment is not resolved (removing a link removes
   * the link). Public for the synchronous variants (`fs_sync.ts`).
   */
  check(
    call: string,
    kind: "read" | "write",
    path: string,
    opts: { keepLastLink?: boolean } = {},
  ): CheckedPath {
    let rel: string;
    try {
      rel = normalizeGuestPath(path);
    } catch (e) {
      throw new PxosError("E_PERMISSION", `${call}: ${(e as Error).message}`);
    }
    const grant = this.#grant[kind];
    // The text checks first: a path denied or ungranted as written is refused without a look
    // at the disk.
    const dir = grantedDirFor(call, kind, rel, grant);
    if (opts.keepLastLink && rel !== "" && rel === dir) {
      // Its parent lies outside the grant, which the check below would blame on a link.
      throw new PxosError(
        "E_PERMISSION",
        `${call}: ${displayPath(rel)} is the granted directory itself; only what is inside it`,
      );
    }
    const root = this.#grant.root;
    const lexical = underRoot(root, rel);
    const keepLast = opts.keepLastLink === true && rel !== "";
    let resolved: string;
    try {
      resolved = realPathOf(keepLast ? dirname(lexical) : lexical, underRoot(root, dir), call, rel);
    } catch (e) {
      throw asFsError(e, call, { rel, real: lexical });
    }
    const real = keepLast ? join(resolved, basename(lexical)) : resolved;
    const inGrant = (real: string) =>
      grant.allow.some((d) => isWithinReal(real, underRoot(root, d)));
    if (!inGrant(resolved) || !inGrant(real)) {
      throw new PxosError(
        "E_PERMISSION",
        `${call}: ${displayPath(rel)} leads outside ${displayPath(dir)} through a symbolic link`,
      );
    }
    const denied = deniedDirFor(real, rel, root, grant.deny);
    if (denied !== undefined) {
      throw new PxosError(
        "E_PERMISSION",
        `${call}: ${displayPath(rel)} leads into ${
          displayPath(denied)
        } through a symbolic link, which is denied for ${kind}`,
      );
    }
    return { rel, real };
  }

  /** Opens a checked path and proves the opened file is the one that was checked. */
  async #openVerified(
    call: string,
    checked: CheckedPath,
    options: Deno.OpenOptions,
  ): Promise<Deno.FsFile> {
    await this.#options.afterCheck?.(checked.real);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(checked.real, options);
    } catch (e) {
      throw asFsError(e, call, checked);
    }
    try {
      const opened = file.statSync();
      const atPath = Deno.lstatSync(checked.real);
      this.requireUnchanged(call, checked.rel, checked.real);
      if (atPath.isSymlink || opened.dev !== atPath.dev || opened.ino !== atPath.ino) {
        throw swapped(call, checked.rel);
      }
      return file;
    } catch (e) {
      file.close();
      throw asFsError(e, call, checked);
    }
  }

  /** Refuses when `real` no longer resolves to itself (a symlink appeared on the way). */
  requireUnchanged(call: string, rel: string, real: string): void {
    let now: string;
    try {
      now = Deno.realPathSync(real);
    } catch (e) {
      // Missing (e.g. a parent that never existed): refused as E_IO, like opening it would be.
      if (e instanceof Deno.errors.NotFound) {
        throw new PxosError("E_IO", `${call}: ${displayPath(rel)} does not exist`);
      }
      throw swapped(call, rel);
    }
    if (now !== real) throw swapped(call, rel);
  }
}

export function swapped(call: string, rel: string): PxosError {
  return new PxosError(
    "E_PERMISSION",
    `${call}: ${displayPath(rel)} changed while being opened (a symbolic link appeared); refused`,
  );
}

export function ioError(call: string, checked: CheckedPath, what: string): never {
  throw new PxosError("E_IO", `${call}: ${displayPath(checked.rel)} ${what}`);
}

/** Maps Deno's file-system errors onto `E_IO` (PxosErrors pass through). */
export function asFsError(e: unknown, call: string, checked: CheckedPath): Error {
  if (e instanceof PxosError) return e;
  if (e instanceof Deno.errors.NotFound) {
    return new PxosError("E_IO", `${call}: ${displayPath(checked.rel)} does not exist`);
  }
  if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
    return new PxosError(
      "E_PERMISSION",
      `${call}: ${displayPath(checked.rel)} refused by the sandbox: ${(e as Error).message}`,
    );
  }
  return new PxosError("E_IO", `${call}: ${displayPath(checked.rel)}: ${(e as Error).message}`);
}

/**
 * Reads at most `limit` bytes (the file may have grown since its size was taken). Only regular
 * files get here (checked before and after opening), so reading synchronously cannot block.
 */
function readUpTo(
  file: Deno.FsFile,
  expected: number,
  limit: number,
  call: string,
  rel: string,
): Uint8Array {
  // One byte of slack tells "exactly at the limit" from "over it".
  let buf = new Uint8Array(Math.min(expected, limit) + 1);
  let used = 0;
  for (;;) {
    if (used === buf.length) {
      if (used > limit) {
        throw new PxosError(
          "E_MEMORY",
          `${call}: ${displayPath(rel)} is over the ${limit}-byte limit`,
        );
      }
      const bigger = new Uint8Array(Math.min(limit + 1, buf.length * 2));
      bigger.set(buf);
      buf = bigger;
    }
    const n = file.readSync(buf.subarray(used));
    if (n === null) return buf.slice(0, used);
    used += n;
  }
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let done = 0;
  while (done < data.length) done += await file.write(data.subarray(done));
}
