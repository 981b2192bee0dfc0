/**
 * `/cart` inside the interpreter: an Emscripten file-system backend over the cartridge's files,
 * read-only. Opening a file asks the host for it (`cart.read`); nothing is copied into the
 * interpreter's memory file system, and every write, rename, link or mode change fails with
 * `EROFS`.
 *
 * @module
 */

/** The part of Emscripten's `FS` object this backend uses. */
export interface EmscriptenFs {
  // deno-lint-ignore no-explicit-any
  createNode(parent: any, name: string, mode: number, dev: number): any;
  // deno-lint-ignore no-explicit-any
  ErrnoError: new (errno: number) => any;
  // deno-lint-ignore no-explicit-any
  mount(type: any, opts: Record<string, unknown>, mountpoint: string): any;
  unmount(mountpoint: string): void;
  mkdirTree(path: string): void;
}

/** Emscripten's errno numbers (musl's, as Pyodide's `errno` module reports them). */
const ENOENT = 44;
const EROFS = 69;
const EISDIR = 31;
const EINVAL = 28;
const EIO = 29;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/** Where `llseek` moves a stream (`whence` 0 start, 1 current, 2 end); negative is invalid. */
export function seekPosition(
  current: number,
  offset: number,
  whence: number,
  size: number,
): number {
  return whence === 1 ? current + offset : whence === 2 ? size + offset : offset;
}

/** One directory of the cartridge: names → sub-directory or the file's archive path. */
type Tree = Map<string, Tree | string>;

/** Builds the directory tree of archive paths. */
function treeOf(paths: Iterable<string>): Tree {
  const root: Tree = new Map();
  for (const path of paths) {
    const parts = path.split("/");
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.get(part);
      if (typeof next !== "object") {
        next = new Map();
        dir.set(part, next);
      }
      dir = next;
    }
    if (!dir.has(parts[parts.length - 1])) dir.set(parts[parts.length - 1], path);
  }
  return root;
}

/**
 * Mounts the cartridge at `mountpoint`. `sizeOf` and `read` answer for an archive path (`read`
 * is the host's `cart.read`). Returns a function that unmounts it.
 */
export function mountCart(
  fs: EmscriptenFs,
  mountpoint: string,
  paths: Iterable<string>,
  sizeOf: (path: string) => number,
  read: (path: string) => Uint8Array,
): () => void {
  const fail = (errno: number) => {
    throw new fs.ErrnoError(errno);
  };
  const readOnly = () => fail(EROFS);
  // deno-lint-ignore no-explicit-any
  const makeNode = (parent: any, name: string, entry: Tree | string) => {
    const isDir = typeof entry === "object";
    const node = fs.createNode(parent, name, isDir ? S_IFDIR | 0o555 : S_IFREG | 0o444, 0);
    node.node_ops = nodeOps;
    node.stream_ops = streamOps;
    node.pxosEntry = entry;
    return node;
  };
  const nodeOps = {
    // deno-lint-ignore no-explicit-any
    getattr(node: any) {
      const entry = node.pxosEntry as Tree | string;
      const size = typeof entry === "string" ? sizeOf(entry) : 4096;
      const when = new Date(0);
      return {
        dev: 1,
        ino: node.id,
        mode: node.mode,
        nlink: 1,
        uid: 0,
        gid: 0,
        rdev: 0,
        size,
        atime: when,
        mtime: when,
        ctime: when,
        blksize: 4096,
        blocks: Math.ceil(size / 4096),
      };
    },
    setattr: readOnly,
    // deno-lint-ignore no-explicit-any
    lookup(parent: any, name: string) {
      const entry = typeof parent.pxosEntry === "object" ? parent.pxosEntry.get(name) : undefined;
      if (entry === undefined) fail(ENOENT);
      return makeNode(parent, name, entry);
    },
    mknod: readOnly,
    rename: readOnly,
    unlink: readOnly,
    rmdir: readOnly,
    symlink: readOnly,
    // deno-lint-ignore no-explicit-any
    readdir(node: any) {
      return [".", "..", ...(node.pxosEntry as Tree).keys()];
    },
    readlink: () => fail(EINVAL),
  };
  const streamOps = {
    // deno-lint-ignore no-explicit-any
    open(stream: any) {
      if ((stream.flags & 3) !== 0) fail(EROFS); // O_WRONLY or O_RDWR
      const entry = stream.node.pxosEntry;
      try {
        stream.pxosData = typeof entry === "string" ? read(entry) : undefined;
      } catch {
        fail(EIO); // a JavaScript error here would be fatal to the interpreter
      }
    },
    // deno-lint-ignore no-explicit-any
    close(stream: any) {
      stream.pxosData = undefined;
    },
    read(
      // deno-lint-ignore no-explicit-any
      stream: any,
      buffer: Uint8Array,
      offset: number,
      length: number,
      position: number,
    ) {
      const data = stream.pxosData as Uint8Array | undefined;
      if (!data) fail(EISDIR);
      const end = Math.min(data!.length, position + length);
      if (position >= end) return 0;
      buffer.set(data!.subarray(position, end), offset);
      return end - position;
    },
    write: readOnly,
    // deno-lint-ignore no-explicit-any
    llseek(stream: any, offset: number, whence: number) {
      const position = seekPosition(stream.position, offset, whence, stream.pxosData?.length ?? 0);
      if (position < 0) fail(EINVAL);
      return position;
    },
  };
  const type = {
    // deno-lint-ignore no-explicit-any
    mount: (mount: any) => makeNode(null, "/", treeOf(mount.opts.paths)),
  };
  fs.mkdirTree(mountpoint);
  fs.mount(type, { paths: [...paths] }, mountpoint);
  return () => fs.unmount(mountpoint);
}
