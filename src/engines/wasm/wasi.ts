/**
 * WASI preview 1 (`wasi_snapshot_preview1`) for a run (and the program's later runs, through
 * `reuse`: see `run_kit.ts`), on `@bjorn3/browser_wasi_shim` (which
 * owns the ABI: reading iovecs, writing stat structs, errno values) bridged to the host:
 *
 * - fd 0–2 are the host's console calls; the cartridge's files are a read-only pre-open `/cart`;
 *   each granted directory is a pre-open at `/<its path>` whose every operation is a host file
 *   call, permission-checked and audited there.
 * - clock and random come from the host's `clock.*`/`random.bytes` (virtual and seeded unless
 *   granted); `proc_exit` is the host's `process.exit`; sockets, signals and polling are
 *   `ENOTSUP`.
 * - Calls that must wait for the host are imported through JSPI (`WebAssembly.Suspending`): the
 *   asynchronous step performs the host call, then the shim's synchronous code runs with the
 *   answer (see `wasi_host_dir.ts`).
 *
 * @module
 */
import { OpenDirectory, PreopenDirectory, WASI, wasi } from "@bjorn3/browser_wasi_shim";
import { GuestExit, type Host } from "../../host/host.ts";
import {
  errnoFor,
  HostDirFd,
  HostFile,
  listHost,
  openHost,
  type Prepared,
  statHost,
} from "./wasi_host_dir.ts";
import { cartTree } from "./wasi_cart.ts";
import { OutsideFd, refuseOutside } from "./wasi_outside.ts";
import { fileSizeGuards, heldBytes } from "./wasi_limits.ts";
import { ConsoleFd, StdinFd } from "./wasi_stdio.ts";

/** What the guest is given besides the host: argv, environment and host directories. */
export interface WasiSetup {
  /** argv, program name first. */
  args: readonly string[];
  /** Environment variables. */
  env: Readonly<Record<string, string>>;
  /** Granted host directories (root-relative paths); each becomes the pre-open `/<path>`. */
  dirs: readonly { path: string; write: boolean }[];
  /** The cartridge's files, pre-opened read-only at `/cart`. */
  cartFiles: ReadonlyMap<string, Uint8Array>;
  /** The most bytes the run's open files may hold together (the run's memory limit). */
  maxFileBytes: number;
  /** The functions the module imports (default: all): only these are built. */
  imports?: ReadonlySet<string>;
}

/** An import function as the guest calls it. */
export type ImportFn = (...args: number[]) => unknown;

const encoder = new TextEncoder();

/** The most open descriptors at once (`EMFILE` past it): bounds what a guest can make us hold. */
const MAX_OPEN_FDS = 1024;
/** Largest `random_get` chunk the host hands out per call. */
const RANDOM_CHUNK = 65536;
// debug must be false explicitly: the shim's default logs every call with console.log.
const WASI_NAMES: readonly string[] = Object.keys(new WASI([], [], [], { debug: false }).wasiImport)
  .sort();

/** Calls the sandbox does not offer (sockets, signals, polling, links and renames): `ENOTSUP`. */
const UNSUPPORTED: readonly string[] = WASI_NAMES.filter((name) =>
  /^(sock_|poll_oneoff|proc_raise|path_symlink|path_rename|path_link)/.test(name)
);
const notSupported = () => wasi.ERRNO_NOTSUP;
/** Names of the calls that may wait for the host (the keys of `asyncCalls` below). */
let suspendingNames: ReadonlySet<string> | undefined;

/** Every `wasi_snapshot_preview1` function the engine provides (for the load-time import check). */
export function wasiFunctionNames(): readonly string[] {
  return WASI_NAMES;
}

/** A WASI instance for one run: its import object and what must happen at the end. */
export interface WasiBridge {
  /** The `wasi_snapshot_preview1` functions. */
  imports: Record<string, ImportFn>;
  /** Names of the functions that return promises (to import through `WebAssembly.Suspending`). */
  suspending: ReadonlySet<string>;
  /** Gives the bridge the instance's memory (before `_start`). */
  bind(memory: WebAssembly.Memory): void;
  /** Writes back files still open for writing and flushes partial characters on stdout/stderr. */
  finish(): Promise<void>;
  /**
   * Makes the bridge ready for another run of the same module: new descriptors, argv,
   * environment and host; nothing of the runs before stays reachable from the guest.
   */
  reuse(host: Host, setup: WasiSetup): void;
  /** Lets go of the run's memory, descriptors and host (a spare bridge holds nothing). */
  release(): void;
}

/** What belongs to one run; the import functions read it at each call. */
interface RunState {
  host: Host;
  setup: WasiSetup;
  stdin: StdinFd;
  stdout: ConsoleFd;
  stderr: ConsoleFd;
  /** argv and environ as the guest receives them (UTF-8, NUL-terminated). */
  argv: Uint8Array[];
  envv: Uint8Array[];
}

/**
 * Creates the WASI bridge for a run (and, through `reuse`, for later runs of the same module:
 * the import functions are made once, the state they work on is new for each run).
 *
 * @param firstHost the run's host
 * @param firstSetup argv, environment, directories and cartridge files
 */
export function createWasi(firstHost: Host, firstSetup: WasiSetup): WasiBridge {
  const shim = new WASI([], [], [], { debug: false });
  let memory: WebAssembly.Memory | undefined;
  let run!: RunState;
  const begin = (host: Host, setup: WasiSetup) => {
    const stdout = new ConsoleFd(host, "console.write");
    const stderr = new ConsoleFd(host, "console.error");
    const stdin = new StdinFd(host);
    // The shim sizes argv/environ by UTF-16 length; these count UTF-8 bytes.
    const env = Object.entries(setup.env).map(([k, v]) => `${k}=${v}`);
    run = {
      host,
      setup,
      stdin,
      stdout,
      stderr,
      argv: setup.args.map((a) => encoder.encode(`${a}\0`)),
      envv: env.map((e) => encoder.encode(`${e}\0`)),
    };
    memory = undefined;
    shim.args = [...setup.args];
    shim.env = env;
    shim.fds = [
      stdin,
      stdout,
      stderr,
      new PreopenDirectory("/cart", cartTree(setup.cartFiles)),
      ...setup.dirs.map((d) => new HostDirFd(d.path, `/${d.path}`)),
      // Last, so the descriptors above keep their numbers; see wasi_outside.ts.
      new OutsideFd(),
    ];
  };
  begin(firstHost, firstSetup);
  const view = () => new DataView(memory!.buffer);
  const pathAt = (ptr: number, len: number) =>
    new TextDecoder().decode(new Uint8Array(memory!.buffer, ptr, len));
  const base = shim.wasiImport as Record<string, (...args: never[]) => unknown>;
  // The engine's own versions of synchronous calls; the rest are the shim's (`base`).
  const sync: Record<string, unknown> = fileSizeGuards(
    () => shim.fds,
    () => view(),
    () => run.setup.maxFileBytes,
    base,
  );

  const sizes = (of: () => Uint8Array[]) => (countPtr: number, sizePtr: number) => {
    const list = of();
    view().setUint32(countPtr, list.length, true);
    view().setUint32(sizePtr, list.reduce((n, b) => n + b.length, 0), true);
    return wasi.ERRNO_SUCCESS;
  };
  const strings = (of: () => Uint8Array[]) => (ptrs: number, buf: number) => {
    let at = buf;
    of().forEach((bytes, i) => {
      view().setUint32(ptrs + 4 * i, at, true);
      new Uint8Array(memory!.buffer, at, bytes.length).set(bytes);
      at += bytes.length;
    });
    return wasi.ERRNO_SUCCESS;
  };
  sync.args_sizes_get = sizes(() => run.argv);
  sync.args_get = strings(() => run.argv);
  sync.environ_sizes_get = sizes(() => run.envv);
  sync.environ_get = strings(() => run.envv);
  sync.clock_time_get = (id: number, _precision: bigint, out: number) => {
    const ms = Number(
      run.host.invoke(id === wasi.CLOCKID_REALTIME ? "clock.now" : "clock.monotonic", []),
    );
    view().setBigUint64(out, BigInt(Math.round(ms * 1e6)), true);
    return wasi.ERRNO_SUCCESS;
  };
  sync.clock_res_get = (_id: number, out: number) => {
    view().setBigUint64(out, 1_000_000n, true);
    return wasi.ERRNO_SUCCESS;
  };
  sync.random_get = (ptr: number, len: number) => {
    for (let done = 0; done < len; done += RANDOM_CHUNK) {
      const n = Math.min(RANDOM_CHUNK, len - done);
      const bytes = run.host.invoke("random.bytes", [n]) as Uint8Array;
      new Uint8Array(memory!.buffer, ptr + done, n).set(bytes);
    }
    return wasi.ERRNO_SUCCESS;
  };
  sync.proc_exit = (code: number) => {
    run.host.invoke("process.exit", [code]);
    throw new GuestExit(code & 0xff);
  };
  for (const name of UNSUPPORTED) sync[name] = notSupported;

  const hostDir = (fd: number): HostDirFd | undefined => {
    const obj = shim.fds[fd];
    return obj instanceof HostDirFd ? obj : undefined;
  };
  const cartDir = (fd: number) => shim.fds[fd] instanceof OpenDirectory;
  /** On a host directory: performs the host half of a path call and leaves its answer there. */
  const prepareHostPath = async (
    call: string,
    fd: number,
    ptr: number,
    len: number,
    perform: (target: string) => Promise<Prepared>,
  ) => {
    const dir = hostDir(fd);
    if (!dir) return;
    const path = pathAt(ptr, len);
    const target = joinInside(dir.hostPath, path);
    dir.prepare(
      target === undefined
        ? { kind: "errno", errno: await refuseOutside(run.host, call, `/${dir.hostPath}/${path}`) }
        : await perform(target),
    );
  };
  const outside = (fd: number) => shim.fds[fd] instanceof OutsideFd;

  // Each returns a promise only when it must wait for the host: a plain value passes through
  // `WebAssembly.Suspending` without suspending the guest, which costs far less.
  const asyncCalls: Record<string, (...args: number[]) => number | Promise<number>> = {
    path_open(fd, dirflags, ptr, len, oflags, rightsBase, rightsInh, fdflags, out) {
      if (shim.fds.length >= MAX_OPEN_FDS && !shim.fds.includes(undefined as never)) {
        return wasi.ERRNO_MFILE;
      }
      const wantsWrite = (BigInt(rightsBase) & BigInt(wasi.RIGHTS_FD_WRITE)) !== 0n ||
        (oflags & (wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC)) !== 0;
      if (cartDir(fd) && wantsWrite) return wasi.ERRNO_ROFS;
      const open = () => {
        const ret = base.path_open(
          ...([fd, dirflags, ptr, len, oflags, rightsBase, rightsInh, fdflags, out] as never[]),
        ) as number;
        if (ret === wasi.ERRNO_SUCCESS) reuseLowestFd(out);
        return ret;
      };
      const call = oflags & wasi.OFLAGS_DIRECTORY
        ? "fs.list"
        : wantsWrite
        ? "fs.writeBytes"
        : "fs.readBytes";
      if (outside(fd)) return refuseOutside(run.host, call, pathAt(ptr, len));
      if (!hostDir(fd)) return open();
      return prepareHostPath(call, fd, ptr, len, async (target) => {
        const answer = await openHost(run.host, target, oflags, wantsWrite);
        // Files open at once share the run's memory limit.
        const tooMuch = answer.kind === "file" &&
          heldBytes(shim.fds) + answer.file.data.length > run.setup.maxFileBytes;
        return tooMuch ? { kind: "errno", errno: wasi.ERRNO_NOMEM } : answer;
      }).then(open);
    },
    async path_filestat_get(fd, flags, ptr, len, out) {
      if (outside(fd)) return await refuseOutside(run.host, "fs.exists", pathAt(ptr, len));
      await prepareHostPath("fs.exists", fd, ptr, len, (target) => statHost(run.host, target));
      return base.path_filestat_get(...([fd, flags, ptr, len, out] as never[])) as number;
    },
    async fd_readdir(fd, buf, bufLen, cookie, out) {
      const dir = hostDir(fd);
      if (dir && dir.entries === undefined) {
        try {
          dir.entries = await listHost(run.host, dir.hostPath);
        } catch (e) {
          return errnoFor(e);
        }
      }
      return base.fd_readdir(...([fd, buf, bufLen, cookie, out] as never[])) as number;
    },
    fd_read(fd, iovs, iovsLen, out) {
      const read = () => base.fd_read(...([fd, iovs, iovsLen, out] as never[])) as number;
      const { stdin } = run;
      if (shim.fds[fd] === stdin && stdin.needsFill) return stdin.fill().then(read);
      return read();
    },
    fd_close(fd) {
      const close = (errno: number) => {
        if (errno !== wasi.ERRNO_SUCCESS) return errno;
        const ret = base.fd_close(...([fd] as never[])) as number;
        while (shim.fds.length > 0 && shim.fds[shim.fds.length - 1] === undefined) shim.fds.pop();
        return ret;
      };
      const flushed = flushFd(fd);
      return typeof flushed === "number" ? close(flushed) : flushed.then(close);
    },
    fd_sync: (fd) => flushFd(fd),
    fd_datasync: (fd) => flushFd(fd),
    path_create_directory: (fd, ptr, len) => mutate(fd, ptr, len, "fs.mkdir"),
    path_unlink_file: (fd, ptr, len) => mutate(fd, ptr, len, "fs.remove"),
    path_remove_directory: (fd, ptr, len) => mutate(fd, ptr, len, "fs.remove"),
  };

  /** Moves a just-opened descriptor to the lowest free slot (the shim always appends). */
  const reuseLowestFd = (out: number) => {
    const fdNew = shim.fds.length - 1;
    const free = shim.fds.indexOf(undefined as never);
    if (free >= 0 && free < fdNew) {
      shim.fds[free] = shim.fds[fdNew];
      shim.fds.pop();
      view().setUint32(out, free, true);
    }
  };

  /** Writes a changed host file back; a plain errno when there is nothing to write. */
  const flushFd = (fd: number): number | Promise<number> => {
    const obj = shim.fds[fd] as { file?: unknown } | undefined;
    if (!(obj?.file instanceof HostFile) || !obj.file.writable || !obj.file.dirty) {
      return wasi.ERRNO_SUCCESS;
    }
    return obj.file.flush(run.host).then(() => wasi.ERRNO_SUCCESS, errnoFor);
  };

  const mutate = async (fd: number, ptr: number, len: number, call: string) => {
    if (cartDir(fd)) return wasi.ERRNO_ROFS;
    if (outside(fd)) return await refuseOutside(run.host, call, pathAt(ptr, len));
    const dir = hostDir(fd);
    if (!dir) return wasi.ERRNO_BADF;
    const path = pathAt(ptr, len);
    const target = joinInside(dir.hostPath, path);
    if (target === undefined) {
      return await refuseOutside(run.host, call, `/${dir.hostPath}/${path}`);
    }
    try {
      await run.host.invoke(call, [target]);
      dir.entries = undefined;
      return wasi.ERRNO_SUCCESS;
    } catch (e) {
      return errnoFor(e);
    }
  };

  const imports: Record<string, ImportFn> = {};
  for (const name of firstSetup.imports ?? WASI_NAMES) {
    if (!Object.hasOwn(base, name)) continue;
    imports[name] = (asyncCalls[name] ?? sync[name] ?? base[name]) as ImportFn;
  }

  return {
    imports,
    suspending: suspendingNames ??= new Set(Object.keys(asyncCalls)),
    bind(mem) {
      memory = mem;
      shim.inst = { exports: { memory: mem } };
    },
    async finish() {
      run.stdout.flush();
      run.stderr.flush();
      for (let fd = 0; fd < shim.fds.length; fd++) {
        const flushed = flushFd(fd);
        if (typeof flushed !== "number") await flushed;
      }
    },
    reuse: begin,
    release() {
      memory = undefined;
      shim.inst = undefined as never;
      shim.fds = [];
      shim.args = [];
      shim.env = [];
      // A call now finds no run (a TypeError, so a trap), never an earlier run's state.
      run = undefined as never;
    },
  };
}

/**
 * `dir` joined with the guest's relative `path`, or undefined when the path is absolute or
 * climbs out of `dir` (WASI paths are always relative to the directory descriptor).
 */
export function joinInside(dir: string, path: string): string | undefined {
  if (path.startsWith("/") || path.includes("\0")) return undefined;
  const parts: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return [dir, ...parts].filter((p) => p !== "").join("/");
}
