/**
 * Granted host folders inside the interpreter: an Emscripten file-system backend whose every
 * operation is one synchronous host call (`fs.stat`, `fs.list`, `fs.readBytes`, `fs.writeBytes`,
 * `fs.appendText`, `fs.checkWrite`, `fs.mkdir`, `fs.remove`, `fs.rename`), so the host checks and
 * audits each access and nothing of the host folder is copied in. Because it sits below CPython,
 * `open`, `os`, `io`, `pathlib`, `shutil`, `glob`, `os.chdir`, descriptors and C-level file access
 * (`sqlite3`, `zipfile`, `tarfile`) all reach it the same way.
 *
 * Host paths are relative to the run's root, and the root's names are the interpreter's root
 * folder's: every name at `/` that is not one of the interpreter's own folders (`/lib`, `/tmp`,
 * `/cart`, …) is a host path, so `open("data/x")` from `/` asks the host for `data/x` — and a path
 * outside the grant is refused by the host, with an audit line, rather than merely missing. To do
 * that the root directory's lookup, create, rename, remove and listing are overlaid for the run;
 * host nodes carry a mount of their own, so Emscripten refuses moving a file between them and the
 * interpreter's memory folders (`EXDEV`; `shutil.move` then copies).
 *
 * An open file is a buffer: read whole at open (unless just created or truncated), written back
 * whole at `close`/`fsync` with `fs.writeBytes` (a temporary file renamed over the target, so
 * never half a file). A new file is only checked at open (`fs.checkWrite`) and written at close,
 * once (see `pending`). With only a write grant, a file opened for appending keeps just what is
 * appended and adds it with `fs.appendText`. Two descriptors open on one file each have their
 * own buffer: the last one closed wins. Modes and times are read from the host; setting them is
 * accepted and not kept. Symbolic links cannot be made (`EPERM`).
 *
 * @module
 */
import type { HostValue } from "../../host/calls.ts";
import type { FsStat } from "../../host/fs_sync.ts";
import { ERRNO, errnoFor, type SyncHostCall } from "./host_calls_sync.ts";
import { type EmscriptenFs, seekPosition } from "./cart_fs.ts";

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const O_ACCMODE = 3;
const O_RDONLY = 0;
const O_WRONLY = 1;
const O_APPEND = 0o2000;

/** The parts of Emscripten's `FS` the host mount uses beyond {@link EmscriptenFs}. */
export interface MountableFs extends EmscriptenFs {
  // deno-lint-ignore no-explicit-any
  root: any;
  // deno-lint-ignore no-explicit-any
  nameTable: any[];
  hashName(parentId: number, name: string): number;
  // deno-lint-ignore no-explicit-any
  hashRemoveNode(node: any): void;
  // deno-lint-ignore no-explicit-any
  getPath(node: any): string;
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
}

/** One open file's bytes. */
interface OpenFile {
  data: Uint8Array;
  size: number;
  dirty: boolean;
  /** Opened for appending with only a write grant: `data` holds what is to be appended. */
  appendOnly: boolean;
  /** Its file was removed or replaced meanwhile: closing it writes nothing. */
  detached: boolean;
  // deno-lint-ignore no-explicit-any
  node: any;
}

/**
 * Overlays the interpreter's root folder with the host's (see the module comment) for one run.
 * The files open at once may hold at most `maxBytes` (the run's memory limit; past it a write is
 * `EFBIG`). Returns the function that ends it: open files still unwritten are written, the
 * overlay removed, and every host node forgotten (the next run may have another root and grant).
 */
export function mountHost(fs: MountableFs, call: SyncHostCall, maxBytes: number): () => void {
  // deno-lint-ignore no-explicit-any
  type Node = any;
  const root = fs.root;
  const memoryRootOps = root.node_ops;
  const hostMount = { mountpoint: "/", mounts: [], opts: {}, type: {} };
  const nodes = new Set<Node>();
  const open = new Set<OpenFile>();
  const errno = (code: number) => new fs.ErrnoError(code);
  /** Bytes the open files' buffers hold, against `maxBytes`. */
  let buffered = 0;
  /** Grows an open file to `size` bytes (its buffer doubling, so appends stay linear). */
  const resize = (file: OpenFile, size: number) => {
    if (size > file.data.length) {
      const room = maxBytes - (buffered - file.data.length);
      if (size > room) throw errno(ERRNO.EFBIG);
      const bigger = new Uint8Array(Math.min(room, Math.max(size, file.data.length * 2, 256)));
      bigger.set(file.data.subarray(0, file.size));
      buffered += bigger.length - file.data.length;
      file.data = bigger;
    }
    file.size = Math.max(file.size, size);
  };

  /** A JavaScript exception inside a file-system call would be fatal to the interpreter. */
  const guarded = <A extends unknown[], R>(op: (...args: A) => R) => (...args: A): R => {
    try {
      return op(...args);
    } catch (e) {
      if (e instanceof fs.ErrnoError) throw e;
      throw errno(errnoFor(e));
    }
  };
  const host = (name: string, ...args: HostValue[]) => call(name, args);
  const isHost = (node: Node) => node?.pxosHost === true;
  const pathOf = (node: Node) => fs.getPath(node).replace(/^\/+/, "");
  const childPath = (parent: Node, name: string) =>
    parent === root ? name : `${pathOf(parent)}/${name}`;
  const statOf = (path: string): FsStat | null => {
    const answer = host("fs.stat", path);
    return answer === null ? null : JSON.parse(String(answer)) as FsStat;
  };
  /** The node already known for `parent`/`name` (Emscripten's name cache), without a lookup. */
  const cached = (parent: Node, name: string): Node | undefined => {
    for (let n = fs.nameTable[fs.hashName(parent.id, name)]; n; n = n.name_next) {
      if (n.parent.id === parent.id && n.name === name) return n;
    }
    return undefined;
  };
  const makeNode = (parent: Node, name: string, dir: boolean): Node => {
    const node = fs.createNode(parent, name, dir ? S_IFDIR | 0o777 : S_IFREG | 0o666, 0);
    node.mount = hostMount;
    node.node_ops = nodeOps;
    node.stream_ops = streamOps;
    node.pxosHost = true;
    nodes.add(node);
    return node;
  };
  const listing = (path: string): string[] =>
    String(host("fs.list", path)).split("\n").filter((n) => n !== "");

  /**
   * Files created in this run and not yet written to the host, with the descriptor that will
   * write them (`null`: none yet). Creating is only checked (`fs.checkWrite`) at open and done
   * at close, in one write: a file replaced right after being created costs a flush on ext4.
   */
  const pending = new Map<Node, OpenFile | null>();

  const attributes = (node: Node) => {
    materialize(node);
    const stat = statOf(pathOf(node));
    if (stat === null) throw errno(ERRNO.ENOENT);
    return attributesOf(node, stat);
  };
  const attributesOf = (node: Node, stat: FsStat) => {
    const type = stat.type === "dir" ? S_IFDIR : S_IFREG;
    return {
      dev: 2,
      ino: node.id,
      mode: type | stat.mode,
      nlink: 1,
      uid: 0,
      gid: 0,
      rdev: 0,
      size: stat.size,
      atime: new Date(stat.atimeMs),
      mtime: new Date(stat.mtimeMs),
      ctime: new Date(stat.mtimeMs),
      blksize: 4096,
      blocks: Math.ceil(stat.size / 512),
    };
  };

  /** Truncates (or extends with zeros) a file on the host; `fresh` tells the next open it is empty. */
  const truncate = (node: Node, size: number) => {
    const path = pathOf(node);
    if (size === 0) {
      host("fs.writeBytes", path, new Uint8Array(0));
      node.pxosFresh = true;
      return;
    }
    const old = host("fs.readBytes", path) as Uint8Array;
    const next = new Uint8Array(size);
    next.set(old.subarray(0, size));
    host("fs.writeBytes", path, next);
  };

  const flush = (file: OpenFile) => {
    if (pending.get(file.node) === file) {
      pending.delete(file.node);
      file.dirty = true; // created by this descriptor: written even if empty
    }
    if (!file.dirty || file.detached) return;
    const path = pathOf(file.node);
    const bytes = file.data.slice(0, file.size);
    if (file.appendOnly) {
      host("fs.appendText", path, bytes);
      file.size = 0;
    } else {
      host("fs.writeBytes", path, bytes);
    }
    file.dirty = false;
  };

  /** Puts a file created in this run on the host now (before anything else looks at it). */
  const materialize = (node: Node) => {
    if (!pending.has(node)) return;
    const owner = pending.get(node);
    if (owner) return flush(owner);
    pending.delete(node);
    host("fs.writeBytes", pathOf(node), new Uint8Array(0));
  };
  /** Open files of a node that was removed or replaced no longer write back. */
  const detach = (node: Node) => {
    for (const file of open) if (file.node === node) file.detached = true;
  };

  const nodeOps = {
    getattr: guarded(attributes),
    setattr: guarded((node: Node, attr: { size?: number }) => {
      if (attr.size === undefined) return; // modes and times: accepted, not kept
      materialize(node);
      truncate(node, attr.size);
    }),
    lookup: guarded((parent: Node, name: string) => {
      const stat = statOf(childPath(parent, name));
      if (stat === null) throw errno(ERRNO.ENOENT);
      return makeNode(parent, name, stat.type === "dir");
    }),
    mknod: guarded((parent: Node, name: string, mode: number) => {
      const path = childPath(parent, name);
      if (fs.isDir(mode)) host("fs.mkdir", path);
      else if (fs.isFile(mode)) host("fs.checkWrite", path); // created at close (see pending)
      else throw errno(ERRNO.EPERM);
      const node = makeNode(parent, name, fs.isDir(mode));
      if (fs.isFile(mode)) pending.set(node, null);
      return node;
    }),
    rename: guarded((node: Node, newDir: Node, newName: string) => {
      if (!isHost(newDir) && newDir !== root) throw errno(ERRNO.EXDEV);
      const replaced = cached(newDir, newName);
      materialize(node);
      if (replaced) materialize(replaced);
      host("fs.rename", pathOf(node), childPath(newDir, newName));
      if (replaced) {
        detach(replaced);
        fs.hashRemoveNode(replaced);
      }
      node.name = newName;
    }),
    unlink: guarded((parent: Node, name: string) => {
      const node = cached(parent, name);
      // Not on the host yet: nothing to remove there.
      if (!pending.delete(node)) host("fs.remove", childPath(parent, name));
      detach(node);
    }),
    rmdir: guarded((parent: Node, name: string) => host("fs.remove", childPath(parent, name))),
    readdir: guarded((node: Node) => {
      for (const created of [...pending.keys()]) if (created.parent === node) materialize(created);
      const own: string[] = node === root ? memoryRootOps.readdir(root) : [".", ".."];
      const hosted = node === root ? rootListing() : listing(pathOf(node));
      const names = [...own];
      for (const entry of hosted) {
        const name = entry.replace(/\/$/, "");
        if (own.includes(name)) continue; // an interpreter folder hides a host one at the root
        names.push(name);
        // The listing says which entries are folders: their nodes save a look-up each when the
        // directory is scanned (os.scandir, os.walk).
        if (!cached(node, name)) makeNode(node, name, entry.endsWith("/"));
      }
      return names;
    }),
    symlink: () => {
      throw errno(ERRNO.EPERM);
    },
    readlink: () => {
      throw errno(ERRNO.EINVAL);
    },
  };

  const fileOf = (stream: { pxosFile?: OpenFile }): OpenFile => {
    if (!stream.pxosFile) throw errno(ERRNO.EISDIR);
    return stream.pxosFile;
  };

  const streamOps = {
    // deno-lint-ignore no-explicit-any
    open: guarded((stream: any) => {
      const node = stream.node;
      if (fs.isDir(node.mode)) return;
      const creates = pending.has(node) && pending.get(node) === null;
      if (!creates) materialize(node); // another descriptor created it: it reads what was written
      const fresh = creates || node.pxosFresh === true;
      node.pxosFresh = false;
      // Opening for writing is refused at open, as a system would, not at the first write-back.
      if (!fresh && (stream.flags & O_ACCMODE) !== O_RDONLY) host("fs.checkWrite", pathOf(node));
      let data: Uint8Array = new Uint8Array(0);
      let appendOnly = false;
      if (!fresh) {
        try {
          data = host("fs.readBytes", pathOf(node)) as Uint8Array;
        } catch (e) {
          const writeOnly = (stream.flags & O_ACCMODE) === O_WRONLY;
          if (!(writeOnly && stream.flags & O_APPEND && errnoFor(e) === ERRNO.EACCES)) throw e;
          appendOnly = true;
        }
      }
      const file: OpenFile = {
        data,
        size: data.length,
        dirty: false,
        appendOnly,
        detached: false,
        node,
      };
      if (creates) pending.set(node, file);
      buffered += data.length;
      stream.pxosFile = file;
      open.add(file);
    }),
    // deno-lint-ignore no-explicit-any
    close: guarded((stream: any) => {
      const file = stream.pxosFile as OpenFile | undefined;
      if (!file || !open.delete(file)) return; // a descriptor's duplicate was closed before
      buffered -= file.data.length;
      flush(file);
    }),
    // deno-lint-ignore no-explicit-any
    fsync: guarded((stream: any) => {
      if (stream.pxosFile) flush(stream.pxosFile);
      return 0;
    }),
    read: guarded(
      // deno-lint-ignore no-explicit-any
      (stream: any, buffer: Uint8Array, offset: number, length: number, position: number) => {
        const file = fileOf(stream);
        const end = Math.min(file.size, position + length);
        if (position >= end) return 0;
        buffer.set(file.data.subarray(position, end), offset);
        return end - position;
      },
    ),
    write: guarded(
      // deno-lint-ignore no-explicit-any
      (stream: any, buffer: Uint8Array, offset: number, length: number, position: number) => {
        const file = fileOf(stream);
        resize(file, Math.max(file.size, position + length));
        file.data.set(buffer.subarray(offset, offset + length), position);
        file.dirty = true;
        return length;
      },
    ),
    // deno-lint-ignore no-explicit-any
    llseek: guarded((stream: any, offset: number, whence: number) => {
      const position = seekPosition(stream.position, offset, whence, stream.pxosFile?.size ?? 0);
      if (position < 0) throw errno(ERRNO.EINVAL);
      return position;
    }),
    // deno-lint-ignore no-explicit-any
    getattr: guarded((stream: any) => {
      const file = stream.pxosFile as OpenFile | undefined;
      if (file && pending.get(stream.node) === file) { // not on the host yet (see pending)
        const now = Date.now();
        const stat = { type: "file", size: file.size, mtimeMs: now, atimeMs: now, mode: 0o644 };
        return attributesOf(stream.node, stat as FsStat);
      }
      const attr = attributes(stream.node);
      if (file?.dirty && !file.appendOnly) attr.size = file.size;
      return attr;
    }),
    // deno-lint-ignore no-explicit-any
    setattr: guarded((stream: any, attr: { size?: number }) => {
      const file = stream.pxosFile as OpenFile | undefined;
      if (attr.size === undefined) return;
      if (!file) return truncate(stream.node, attr.size);
      resize(file, attr.size);
      if (attr.size < file.size) file.data.fill(0, attr.size, file.size);
      file.size = attr.size;
      file.dirty = true;
    }),
  };

  /** The host root's names where listing it is granted; otherwise none (folders by name). */
  const rootListing = (): string[] => {
    try {
      return listing("");
    } catch {
      return [];
    }
  };

  const rootOps = {
    ...memoryRootOps,
    lookup: nodeOps.lookup,
    mknod: nodeOps.mknod,
    readdir: nodeOps.readdir,
    symlink: nodeOps.symlink,
    rename: (node: Node, newDir: Node, newName: string) =>
      isHost(node)
        ? nodeOps.rename(node, newDir, newName)
        : memoryRootOps.rename(node, newDir, newName),
    unlink: (parent: Node, name: string) =>
      isHost(cached(parent, name))
        ? nodeOps.unlink(parent, name)
        : memoryRootOps.unlink(parent, name),
    rmdir: (parent: Node, name: string) =>
      isHost(cached(parent, name))
        ? nodeOps.rmdir(parent, name)
        : memoryRootOps.rmdir(parent, name),
  };
  // The root's own operations are those every memory folder shares (MEMFS's): a file moved
  // from /tmp to a new name at the root would otherwise land in memory, unseen by the host.
  const memoryRename = memoryRootOps.rename;
  memoryRootOps.rename = (node: Node, newDir: Node, newName: string) => {
    if (newDir === root && !cached(root, newName)) throw errno(ERRNO.EXDEV);
    return memoryRename(node, newDir, newName);
  };
  root.node_ops = rootOps;

  return () => {
    for (const node of [...pending.keys()]) {
      try {
        materialize(node);
      } catch {
        // Refused or failed: audited by the host; the run is over.
      }
    }
    pending.clear();
    for (const file of open) {
      try {
        flush(file);
      } catch {
        // Refused or failed: audited by the host; the run is over.
      }
    }
    open.clear();
    root.node_ops = memoryRootOps;
    memoryRootOps.rename = memoryRename;
    for (const node of nodes) fs.hashRemoveNode(node);
    nodes.clear();
  };
}
