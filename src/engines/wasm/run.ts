/**
 * Running a loaded module: supply a memory capped at the run's limit, the WASI and `pxos`
 * imports, set the fuel counter, and call `_start` through JSPI (`WebAssembly.promising`) so
 * host calls may wait. Traps become `E_TRAP`, a spent counter `E_FUEL`; the host's `GuestExit`
 * goes through.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { GuestExit, type Host } from "../../host/host.ts";
import type { Limits } from "../../host/limits.ts";
import type { RunOptions, RunResult } from "../engine.ts";
import { runFrames } from "../frame_loop.ts";
import { FUEL_EXPORT, PROFILE_MODULE, START_EXPORT } from "./instrument.ts";
import { createFunctionProfiler, type ImportStats } from "./profile.ts";
import { moduleFor, PXOS_MODULE, WASI_MODULE, type WasmProgram } from "./loader.ts";
import { returnKit, type RunKit, takeKit } from "./run_kit.ts";
import { promising } from "./jspi.ts";

const PAGE = 65536;
/** wasm32's largest memory in pages (4 GiB). */
const MAX_PAGES = 65536;

/**
 * Runs `program` under `limits`.
 *
 * @param program the loaded module
 * @param host the run's host
 * @param limits fuel, deadline and memory
 * @param options trace, profile, argv/env/directories
 */
export async function runWasm(
  program: WasmProgram,
  host: Host,
  limits: Limits,
  options: RunOptions = {},
): Promise<RunResult> {
  const memory = createMemory(program, limits);
  const stats = new Map<string, ImportStats>();
  const deadline = performance.now() + limits.timeoutMs;
  const kit = takeKit(
    program,
    host,
    {
      args: [program.path.split("/").pop() ?? program.path, ...(options.args ?? [])],
      env: options.env ?? {},
      dirs: options.dirs ?? [],
      cartFiles: program.files,
      maxFileBytes: limits.memoryBytes,
    },
    options,
    stats,
    deadline,
  );
  try {
    return await runWith(kit, memory, program, limits, options, stats);
  } finally {
    returnKit(program, kit);
  }
}

/** The run itself, with its imports in place. */
async function runWith(
  kit: RunKit,
  memory: WebAssembly.Memory | undefined,
  program: WasmProgram,
  limits: Limits,
  options: RunOptions,
  stats: Map<string, ImportStats>,
): Promise<RunResult> {
  // `--flag fuel=false` runs the module without fuel counting (the deadline still applies).
  const charge = options.flags?.fuel !== false;
  const { wasi } = kit;
  const profiler = options.profile
    ? createFunctionProfiler(program.outline.funcTypes.length)
    : undefined;
  const imports: WebAssembly.Imports = {
    [WASI_MODULE]: kit.wasiImports,
    [PXOS_MODULE]: kit.pxosImports,
  };
  if (profiler) imports[PROFILE_MODULE] = profiler.imports;
  if (memory && program.memory) {
    const { module, name } = program.memory;
    imports[module] = { ...imports[module], [name]: memory };
  }
  let instance: WebAssembly.Instance;
  try {
    const module = moduleFor(program, { charge, profile: profiler !== undefined });
    instance = await WebAssembly.instantiate(module, imports);
  } catch (e) {
    throw asRunError(e, program, undefined, limits);
  }
  const exports = instance.exports;
  const instanceMemory = memory ??
    (exports.memory instanceof WebAssembly.Memory
      ? exports.memory
      : new WebAssembly.Memory({ initial: 0 }));
  wasi.bind(instanceMemory);
  kit.setMemory(instanceMemory);
  const fuel = exports[FUEL_EXPORT] as WebAssembly.Global;
  if (charge) fuel.value = BigInt(limits.fuel);
  let exitCode = 0;
  try {
    if (exports[START_EXPORT]) await promising(exports[START_EXPORT])();
    await promising(exports._start)();
    // The play entry: an exported `update`, called once per frame after `_start` returned.
    if (options.frameLoop && typeof exports.update === "function") {
      const update = promising(exports.update);
      await runFrames(options.frameLoop, async () => (await update(), true));
    }
  } catch (e) {
    await wasi.finish().catch(() => {});
    // proc_exit ends the run normally: it keeps its fuel count and profile.
    if (!(e instanceof GuestExit)) throw asRunError(e, program, fuel, limits);
    exitCode = e.exitCode;
  }
  await wasi.finish();
  const fuelUsed = charge ? limits.fuel - Number(fuel.value) : 0;
  const result: RunResult = { exitCode, fuelUsed };
  if (profiler) result.profile = profiler.sections(program.functionNames, stats);
  return result;
}

/** The run's memory: the module's own limits, its maximum lowered to the run's memory limit. */
function createMemory(program: WasmProgram, limits: Limits): WebAssembly.Memory | undefined {
  if (!program.memory) return undefined;
  const { min, max } = program.memory.limits;
  const limitPages = Math.min(MAX_PAGES, Math.floor(limits.memoryBytes / PAGE));
  if (min > limitPages) {
    throw new PxosError(
      "E_VERIFY",
      `${program.path}: memory section: declared minimum ${min} pages (${
        min * PAGE
      } bytes) is over the run's memory limit of ${limits.memoryBytes} bytes`,
      { file: program.path },
    );
  }
  return new WebAssembly.Memory({ initial: min, maximum: Math.min(max ?? MAX_PAGES, limitPages) });
}

/** Maps what escaped the guest onto the engine contract's errors. */
export function asRunError(
  e: unknown,
  program: WasmProgram,
  fuel: WebAssembly.Global | undefined,
  limits: Limits,
): unknown {
  if (e instanceof GuestExit || e instanceof PxosError) return e;
  if (fuel && Number(fuel.value) < 0) {
    return new PxosError(
      "E_FUEL",
      `${program.path}: out of fuel after ${limits.fuel} instructions`,
    );
  }
  const message = (e as Error)?.message ?? String(e);
  if (e instanceof WebAssembly.LinkError) {
    return new PxosError("E_VERIFY", `${program.path}: ${message}`, { file: program.path });
  }
  if (e instanceof RangeError && /call stack/i.test(message)) {
    return new PxosError("E_TRAP", `${program.path}: stack overflow (recursion too deep)`);
  }
  if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
    return new PxosError("E_TRAP", `${program.path}: trap: ${message}`);
  }
  return new PxosError("E_TRAP", `${program.path}: ${message}`);
}
