/**
 * A granted host directory as a WASI pre-open. WASI's calls are synchronous and the host's file
 * calls are not, so each path call runs in two steps: `wasi.ts` first performs the host call
 * (`fs.readBytes`, `fs.list`, `fs.writeBytes`, …, each permission-checked and audited by the
 * host) and leaves its answer here with {@link HostDirFd.prepare}; then the shim's synchronous
 * ABI code calls the method below, which hands that answer over. File contents live in memory
 * while open; a file opened for writing goes back with `fs.writeBytes` when it is closed or synced.
 *
 * @module
 */
import { Fd, File, type Inode, OpenFile, wasi } from "@bjorn3/browser_wasi_shim";
import { isPxosError } from "../../errors.ts";
import type { Host } from "../../host/host.ts";

/** What the asynchronous step found for one path call. */
export type Prepared =
  | { kind: "errno"; errno: number }
  | { kind: "file"; file: HostFile }
  | { kind: "dir"; dir: HostDirFd }
  | { kind: "stat"; stat: wasi.Filestat };

/** A file opened from a host directory; written back on close when changed. */
export class HostFile extends File {
  /** Root-relative host path. */
  readonly hostPath: string;
  /** Whether the guest may write it. */
  readonly writable: boolean;
  /** The bytes as last written back (to tell whether there is anything to write). */
  #saved: Uint8Array;
  /** When only appending is allowed (a write grant without read): bytes to append on flush. */
  readonly appendOnly: boolean;

  /**
   * Creates an open host file.
   *
   * @param hostPath root-relative path
   * @param data current contents (empty for append-only)
   * @param writable whether writes are allowed
   * @param appendOnly whether the host file could not be read and writes are appended
   */
  constructor(hostPath: string, data: Uint8Array, writable: boolean, appendOnly = false) {
    super(data, { readonly: !writable });
    this.hostPath = hostPath;
    this.writable = writable;
    this.appendOnly = appendOnly;
    this.#saved = data.slice();
  }

  /** Whether the contents differ from what the host has. */
  get dirty(): boolean {
    const now = this.data;
    if (now.length !== this.#saved.length) return true;
    for (let i = 0; i < now.length; i++) if (now[i] !== this.#saved[i]) return true;
    return false;
  }

  /** Writes the contents back through the host (permission-checked, atomic). */
  async flush(host: Host): Promise<void> {
    if (!this.writable || !this.dirty) return;
    const data = this.data.slice();
    if (this.appendOnly) {
      await host.invoke("fs.appendText", [this.hostPath, new TextDecoder().decode(data)]);
      this.data = new Uint8Array(0);
    } else {
      await host.invoke("fs.writeBytes", [this.hostPath, data]);
    }
    this.#saved = this.data.slice();
  }
}

/** A descriptor that is a directory to `fstat` (whatever it can do besides). */
export class DirectoryFd extends Fd {
  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat } {
    return { ret: wasi.ERRNO_SUCCESS, fdstat: new wasi.Fdstat(wasi.FILETYPE_DIRECTORY, 0) };
  }

  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    return {
      ret: wasi.ERRNO_SUCCESS,
      filestat: new wasi.Filestat(0n, wasi.FILETYPE_DIRECTORY, 0n),
    };
  }
}

/** A directory under a granted host directory (the pre-open itself or one opened inside it). */
export class HostDirFd extends DirectoryFd {
  /** Root-relative host path of the directory. */
  readonly hostPath: string;
  /** The pre-open name the guest sees (`/data`), or undefined for directories opened inside. */
  readonly preopenName: string | undefined;
  /** Names from `fs.list` (directories end with `/`), fetched on the first `fd_readdir`. */
  entries: string[] | undefined;
  #prepared: Prepared | undefined;

  /**
   * Creates a host directory descriptor.
   *
   * @param hostPath root-relative host path
   * @param preopenName the guest-visible pre-open name, for pre-opens
   */
  constructor(hostPath: string, preopenName?: string) {
    super();
    this.hostPath = hostPath;
    this.preopenName = preopenName;
  }

  /** Leaves the answer of the asynchronous step for the synchronous call that follows. */
  prepare(answer: Prepared): void {
    this.#prepared = answer;
  }

  #take(): Prepared {
    const answer = this.#prepared ?? { kind: "errno", errno: wasi.ERRNO_IO };
    this.#prepared = undefined;
    return answer;
  }

  override fd_prestat_get(): { ret: number; prestat: wasi.Prestat | null } {
    if (this.preopenName === undefined) return { ret: wasi.ERRNO_BADF, prestat: null };
    return { ret: wasi.ERRNO_SUCCESS, prestat: wasi.Prestat.dir(this.preopenName) };
  }

  override path_open(): { ret: number; fd_obj: Fd | null } {
    const answer = this.#take();
    if (answer.kind === "file") {
      return { ret: wasi.ERRNO_SUCCESS, fd_obj: new OpenFile(answer.file) };
    }
    if (answer.kind === "dir") return { ret: wasi.ERRNO_SUCCESS, fd_obj: answer.dir };
    return { ret: answer.kind === "errno" ? answer.errno : wasi.ERRNO_IO, fd_obj: null };
  }

  override path_filestat_get(): { ret: number; filestat: wasi.Filestat | null } {
    const answer = this.#take();
    if (answer.kind === "stat") return { ret: wasi.ERRNO_SUCCESS, filestat: answer.stat };
    return { ret: answer.kind === "errno" ? answer.errno : wasi.ERRNO_IO, filestat: null };
  }

  override fd_readdir_single(cookie: bigint): { ret: number; dirent: wasi.Dirent | null } {
    const names = [".", "..", ...(this.entries ?? [])];
    if (cookie >= BigInt(names.length)) return { ret: wasi.ERRNO_SUCCESS, dirent: null };
    const raw = names[Number(cookie)];
    const isDir = raw.endsWith("/") || raw === "." || raw === "..";
    const name = raw.endsWith("/") ? raw.slice(0, -1) : raw;
    const type = isDir ? wasi.FILETYPE_DIRECTORY : wasi.FILETYPE_REGULAR_FILE;
    return { ret: wasi.ERRNO_SUCCESS, dirent: new wasi.Dirent(cookie + 1n, 0n, name, type) };
  }

  // Mutations are performed entirely in the asynchronous step; these only report its errno.
  override path_create_directory(): number {
    return this.#errno();
  }

  override path_unlink_file(): number {
    return this.#errno();
  }

  override path_remove_directory(): number {
    return this.#errno();
  }

  override path_link(_path: string, _inode: Inode): number {
    return wasi.ERRNO_NOTSUP;
  }

  #errno(): number {
    const answer = this.#take();
    return answer.kind === "errno" ? answer.errno : wasi.ERRNO_SUCCESS;
  }
}

/**
 * The WASI errno for a host refusal or failure: a denied permission is `EACCES`, a missing file
 * `ENOENT`, a directory where a file was expected `EISDIR`, a size over the limit `EFBIG`.
 * `GuestExit` and anything that is not a `PxosError` are not errnos: they are rethrown.
 */
export function errnoFor(e: unknown): number {
  if (isPxosError(e, "E_PERMISSION")) return wasi.ERRNO_ACCES;
  if (isPxosError(e, "E_MEMORY")) return wasi.ERRNO_FBIG;
  if (isPxosError(e, "E_IO")) {
    const message = (e as Error).message;
    if (/does not exist/.test(message)) return wasi.ERRNO_NOENT;
    if (/is a directory|not a regular file|not a file|root directory/.test(message)) {
      return wasi.ERRNO_ISDIR;
    }
    if (/not a directory/i.test(message)) return wasi.ERRNO_NOTDIR;
    return wasi.ERRNO_IO;
  }
  if (isPxosError(e)) return wasi.ERRNO_IO;
  throw e;
}

/** The asynchronous half of `path_open` on a host directory. */
// The grant is the host's to decide: a write the grant does not cover is refused (and audited)
// by the host call itself, never short-cut here.
export async function openHost(
  host: Host,
  target: string,
  oflags: number,
  writable: boolean,
): Promise<Prepared> {
  try {
    if (oflags & wasi.OFLAGS_DIRECTORY) return await openDirInstead(host, target);
    if (writable && oflags & wasi.OFLAGS_TRUNC) {
      await host.invoke("fs.writeBytes", [target, new Uint8Array(0)]);
      return { kind: "file", file: new HostFile(target, new Uint8Array(0), true) };
    }
    let data: Uint8Array;
    try {
      data = await host.invoke("fs.readBytes", [target]) as Uint8Array;
    } catch (e) {
      const errno = errnoFor(e);
      if (errno === wasi.ERRNO_NOENT && writable && oflags & wasi.OFLAGS_CREAT) {
        await host.invoke("fs.writeBytes", [target, new Uint8Array(0)]);
        return { kind: "file", file: new HostFile(target, new Uint8Array(0), true) };
      }
      // A write-only grant: the file cannot be read, but it can still be appended to.
      if (errno === wasi.ERRNO_ACCES && writable) {
        return { kind: "file", file: new HostFile(target, new Uint8Array(0), true, true) };
      }
      if (errno === wasi.ERRNO_ISDIR) return await openDirInstead(host, target);
      return { kind: "errno", errno };
    }
    if (oflags & wasi.OFLAGS_EXCL && oflags & wasi.OFLAGS_CREAT) {
      return { kind: "errno", errno: wasi.ERRNO_EXIST };
    }
    return { kind: "file", file: new HostFile(target, data, writable) };
  } catch (e) {
    return { kind: "errno", errno: errnoFor(e) };
  }
}

/** A directory opened from a host directory, with its listing (`fs.list`). */
async function openDirInstead(host: Host, target: string): Promise<Prepared> {
  const dir = new HostDirFd(target);
  dir.entries = await listHost(host, target);
  return { kind: "dir", dir };
}

/** A host directory's names (`fs.list`: directories end with `/`). */
export async function listHost(host: Host, path: string): Promise<string[]> {
  return String(await host.invoke("fs.list", [path])).split("\n").filter((n) => n !== "");
}

/** The asynchronous half of `path_filestat_get`: a file's size, or that it is a directory. */
export async function statHost(host: Host, target: string): Promise<Prepared> {
  try {
    const data = await host.invoke("fs.readBytes", [target]) as Uint8Array;
    return {
      kind: "stat",
      stat: new wasi.Filestat(0n, wasi.FILETYPE_REGULAR_FILE, BigInt(data.length)),
    };
  } catch (e) {
    const errno = errnoFor(e);
    if (errno !== wasi.ERRNO_ISDIR) return { kind: "errno", errno };
    return { kind: "stat", stat: new wasi.Filestat(0n, wasi.FILETYPE_DIRECTORY, 0n) };
  }
}
