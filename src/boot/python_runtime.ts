/**
 * Where the Python engine's interpreter comes from: the npm `pyodide` package's own files (never
 * a CDN), and a start-up memory snapshot cached per Pyodide version in the user's cache folder.
 * Cold `loadPyodide` takes seconds; restoring the snapshot takes a fraction of one. The snapshot
 * is made on first use (before any guest code has run), stored with its SHA-256, and rebuilt when
 * it is missing, from another Pyodide version, or does not match its hash.
 *
 * The engine (layer 2) does no I/O, so this boot-layer module installs the provider it loads
 * interpreters through (`setPythonRuntimeProvider`).
 *
 * @module
 */
import { toHex } from "../archive/hash.ts";
import { dirname, fromFileUrl, join } from "../paths.ts";
import { sha256 as sha256Bytes } from "../sha256.ts";
import { writeFileAtomic } from "../archive/directory.ts";
import type { Manifest } from "../archive/manifest.ts";
import { builtInEngineIdFor } from "../engines/engine_ids.ts";
import {
  type PyodideInstance,
  type PythonRuntimeProvider,
  setPythonRuntimeProvider,
  SNAPSHOT_PRELUDE,
} from "../engines/python/interpreter.ts";
import { readFully } from "../read_file.ts";

/** The pinned Pyodide version (CPython 3.14.2). */
export const PYODIDE_VERSION = "314.0.8";

/** Bumped when what goes into a snapshot changes, so older snapshots count as stale. */
const SNAPSHOT_FORMAT = 2;

/** The folder holding the `pyodide` package's files (the sandbox may read exactly this). */
export function pyodideDir(): string {
  return dirname(fromFileUrl(import.meta.resolve("pyodide")));
}

/**
 * The snapshot cache file: `$PXOS_CACHE_DIR`, else `$XDG_CACHE_HOME/pxos`, else
 * `~/.cache/pxos`, then `python/pyodide-<version>.snapshot`. `undefined` without a home folder.
 */
export function snapshotPath(
  env: (name: string) => string | undefined = Deno.env.get,
): string | undefined {
  const base = env("PXOS_CACHE_DIR") ??
    (env("XDG_CACHE_HOME") ? join(env("XDG_CACHE_HOME")!, "pxos") : undefined) ??
    (env("HOME") ? join(env("HOME")!, ".cache", "pxos") : undefined);
  return base === undefined
    ? undefined
    : join(base, "python", `pyodide-${PYODIDE_VERSION}.snapshot`);
}

// Hex SHA-256. The ~30 MiB snapshot goes through node:crypto (several times faster than
// WebCrypto here); the prelude through WebCrypto, so that checking the cache does not start
// Deno's Node layer in every process of a Python boot (`src/native_modules.ts`).
async function sha256(data: Uint8Array | string): Promise<string> {
  return toHex(await sha256Bytes(typeof data === "string" ? new TextEncoder().encode(data) : data));
}

/** What is stored beside the snapshot. */
interface SnapshotMeta {
  pyodide: string;
  format: number;
  prelude: string;
  sha256: string;
  bytes: number;
  /** The snapshot file's modification time when its hash was last checked (ms). */
  mtime?: number;
}

/**
 * Reads the cached snapshot; `null` when it is missing, stale or corrupt (the reason goes to
 * `onStale`). The full SHA-256 is checked only when the file's size or modification time differ
 * from those recorded when it was written (or last checked): the file is only ever replaced by
 * an atomic rename, so an unchanged one is the one that was hashed, and the warm start skips
 * hashing 30 MiB.
 */
export async function readSnapshot(
  path: string,
  onStale?: (reason: string) => void,
): Promise<Uint8Array | null> {
  let meta: SnapshotMeta;
  let read: { bytes: Uint8Array; mtime: number } | null;
  try {
    meta = JSON.parse(await Deno.readTextFile(`${path}.json`));
    read = await readExactly(path, meta.bytes);
  } catch {
    return null;
  }
  if (read === null) {
    onStale?.("its size does not match (corrupt)");
    return null;
  }
  if (
    meta.pyodide !== PYODIDE_VERSION || meta.format !== SNAPSHOT_FORMAT ||
    meta.prelude !== await sha256(SNAPSHOT_PRELUDE)
  ) {
    onStale?.(`made for Pyodide ${meta.pyodide} (format ${meta.format}) or an older prelude`);
    return null;
  }
  if (meta.mtime !== read.mtime) {
    if (await sha256(read.bytes) !== meta.sha256) {
      onStale?.("its SHA-256 does not match (corrupt)");
      return null;
    }
    // Touched but intact (copied, restored from a backup): note the time, hash once.
    await writeMeta(path, { ...meta, mtime: read.mtime }).catch(() => {});
  }
  return read.bytes;
}

/**
 * Reads a file that must be `size` bytes into one buffer; `null` when its size differs. (Reading
 * into a buffer of the known size measured 15× faster than `Deno.readFile` for the 30 MiB
 * snapshot here.)
 */
async function readExactly(
  path: string,
  size: number,
): Promise<{ bytes: Uint8Array; mtime: number } | null> {
  using file = await Deno.open(path);
  const info = await file.stat();
  if (!Number.isSafeInteger(size) || info.size !== size) return null;
  const bytes = new Uint8Array(size);
  if (await readFully(file, bytes) < size) return null;
  return { bytes, mtime: info.mtime?.getTime() ?? -1 };
}

async function writeMeta(path: string, meta: SnapshotMeta): Promise<void> {
  await writeFileAtomic(`${path}.json`, new TextEncoder().encode(JSON.stringify(meta)));
}

/** Stores a snapshot and its hash (each file written to a temporary name and renamed). */
export async function writeSnapshot(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, bytes);
  await writeMeta(path, {
    pyodide: PYODIDE_VERSION,
    format: SNAPSHOT_FORMAT,
    prelude: await sha256(SNAPSHOT_PRELUDE),
    sha256: await sha256(bytes),
    bytes: bytes.length,
    mtime: (await Deno.stat(path)).mtime?.getTime() ?? -1,
  });
}

/**
 * The package lock Pyodide is given instead of reading its 120 KiB `pyodide-lock.json`: the
 * engine installs no packages (cartridges vendor theirs), so only the ABI it checks is needed.
 */
const LOCK_FILE = JSON.stringify({
  info: { abi_version: "2026_0", arch: "wasm32", platform: "emscripten_5_0_3", python: "3.14.2" },
  packages: {},
});

/**
 * Loads one interpreter from the package folder `dir`: from `snapshot` when given, else cold
 * (`makeSnapshot` prepares it for `makeMemorySnapshot`). The `js` module gets an empty object.
 */
export async function loadInterpreter(
  dir: string,
  snapshot?: Uint8Array | null,
  makeSnapshot = false,
): Promise<PyodideInstance> {
  const { loadPyodide } = await import("pyodide");
  const discard = () => {};
  const py = await loadPyodide({
    indexURL: `${dir}/`,
    lockFileContents: LOCK_FILE,
    jsglobals: {},
    // A fixed string-hash seed: set and dict-of-str orders repeat across machines and snapshots.
    env: { HOME: "/home/pxos", PYTHONHASHSEED: "0" },
    stdout: discard,
    stderr: discard,
    ...(snapshot ? { _loadSnapshot: snapshot } : makeSnapshot ? { _makeSnapshot: true } : {}),
  });
  if (!snapshot) py.runPython(SNAPSHOT_PRELUDE);
  return py as unknown as PyodideInstance;
}

/** Options for {@link pythonRuntime}. */
export interface PythonRuntimeOptions {
  /** The package folder (default: {@link pyodideDir}). */
  dir?: string;
  /** A snapshot already read and checked (the sandbox gets it this way); skips the cache. */
  snapshot?: Uint8Array | null;
  /** The cache file (default: {@link snapshotPath}); `null`: no cache. */
  cachePath?: string | null;
  /** Told when a slow cold start begins (first use, or a stale snapshot). */
  progress?: (line: string) => void;
}

const COLD_START_NOTE =
  "pxos: preparing the Python engine (first use: a few seconds; later starts are fast)\n";

/**
 * A provider that restores the cached snapshot, or starts cold and caches a fresh snapshot.
 *
 * @example
 * ```ts ignore
 * import { pythonRuntime, setPythonRuntimeProvider } from "@pxos/core";
 * setPythonRuntimeProvider(pythonRuntime({ progress: (l) => console.error(l) }));
 * ```
 */
export function pythonRuntime(options: PythonRuntimeOptions = {}): PythonRuntimeProvider {
  return {
    async load() {
      const dir = options.dir ?? pyodideDir();
      if (options.snapshot) return await loadInterpreter(dir, options.snapshot);
      const cache = options.cachePath === undefined ? snapshotPath() : options.cachePath;
      const cached = cache ? await readSnapshot(cache) : null;
      if (cached) return await loadInterpreter(dir, cached);
      options.progress?.(COLD_START_NOTE);
      const py = await loadInterpreter(dir, null, true);
      if (cache) {
        const snapshot = (py as unknown as { makeMemorySnapshot(): Uint8Array })
          .makeMemorySnapshot();
        await writeSnapshot(cache, snapshot).catch(() => {}); // a read-only cache only costs time
      }
      return py;
    },
  };
}

/**
 * The snapshot for a sandboxed boot, read (and checked) or made here, outside the sandbox: a
 * helper Worker that may read only the package folder starts Pyodide cold and sends the
 * snapshot back, and this side caches it.
 */
export async function snapshotForSandbox(
  progress?: (line: string) => void,
): Promise<Uint8Array | null> {
  const cache = snapshotPath();
  const cached = cache ? await readSnapshot(cache) : null;
  if (cached || !cache) return cached;
  progress?.(COLD_START_NOTE);
  const dir = pyodideDir();
  const worker = new Worker(new URL("./python_snapshot_worker.ts", import.meta.url), {
    type: "module",
    name: "pxos python snapshot",
    deno: {
      permissions: {
        read: [dir],
        write: false,
        net: false,
        env: false,
        run: false,
        ffi: false,
        sys: false,
        import: false,
      },
    },
  });
  try {
    const snapshot = await new Promise<Uint8Array>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ snapshot?: Uint8Array; error?: string }>) =>
        e.data.snapshot ? resolve(e.data.snapshot) : reject(new Error(e.data.error));
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(e.message));
      };
      worker.postMessage({ dir });
    });
    await writeSnapshot(cache, snapshot).catch(() => {});
    return snapshot;
  } finally {
    worker.terminate();
  }
}

/**
 * Makes sure a current snapshot is cached, making it (slow, with `progress`) when it is not;
 * cheap when it is (the metadata and the file's size and time, no read). `pxos boot` calls this
 * before it starts the sandbox process, so a first boot's cold start does not count against the
 * guest's time limit there.
 */
export async function ensureSnapshotCached(progress?: (line: string) => void): Promise<void> {
  const cache = snapshotPath();
  if (!cache) return;
  try {
    const meta: SnapshotMeta = JSON.parse(await Deno.readTextFile(`${cache}.json`));
    const info = await Deno.stat(cache);
    if (
      meta.pyodide === PYODIDE_VERSION && meta.format === SNAPSHOT_FORMAT &&
      meta.prelude === await sha256(SNAPSHOT_PRELUDE) && meta.bytes === info.size &&
      meta.mtime === (info.mtime?.getTime() ?? -1)
    ) return;
  } catch {
    // missing or unreadable: made below
  }
  await snapshotForSandbox(progress);
}

/**
 * The Pyodide folder a sandboxed boot of `manifest` must be able to read, or `undefined` when the
 * cartridge does not run on the Python engine.
 */
export function pythonEngineDir(manifest: Pick<Manifest, "entry" | "engine">): string | undefined {
  // An unknown engine is reported by the Worker.
  return builtInEngineIdFor(manifest.entry, manifest.engine) === "python"
    ? pyodideDir()
    : undefined;
}

// The first start of `pxos run x.py`, `pxos compile x.py` or `pack --compile` is slow: say so.
setPythonRuntimeProvider(pythonRuntime({ progress: (line) => console.error(line.trimEnd()) }));
