/**
 * Synchronous variants of the `fs.*` operations, for engines whose file-system layer cannot wait
 * (the Python engine's Emscripten mount answers every file operation of the interpreter at
 * once). They go through the very same checks as {@link FsAccess} (its `check`: lexical rules,
 * the grant, the real path under a granted directory and under no denied one) and the same
 * atomic writes (a temporary file beside the target, renamed over it).
 *
 * Files are opened with `O_NONBLOCK` through `node:fs` (Deno's own open has no such flag): a
 * FIFO swapped in after the check then opens at once and is refused as "not a regular file",
 * instead of blocking the thread the way a synchronous open would. What was opened is proven to
 * be the inode at the checked path, as in {@link FsAccess}. `node:fs` starts Deno's Node layer,
 * which every run would pay for at start-up if it were imported here: the host loads it in
 * `Host.prepareSync` (`src/native_modules.ts`), and these calls refuse to run before that.
 *
 * @module
 */
import { basename, dirname, join } from "../paths.ts";
import { PxosError } from "../errors.ts";
import { asFsError, type CheckedPath, type FsAccess, ioError, swapped } from "./fs_access.ts";
import { displayPath } from "./fs_paths.ts";
import { type NativeFs, nativeFsIfLoaded } from "../native_modules.ts";

/** What `fs.stat` answers (as JSON) for an existing path. */
export interface FsStat {
  /** `"file"`, `"dir"` or `"other"` (a device, a FIFO, a socket). */
  type: "file" | "dir" | "other";
  /** Size in bytes. */
  size: number;
  /** Modification time, ms since the Unix epoch (0 when the system gives none). */
  mtimeMs: number;
  /** Access time, ms since the Unix epoch. */
  atimeMs: number;
  /** Permission bits (`0o644`, …), without the type. */
  mode: number;
}

/** The most names {@link FsSyncAccess.list} returns before `E_MEMORY` (as `fs.list`). */
const MAX_LIST_ENTRIES = 100_000;

/** Synchronous file operations of one run, checked by an {@link FsAccess}. */
export class FsSyncAccess {
  readonly #fs: FsAccess;
  readonly #maxReadBytes: number;

  /**
   * Creates the synchronous companion of `fs`.
   *
   * @param fs the run's checked file access
   * @param maxReadBytes largest file a read returns before `E_MEMORY`
   */
  constructor(fs: FsAccess, maxReadBytes: number) {
    this.#fs = fs;
    this.#maxReadBytes = maxReadBytes;
  }

  /**
   * `fs.stat`: type, size, times and mode; `null` when nothing is there. Decided by the read
   * grant, or by the write grant where reading is not granted (a program may look at what it
   * may replace) — but never for a path the read grant denies.
   */
  stat(call: string, path: string): FsStat | null {
    let checked: CheckedPath;
    try {
      checked = this.#fs.check(call, "read", path);
    } catch (readRefusal) {
      if (!(readRefusal instanceof PxosError) || /denied/.test(readRefusal.message)) {
        throw readRefusal;
      }
      try {
        checked = this.#fs.check(call, "write", path);
      } catch {
        throw readRefusal;
      }
    }
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(checked.real);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw asFsError(e, call, checked);
    }
    return {
      type: info.isFile ? "file" : info.isDirectory ? "dir" : "other",
      size: info.size,
      mtimeMs: info.mtime?.getTime() ?? 0,
      atimeMs: info.atime?.getTime() ?? 0,
      mode: (info.mode ?? 0o644) & 0o7777,
    };
  }

  /** `fs.checkWrite`: the write grant's decision on a path (as `fs.writeBytes` would make it). */
  checkWrite(call: string, path: string): void {
    const checked = this.#fs.check(call, "write", path);
    if (checked.rel === "") ioError(call, checked, "is the root directory");
  }

  /** `fs.exists`. */
  exists(call: string, path: string): boolean {
    const checked = this.#fs.check(call, "read", path);
    try {
      Deno.lstatSync(checked.real);
      return true;
    } catch {
      return false;
    }
  }

  /** `fs.readBytes`. */
  readBytes(call: string, path: string): Uint8Array {
    const nodeFs = nodeFsFor(call);
    const checked = this.#fs.check(call, "read", path);
    const fd = this.#openVerified(call, checked, nodeFs.constants.O_RDONLY);
    try {
      const size = nodeFs.fstatSync(fd).size;
      if (size > this.#maxReadBytes) {
        throw new PxosError(
          "E_MEMORY",
          `${call}: ${
            displayPath(checked.rel)
          } is ${size} bytes, over the ${this.#maxReadBytes}-byte limit`,
        );
      }
      // One byte of slack tells "grew past the limit since" from "exactly at it".
      let buf = new Uint8Array(size + 1);
      let used = 0;
      for (;;) {
        if (used === buf.length) {
          if (used > this.#maxReadBytes) ioError(call, checked, "grew past the read limit");
          const bigger = new Uint8Array(Math.min(this.#maxReadBytes + 1, buf.length * 2));
          bigger.set(buf);
          buf = bigger;
        }
        const n = nodeFs.readSync(fd, buf, used, buf.length - used, null);
        if (n === 0) return buf.slice(0, used);
        used += n;
      }
    } finally {
      nodeFs.closeSync(fd);
    }
  }

  /** `fs.writeBytes`: replaces the file atomically (temporary file, then rename). */
  write(call: string, path: string, data: Uint8Array): void {
    const checked = this.#fs.check(call, "write", path);
    if (checked.rel === "") ioError(call, checked, "is the root directory");
    if (lstatOrNull(checked.real)?.isDirectory) ioError(call, checked, "is a directory");
    const parent = dirname(checked.real);
    const temp = join(parent, `.${basename(checked.real)}.pxos-${crypto.randomUUID()}.tmp`);
    // The parent proven itself before anything is created in it (see FsAccess.write).
    this.#fs.requireUnchanged(call, checked.rel, parent);
    try {
      const file = Deno.openSync(temp, { write: true, createNew: true, mode: 0o644 });
      try {
        let done = 0;
        while (done < data.length) done += file.writeSync(data.subarray(done));
      } finally {
        file.close();
      }
      this.#fs.requireUnchanged(call, checked.rel, parent);
      Deno.renameSync(temp, checked.real);
    } catch (e) {
      try {
        Deno.removeSync(temp);
      } catch {
        // Never created, or already renamed.
      }
      throw asFsError(e, call, checked);
    }
  }

  /** `fs.appendText` (as bytes): appends to an existing regular file or creates it. */
  append(call: string, path: string, data: Uint8Array): void {
    const nodeFs = nodeFsFor(call);
    const checked = this.#fs.check(call, "write", path);
    if (lstatOrNull(checked.real) === null) return this.write(call, path, data);
    const { O_WRONLY, O_APPEND } = nodeFs.constants;
    const fd = this.#openVerified(call, checked, O_WRONLY | O_APPEND);
    try {
      let done = 0;
      while (done < data.length) done += nodeFs.writeSync(fd, data, done, data.length - done);
    } finally {
      nodeFs.closeSync(fd);
    }
  }

  /**
   * `fs.list`: sorted names, directories with a trailing `/` — here also a link to a directory,
   * since a mount takes the listing as each entry's type (whether the link may be followed is
   * decided when it is used).
   */
  list(call: string, path: string): string {
    const checked = this.#fs.check(call, "read", path);
    const names: string[] = [];
    try {
      for (const entry of Deno.readDirSync(checked.real)) {
        if (names.length >= MAX_LIST_ENTRIES) {
          throw new PxosError("E_MEMORY", `${call}: more than ${MAX_LIST_ENTRIES} entries`);
        }
        const dir = entry.isDirectory ||
          (entry.isSymlink && isDirectory(join(checked.real, entry.name)));
        names.push(dir ? `${entry.name}/` : entry.name);
      }
    } catch (e) {
      throw asFsError(e, call, checked);
    }
    this.#fs.requireUnchanged(call, checked.rel, checked.real);
    return names.sort().join("\n");
  }

  /** `fs.mkdir`: the directory and missing parents, each parent proven unchanged first. */
  mkdir(call: string, path: string): void {
    const checked = this.#fs.check(call, "write", path);
    try {
      let existing = checked.real;
      const missing: string[] = [];
      while (lstatOrNull(existing) === null) {
        missing.unshift(basename(existing));
        existing = dirname(existing);
      }
      for (const name of missing) {
        this.#fs.requireUnchanged(call, checked.rel, existing);
        existing = join(existing, name);
        Deno.mkdirSync(existing, { recursive: true });
      }
      if (missing.length === 0) Deno.mkdirSync(checked.real, { recursive: true });
    } catch (e) {
      throw asFsError(e, call, checked);
    }
    this.#fs.requireUnchanged(call, checked.rel, checked.real);
  }

  /** `fs.remove`: a file, a link (not its target) or an empty directory. */
  remove(call: string, path: string): void {
    const checked = this.#fs.check(call, "write", path, { keepLastLink: true });
    if (checked.rel === "") ioError(call, checked, "is the root directory");
    this.#fs.requireUnchanged(call, checked.rel, dirname(checked.real));
    try {
      Deno.removeSync(checked.real);
    } catch (e) {
      throw asFsError(e, call, checked);
    }
  }

  /**
   * `fs.rename`: moves a file or directory (a link itself, not its target) within what the
   * write grant covers; both ends are checked, both parents proven unchanged.
   */
  rename(call: string, from: string, to: string): void {
    const source = this.#fs.check(call, "write", from, { keepLastLink: true });
    const target = this.#fs.check(call, "write", to, { keepLastLink: true });
    for (const end of [source, target]) {
      if (end.rel === "") ioError(call, end, "is the root directory");
      this.#fs.requireUnchanged(call, end.rel, dirname(end.real));
    }
    if (target.rel.startsWith(`${source.rel}/`)) {
      ioError(call, target, `is inside ${displayPath(source.rel)} (invalid argument)`);
    }
    try {
      Deno.renameSync(source.real, target.real);
    } catch (e) {
      throw asFsError(e, call, lstatOrNull(source.real) === null ? source : target);
    }
  }

  /**
   * Opens a checked path without blocking (`O_NONBLOCK`) and proves the opened file is the
   * regular file at that path (not a link, FIFO or device swapped in since the check).
   */
  #openVerified(call: string, checked: CheckedPath, flags: number): number {
    const nodeFs = nodeFsFor(call);
    let fd: number;
    try {
      fd = nodeFs.openSync(checked.real, flags | nodeFs.constants.O_NONBLOCK);
    } catch (e) {
      throw asFsError(fromNode(e), call, checked);
    }
    try {
      const opened = nodeFs.fstatSync(fd);
      if (!opened.isFile()) ioError(call, checked, "is not a regular file");
      const atPath = Deno.lstatSync(checked.real);
      this.#fs.requireUnchanged(call, checked.rel, checked.real);
      if (atPath.isSymlink || opened.dev !== atPath.dev || opened.ino !== atPath.ino) {
        throw swapped(call, checked.rel);
      }
      return fd;
    } catch (e) {
      nodeFs.closeSync(fd);
      throw asFsError(e, call, checked);
    }
  }
}

/** `node:fs`, loaded by `Host.prepareSync` before any synchronous file call. */
function nodeFsFor(call: string): NativeFs {
  const fs = nativeFsIfLoaded();
  if (fs === undefined) {
    throw new PxosError(
      "E_IO",
      `${call}: synchronous file calls need the host prepared first (Host.prepareSync)`,
    );
  }
  return fs;
}

/** `node:fs` reports a missing file by `code`; make it Deno's error so `asFsError` maps it. */
function fromNode(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return new Deno.errors.NotFound((e as Error).message);
  if (code === "ENXIO") return new Deno.errors.NotSupported("is not a regular file");
  return e;
}

/** Whether `path` (through links) is a directory; false when it cannot be looked at. */
function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function lstatOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch {
    return null;
  }
}
