/**
 * One CPython (Pyodide) interpreter with the pxOS preludes installed, shared by the runs of this
 * thread. The engine never loads Pyodide itself: where its files are and how they are read (and
 * the start-up snapshot cache) belong to the boot layer, which installs a
 * {@link PythonRuntimeProvider} before anything runs (engines do no I/O).
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { HOST_CALLS } from "../../host/calls.ts";
import { PRELUDE_IMPORT } from "./prelude_import.ts";
import { PRELUDE_SANDBOX } from "./prelude_sandbox.ts";
import { SystemImports, withSystemImports } from "./system_imports.ts";

/**
 * The parts of a Pyodide instance (what `loadPyodide` resolves to) the engine uses. Values from
 * Python are Pyodide proxies, typed loosely here.
 */
export interface PyodideInstance {
  /** Runs Python source in the instance's `__main__`. */
  // deno-lint-ignore no-explicit-any
  runPython(code: string): any;
  /** The `__main__` namespace. */
  // deno-lint-ignore no-explicit-any
  readonly globals: { get(name: string): any; has(name: string): boolean };
  /** Converts a JavaScript value to a Python one. */
  // deno-lint-ignore no-explicit-any
  toPy(value: unknown): any;
  /** Emscripten's file system. */
  readonly FS: unknown;
  /** Where Python looks for a pending SIGINT. */
  setInterruptBuffer(buffer: Int32Array): void;
}

/** Loads fresh Pyodide interpreters; installed by the boot layer. */
export interface PythonRuntimeProvider {
  /** Loads a fresh interpreter with `jsglobals` empty (no `js` module contents). */
  load(): Promise<PyodideInstance>;
}

// deno-lint-ignore no-explicit-any
type PyCallable = any;

/** An interpreter with the preludes installed. */
export interface Interpreter {
  /** The Pyodide instance (never handed to guest code). */
  readonly py: PyodideInstance;
  /** `_pxos_imports()`: the cartridge finder, `run_entry`, `verify_all`. */
  readonly imports: PyCallable;
  /** `_pxos_sandbox(...)`: `begin` and `run`. */
  readonly sandbox: PyCallable;
  /** Its clock, time-zone and random imports, answered by the running guest's host. */
  readonly system: SystemImports;
  /** Set when the interpreter crashed (a WebAssembly trap); it is then replaced. */
  dead: boolean;
  /** Unmounts the cartridge currently mounted at `/cart`, if any. */
  unmountCart?: () => void;
}

/** The host-call table as the sandbox prelude's `pxos` module reads it. */
const TABLE_JSON = JSON.stringify(HOST_CALLS.map(({ name, args, doc }) => ({ name, args, doc })));

/**
 * What runs before a start-up snapshot is taken: the standard-library modules the preludes use
 * (importing them is most of the preludes' cost), the preludes' definitions, and the calls that
 * build the import chain and the sandbox (`_pxos_ready`). Nothing here holds a JavaScript value:
 * the per-run parts (the bridge function, the sleeper) arrive with each run's `begin`. Restoring
 * the snapshot skips all of it; only `seal` (which must follow Pyodide's own start-up imports)
 * runs per interpreter. The host table is part of the text, so a changed table makes older
 * snapshots stale.
 */
export const SNAPSHOT_PRELUDE: string =
  "import builtins, dis, email.message, importlib.resources.readers, importlib.util, io, json, " +
  "marshal, os, random, shutil, stat, sys, time, traceback, types, urllib.error, urllib.request, " +
  "zlib\n" +
  `${PRELUDE_IMPORT}\n${PRELUDE_SANDBOX}\n` +
  `_pxos_imports = _pxos_imports()\n` +
  `_pxos_ready = (_pxos_imports, _pxos_sandbox(_pxos_imports, ${JSON.stringify(TABLE_JSON)}))\n` +
  "del _pxos_imports, _pxos_sandbox\n";

/** Emscripten's errno for "permission denied". */
const EACCES = 2;

/**
 * Emscripten gives Python sockets backed by JavaScript WebSockets, which would reach the network
 * without the host's checks. Every socket is refused (`PermissionError`); HTTP goes through
 * `urllib` and the host's `net.fetch`.
 */
function closeSockets(py: PyodideInstance): void {
  const module = (py as unknown as { _module: { SOCKFS: { createSocket: () => never } } })._module;
  const fs = py.FS as { ErrnoError: new (errno: number) => Error };
  module.SOCKFS.createSocket = () => {
    throw new fs.ErrnoError(EACCES);
  };
}

let provider: PythonRuntimeProvider | undefined;
let current: Promise<Interpreter> | undefined;
let ready: Interpreter | undefined;

/**
 * Installs the function that loads Pyodide (the boot layer does this; tests and embedders may
 * install their own). Interpreters loaded before stay in use until they crash.
 *
 * @example
 * ```ts ignore
 * import { setPythonRuntimeProvider } from "@pxos/core";
 * import { loadPyodide } from "pyodide";
 * setPythonRuntimeProvider({ load: () => loadPyodide({ jsglobals: {} }) });
 * ```
 */
export function setPythonRuntimeProvider(next: PythonRuntimeProvider): void {
  provider = next;
}

/** The shared interpreter, loading (or replacing a crashed) one when needed. */
export async function acquireInterpreter(): Promise<Interpreter> {
  if (current) {
    const existing = await current.catch(() => undefined);
    if (existing && !existing.dead) return existing;
  }
  current = createInterpreter();
  ready = await current;
  return ready;
}

/** The shared interpreter if one is loaded and alive (for synchronous callers). */
export function loadedInterpreter(): Interpreter | undefined {
  return ready && !ready.dead ? ready : undefined;
}

async function createInterpreter(): Promise<Interpreter> {
  if (!provider) {
    throw new PxosError(
      "E_ENGINE",
      "the Python engine has no Pyodide runtime: boot through pxOS (src/boot installs one) " +
        "or call setPythonRuntimeProvider first",
    );
  }
  const system = new SystemImports();
  const load = provider.load.bind(provider);
  const py = await withSystemImports(system, load);
  if (!system.hooked) {
    throw new PxosError(
      "E_ENGINE",
      "expected Pyodide to instantiate its WebAssembly module through WebAssembly.instantiate " +
        "(its clock and randomness imports must answer from the host); it did not",
    );
  }
  if (!py.globals.has("_pxos_ready")) py.runPython(SNAPSHOT_PRELUDE);
  const ready = py.globals.get("_pxos_ready");
  const imports = ready.get(0);
  const sandbox = ready.get(1);
  ready.destroy();
  py.runPython("del _pxos_ready");
  imports.seal();
  const interpreter: Interpreter = { py, imports, sandbox, system, dead: false };
  closeSockets(py);
  // A WebAssembly trap (e.g. bytecode that passed verification but corrupts the interpreter)
  // is "fatal" to Pyodide: every later call throws. Note it, so the next run gets a fresh one.
  const api = (py as unknown as { _api: { fatal_error: (e: unknown) => unknown } })._api;
  const fatal = api.fatal_error;
  api.fatal_error = (e: unknown) => {
    interpreter.dead = true;
    return fatal(e);
  };
  return interpreter;
}
