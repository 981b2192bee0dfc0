/**
 * A run's imports — the WASI bridge, the `pxos` functions, and both wrapped for the deadline
 * (and `--trace`/`--profile`) — kept per loaded program and handed to its next run. Building
 * them is most of what a run costs before the guest starts, and against a module that computes
 * for a few milliseconds that showed (issue 11 §4). What belongs to a run is not kept: each run
 * gets its own descriptors, argv, environment, host, memory and deadline (`WasiBridge.reuse`),
 * and a kit serves one run at a time (a second run at once builds its own). Runs with a trace or
 * profile build theirs each time.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { Host } from "../../host/host.ts";
import type { RunOptions } from "../engine.ts";
import { PXOS_MODULE, WASI_MODULE, type WasmProgram } from "./loader.ts";
import type { ImportStats } from "./profile.ts";
import { createPxosImports } from "./pxos_imports.ts";
import { createWasi, type WasiBridge, type WasiSetup } from "./wasi.ts";
import { suspending } from "./jspi.ts";

/** How many host calls pass between two looks at the deadline. */
const DEADLINE_EVERY = 64;

/** What the import functions read at each call: the current run's. */
interface KitState {
  host: Host;
  memory: WebAssembly.Memory | undefined;
  deadline: number;
  calls: number;
}

/** A run's import set. */
export interface RunKit {
  /** The WASI bridge (bind the memory before `_start`, finish after). */
  wasi: WasiBridge;
  /** The wrapped `wasi_snapshot_preview1` and `pxos` import objects. */
  wasiImports: WebAssembly.ModuleImports;
  pxosImports: WebAssembly.ModuleImports;
  /** Sets the guest's memory for the `pxos` functions (the instance's own, if not supplied). */
  setMemory(memory: WebAssembly.Memory): void;
}

interface Kit extends RunKit {
  state: KitState;
  spare: boolean;
}

/** Kits of finished plain runs, by program. */
const spareKits = new WeakMap<WasmProgram, Kit[]>();

/**
 * The import set for one run of `program`: a spare one made ready for this run, or a new one.
 * Give it back with {@link returnKit} when the run has ended.
 *
 * @param program the loaded module
 * @param host the run's host
 * @param setup argv, environment, directories, cartridge files
 * @param options trace and profile
 * @param stats per-import counts and times (filled when profiling)
 * @param deadline `performance.now()` past which a host call ends the run
 */
export function takeKit(
  program: WasmProgram,
  host: Host,
  setup: WasiSetup,
  options: RunOptions,
  stats: Map<string, ImportStats>,
  deadline: number,
): RunKit {
  const spare = !options.trace && !options.profile;
  const kit = spare ? spareKits.get(program)?.pop() : undefined;
  if (kit) {
    kit.wasi.reuse(host, setup);
    kit.state.host = host;
    kit.state.memory = undefined;
    kit.state.deadline = deadline;
    kit.state.calls = 0;
    return kit;
  }
  const used = importedNames(program);
  const state: KitState = { host, memory: undefined, deadline, calls: 0 };
  const wasi = createWasi(host, { ...setup, imports: used.wasi });
  const pxos = createPxosImports(() => state.host, () => state.memory!, used.pxos);
  const wrap = tracer(options, stats, state);
  const made: Kit = {
    wasi,
    wasiImports: importObject(WASI_MODULE, wasi, wrap, used.wasi),
    pxosImports: importObject(PXOS_MODULE, pxos, wrap, used.pxos),
    setMemory: (memory) => state.memory = memory,
    state,
    spare,
  };
  return made;
}

/** Takes back a kit whose run has ended (the guest no longer runs, nor waits on a call). */
export function returnKit(program: WasmProgram, given: RunKit): void {
  const kit = given as Kit;
  if (!kit.spare) return;
  kit.wasi.release();
  kit.state.memory = undefined;
  kit.state.host = undefined as never;
  const kits = spareKits.get(program) ?? [];
  kits.push(kit);
  spareKits.set(program, kits);
}

type Wrap = (module: string, name: string, fn: (...a: number[]) => unknown) => (
  ...a: number[]
) => unknown;

/** Per-import tracing, timing and the deadline check (every host call is a chance to stop). */
function tracer(options: RunOptions, stats: Map<string, ImportStats>, state: KitState): Wrap {
  const trace = options.trace;
  const profile = options.profile === true;
  // The clock is read every DEADLINE_EVERY calls (a host call costs little more than reading it).
  return (module, name, fn) => {
    const label = `${module}.${name}`;
    const wrapped = (...args: number[]) => {
      if (++state.calls % DEADLINE_EVERY === 0 && performance.now() > state.deadline) {
        throw new PxosError("E_TIMEOUT", `${label}: the run passed its deadline`);
      }
      if (!trace && !profile) return fn(...args);
      const t0 = profile ? performance.now() : 0;
      const done = (result: unknown) => {
        if (profile) {
          const s = stats.get(label) ?? { count: 0, timeMs: 0 };
          s.count++;
          s.timeMs += performance.now() - t0;
          stats.set(label, s);
        }
        trace?.(`${label}(${args.map(String).join(", ")}) -> ${String(result)}`);
        return result;
      };
      const result = fn(...args);
      return result instanceof Promise ? result.then(done) : done(result);
    };
    return wrapped;
  };
}

/** The function names a program imports from the WASI and `pxos` modules. */
interface ImportedNames {
  wasi: ReadonlySet<string>;
  pxos: ReadonlySet<string>;
}

/** Worked out at a program's first run and kept: every run of it imports the same. */
const importedNamesOf = new WeakMap<WasmProgram, ImportedNames>();

function importedNames(program: WasmProgram): ImportedNames {
  let names = importedNamesOf.get(program);
  if (!names) {
    const of = (module: string) =>
      new Set(program.outline.imports.filter((i) => i.module === module).map((i) => i.name));
    names = { wasi: of(WASI_MODULE), pxos: of(PXOS_MODULE) };
    importedNamesOf.set(program, names);
  }
  return names;
}

/**
 * The import object of one module: wrapped functions, those that may wait through JSPI. Only
 * what the module imports is wrapped (the tables have ~150 functions; a module uses a few).
 */
function importObject(
  module: string,
  source: {
    imports: Record<string, (...a: number[]) => unknown>;
    suspending: ReadonlySet<string>;
  },
  wrap: Wrap,
  used: ReadonlySet<string>,
): WebAssembly.ModuleImports {
  const out: WebAssembly.ModuleImports = {};
  for (const name of used) {
    if (!Object.hasOwn(source.imports, name)) continue;
    const wrapped = wrap(module, name, source.imports[name]);
    out[name] = source.suspending.has(name) ? suspending(wrapped) : wrapped;
  }
  return out;
}
