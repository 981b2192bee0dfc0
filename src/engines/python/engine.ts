/**
 * The Python engine: `.pyc` bytecode and `.py` source run by CPython 3.14 compiled to
 * WebAssembly (Pyodide), with the seed's archive-first import chain (see `prelude_import.ts`)
 * and a sandbox that maps the guest's I/O onto the host table (see `prelude_sandbox.ts`).
 *
 * Flags (`RunOptions.flags`): `fuel: true` counts executed bytecode instructions against the
 * fuel limit with `sys.monitoring` (slow); without it (and without a fuel limit below the
 * default) only the deadline stops a runaway guest.
 *
 * @module
 */
import { PxosError, type PxosErrorCode } from "../../errors.ts";
import type { Host } from "../../host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../host/limits.ts";
import type {
  CompiledFile,
  Engine,
  ProfileSection,
  RunOptions,
  RunResult,
  SourceInfo,
} from "../engine.ts";
import { runFrames } from "../frame_loop.ts";
import { capMemory, deadlineBuffer, makeHostcall, sleeper, withoutPrototype } from "./bridge.ts";
import { mountCart } from "./cart_fs.ts";
import { type MountableFs, mountHost } from "./host_mount.ts";
import { syncHostCall } from "./host_calls_sync.ts";
import type { EmscriptenFs } from "./cart_fs.ts";
import { acquireInterpreter, type Interpreter, loadedInterpreter } from "./interpreter.ts";
import { checkPycHeader } from "./pyc.ts";
import type { GuestSystem } from "./system_imports.ts";
import { checkPythonRequirements, IMPORT_ROOTS, readPythonRequirements } from "./requirements.ts";

/** A loaded Python program: the cartridge and its entry (verified in the engine's interpreter). */
export interface PythonProgram {
  /** Every file of the cartridge, by archive path. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Archive path of the entry module. */
  readonly entry: string;
}

/** The interpreter each program was verified in (kept out of the public type). */
const interpreters = new WeakMap<PythonProgram, Interpreter>();

/** Which load each program is: the code objects verified at load serve a run of that load. */
const loadIds = new WeakMap<PythonProgram, number>();
let nextLoadId = 1;

/** The interpreter of a program this engine loaded. */
function interpreterOf(program: PythonProgram): Interpreter {
  const interpreter = interpreters.get(program);
  if (!interpreter) {
    throw new PxosError("E_ENGINE", "expected a program loaded by pythonEngine.load");
  }
  return interpreter;
}

const CART = "/cart";

/** The outcome `run` and `frame` in the sandbox prelude answer with. */
interface Outcome {
  exit?: number;
  /** The program exited (`sys.exit`): no more frames. */
  ended?: boolean;
  /** The main part defined a top-level `update()` (frames may follow). */
  update?: boolean;
  error?: string;
  message?: string;
  file?: string | null;
  line?: number | null;
}

/** Mounts `files` at `/cart` (replacing an earlier mount), reading through `read`. */
function mount(
  interpreter: Interpreter,
  files: ReadonlyMap<string, Uint8Array>,
  read: (path: string) => Uint8Array,
): void {
  interpreter.unmountCart?.();
  interpreter.unmountCart = mountCart(
    interpreter.py.FS as unknown as EmscriptenFs,
    CART,
    files.keys(),
    (path) => files.get(path)?.length ?? 0,
    read,
  );
}

/** The interpreter's linear memory (what the memory caps watch). */
function memoryOf(interpreter: Interpreter): Parameters<typeof capMemory>[0] {
  return (interpreter.py as unknown as { _module: { memory: Parameters<typeof capMemory>[0] } })
    ._module.memory;
}

/** Turns a Python-side failure into a `PxosError` with the archive path and line. */
function outcomeError(outcome: Outcome): PxosError {
  const file = outcome.file ? outcome.file.replace(/^\/cart\//, "") : undefined;
  const code = (outcome.error ?? "E_TRAP") as PxosErrorCode;
  return new PxosError(code, outcome.message ?? "the Python program failed", {
    file,
    line: outcome.line ?? undefined,
  });
}

/**
 * Calls a prelude function through `checked`, so refusals come back as values and become
 * `PxosError`s here; a JavaScript exception means the interpreter crashed (see `contained`).
 */
function callChecked(interpreter: Interpreter, name: string, ...args: unknown[]): unknown {
  const pair = interpreter.imports.checked(interpreter.imports[name], ...args);
  const [value, error] = pair.toJs({ create_pyproxies: false }) as [unknown, string | null];
  pair.destroy();
  if (error) throw outcomeError(JSON.parse(error));
  return value;
}

/**
 * The Python engine.
 *
 * @example
 * ```ts ignore
 * import { createHost, DEFAULT_LIMITS, pythonEngine } from "@pxos/core";
 * const files = new Map([["main.py", new TextEncoder().encode("print('hi')\n")]]);
 * const program = await pythonEngine.load(files.get("main.py")!, { path: "main.py", files });
 * await pythonEngine.run(program, createHost({ stdout: (t) => console.log(t) }), DEFAULT_LIMITS);
 * ```
 */
export const pythonEngine: Engine<PythonProgram> & {
  prepare(): Promise<void>;
  compile(source: Uint8Array, info: SourceInfo): CompiledFile;
  disassemble(bytes: Uint8Array, info: SourceInfo): Promise<string>;
} = {
  id: "python",
  extensions: [".pyc"],
  sourceExtensions: [".py"],
  async load(bytes, source) {
    const interpreter = await acquireInterpreter();
    return await contained(interpreter, () => loadProgram(interpreter, bytes, source));
  },
  async run(program, host, limits, options) {
    const interpreter = interpreterOf(program);
    return await contained(
      interpreter,
      () => runLoaded(interpreter, program, host, limits, options),
    );
  },
  async prepare() {
    await acquireInterpreter();
  },
  disassemble: disassemblePyc,
  compile(source, info) {
    const interpreter = loadedInterpreter();
    if (!interpreter) {
      throw new PxosError(
        "E_ENGINE",
        "the Python compiler is not loaded: await pythonEngine.prepare() before compile",
      );
    }
    try {
      return compilePython(interpreter, source, info);
    } catch (e) {
      throw crashed(interpreter, e);
    }
  },
};

/**
 * Runs an engine step; anything but a `PxosError` coming out of it means the interpreter broke
 * (a WebAssembly trap, Pyodide's fatal error), so it is marked dead and replaced next time.
 */
async function contained<T>(interpreter: Interpreter, step: () => Promise<T> | T): Promise<T> {
  try {
    const value = await step();
    if (!interpreter.dead) return value;
    throw new Error("Pyodide reported a fatal error");
  } catch (e) {
    throw crashed(interpreter, e);
  }
}

/** The error to throw for `e`: a `PxosError` passes; anything else marks the interpreter dead. */
function crashed(interpreter: Interpreter, e: unknown): PxosError {
  if (e instanceof PxosError && !interpreter.dead) return e;
  interpreter.dead = true;
  return e instanceof PxosError ? e : new PxosError(
    "E_TRAP",
    `the Python interpreter crashed (${(e as Error).message?.split("\n")[0]}); ` +
      "it is replaced for the next run",
    { cause: e },
  );
}

function loadProgram(
  interpreter: Interpreter,
  bytes: Uint8Array,
  source: SourceInfo,
): PythonProgram {
  const files = new Map(source.files ?? []);
  if (!files.has(source.path)) files.set(source.path, bytes);
  for (const [path, data] of files) if (path.endsWith(".pyc")) checkPycHeader(data, path);
  const name = source.path;
  checkPythonRequirements(
    readPythonRequirements(files),
    files,
    (module) => callChecked(interpreter, "has_module", module) === true,
    name,
  );
  mount(interpreter, files, (path) => files.get(path) ?? new Uint8Array(0));
  const paths = interpreter.py.toPy([...files.keys()]);
  const loadId = nextLoadId++;
  // A mutated .pyc can claim a huge list or tuple (marshal allocates it before reading items):
  // verification runs under the default memory cap, so that is a MemoryError, not a growth.
  const uncap = capMemory(memoryOf(interpreter), DEFAULT_LIMITS.memoryBytes);
  try {
    callChecked(interpreter, "verify_all", paths, loadId);
  } finally {
    uncap();
    paths.destroy();
  }
  const program: PythonProgram = { files, entry: source.path };
  interpreters.set(program, interpreter);
  loadIds.set(program, loadId);
  return program;
}

async function runLoaded(
  interpreter: Interpreter,
  program: PythonProgram,
  host: Host,
  limits: Limits,
  options: RunOptions | undefined,
): Promise<RunResult> {
  const { files } = program;
  if (interpreter.dead) throw new PxosError("E_TRAP", "the Python interpreter crashed earlier");
  const { py } = interpreter;
  mount(interpreter, files, (path) => {
    let data;
    try {
      data = host.invoke("cart.read", [path]);
    } catch (e) {
      // `pxos run x.py` compiles the entry in memory: the host's files are the folder's.
      if (path !== program.entry) throw e;
      data = files.get(path);
    }
    if (!(data instanceof Uint8Array)) throw new Error(`cart.read ${path}: not bytes`);
    return data;
  });
  // Host folders are mounted per run, after the snapshot was restored (never part of it).
  await host.prepareSync?.();
  const unmountHost = mountHost(
    py.FS as unknown as MountableFs,
    syncHostCall(host),
    limits.memoryBytes,
  );
  const askedFuel = options?.flags?.fuel === true || limits.fuel < DEFAULT_LIMITS.fuel;
  const paths = py.toPy([program.entry, ...[...files.keys()].filter((p) => p !== program.entry)]);
  const roots = py.toPy([...IMPORT_ROOTS]);
  py.setInterruptBuffer(
    deadlineBuffer(performance.now() + limits.timeoutMs) as unknown as Int32Array,
  );
  const uncap = capMemory(memoryOf(interpreter), limits.memoryBytes);
  let outcome: Outcome = {};
  let fuelUsed = 0;
  let profile: ProfileSection[] | undefined;
  try {
    interpreter.system.guest = guestSystem(host);
    interpreter.imports.use_verified(loadIds.get(program));
    interpreter.sandbox.begin(
      makeHostcall(host),
      sleeper,
      paths,
      roots,
      askedFuel ? limits.fuel : 0,
    );
    if (options?.trace || options?.profile) {
      interpreter.sandbox.watch(
        options.trace
          ? withoutPrototype((line: string) => options.trace!(String(line)))
          : undefined,
        options.profile ? withoutPrototype(() => performance.now()) : undefined,
      );
    }
    outcome = JSON.parse(await interpreter.sandbox.run.callPromising(program.entry));
    const loop = options?.frameLoop;
    if (loop && outcome.update) {
      await runFrames(loop, async () => {
        const frame = JSON.parse(await interpreter.sandbox.frame.callPromising()) as Outcome;
        if (frame.error || frame.ended) outcome = frame;
        return !frame.error && !frame.ended;
      });
    }
  } finally {
    try {
      if (!interpreter.dead) { // a crashed interpreter answers nothing more (it is replaced)
        if (options?.trace || options?.profile) {
          const rows = JSON.parse(interpreter.sandbox.profile_rows()) as [string, number, number][];
          if (options.profile) profile = [profileSection(rows)];
        }
        fuelUsed = Number(interpreter.sandbox.finish());
      }
    } finally {
      interpreter.system.guest = undefined;
      py.setInterruptBuffer(undefined as unknown as Int32Array);
      uncap();
      paths.destroy();
      roots.destroy();
      unmountHost();
      interpreter.unmountCart?.();
      interpreter.unmountCart = undefined;
    }
  }
  if (outcome.error === "E_TIMEOUT") {
    outcome.message = `the program ran past its ${limits.timeoutMs} ms limit (stopped with ` +
      "KeyboardInterrupt)";
  }
  if (outcome.error === "E_MEMORY") {
    outcome.message = `${outcome.message}: over the run's ${limits.memoryBytes}-byte memory limit`;
  }
  if (outcome.error) throw outcomeError(outcome);
  return { exitCode: outcome.exit ?? 0, fuelUsed, ...(profile ? { profile } : {}) };
}

/**
 * The run's clock and randomness for the interpreter's imports: the host's calls (virtual and
 * seeded unless granted). They are called from inside WebAssembly, where a JavaScript exception
 * would be fatal to the interpreter, so a failing call answers 0 (the host's clock and random
 * calls do not fail; this is a guard).
 */
function guestSystem(host: Host): GuestSystem {
  const number = (name: string) => {
    try {
      return Number(host.invoke(name, []));
    } catch {
      return 0;
    }
  };
  return {
    now: () => number("clock.now"),
    monotonic: () => number("clock.monotonic"),
    fill(bytes) {
      for (let at = 0; at < bytes.length; at += 65536) {
        const chunk = bytes.subarray(at, at + 65536);
        try {
          const random = host.invoke("random.bytes", [chunk.length]);
          chunk.set(random instanceof Uint8Array ? random.subarray(0, chunk.length) : []);
        } catch {
          chunk.fill(0);
        }
      }
    },
  };
}

/** `--profile`: calls and time per cartridge function, most time first. */
function profileSection(rows: [string, number, number][]): ProfileSection {
  return {
    title: "functions",
    rows: rows.map(([name, count, timeMs]) => ({ name, count, timeMs })),
  };
}

/** `pxos disasm x.pyc`: the header checked, the code verified, then CPython's `dis` listing. */
async function disassemblePyc(bytes: Uint8Array, info: SourceInfo): Promise<string> {
  checkPycHeader(bytes, info.path);
  const interpreter = await acquireInterpreter();
  return await contained(interpreter, () => {
    const data = interpreter.py.toPy(bytes);
    const uncap = capMemory(memoryOf(interpreter), DEFAULT_LIMITS.memoryBytes);
    try {
      return String(callChecked(interpreter, "disassemble", data, info.path));
    } finally {
      uncap();
      data.destroy();
    }
  });
}

function compilePython(
  interpreter: Interpreter,
  source: Uint8Array,
  info: SourceInfo,
): CompiledFile {
  const path = info.path.startsWith("/") ? info.path.split("/").pop()! : info.path;
  const data = interpreter.py.toPy(source);
  try {
    const bytes = callChecked(interpreter, "compile_pyc", data, `${CART}/${path}`) as Uint8Array;
    return { path: info.path.replace(/\.py$/i, "") + ".pyc", bytes, keepSource: true };
  } finally {
    data.destroy();
  }
}
