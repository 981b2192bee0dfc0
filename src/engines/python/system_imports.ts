/**
 * The interpreter's clock, time zone and randomness, taken over where CPython reads them: at the
 * WebAssembly imports Pyodide gives its module (`clock_time_get`, `emscripten_date_now`,
 * `emscripten_get_now`, `random_get`, `_localtime_js`, `_mktime_js`). While a run is on, they
 * answer from that run's host (`clock.now`, `clock.monotonic`, `random.bytes`: virtual and seeded
 * unless granted), so `time.time()`, `time.monotonic()`, `datetime.now()`, `date.today()`,
 * `time.localtime()`, `os.urandom`, `secrets` and `uuid.uuid4()` all follow the host, whatever
 * Python module they come through. Local time is always UTC in a run (the sandbox has no time
 * zone), so a run repeats on any machine. Between runs (Pyodide's own start-up) the real ones
 * answer.
 *
 * @module
 */

/** What a run's guest sees as its machine: the host's clock and randomness. */
export interface GuestSystem {
  /** Wall clock, ms since the Unix epoch (`clock.now`). */
  now(): number;
  /** Monotonic clock in ms (`clock.monotonic`). */
  monotonic(): number;
  /** Fills `bytes` with random bytes (`random.bytes`). */
  fill(bytes: Uint8Array): void;
}

type ImportFunction = (...args: never[]) => unknown;
type ImportModule = Record<string, unknown>;

/** The hooked imports of one interpreter; `guest` is set for the length of a run. */
export class SystemImports {
  /** The run's machine, or `undefined` between runs. */
  guest: GuestSystem | undefined;
  #memory: WebAssembly.Memory | undefined;

  /** Whether {@link hook} found Pyodide's imports and its memory. */
  get hooked(): boolean {
    return this.#memory !== undefined;
  }

  #view(): DataView {
    return new DataView(this.#memory!.buffer);
  }

  /** Replaces the clock, time-zone and random imports in `imports` (Pyodide's import object). */
  hook(imports: Record<string, ImportModule>): void {
    const env = imports.env;
    const wasi = imports.wasi_snapshot_preview1;
    const original = (module: ImportModule, name: string) => {
      const f = module[name];
      if (typeof f !== "function") {
        throw new Error(`expected Pyodide's WebAssembly import ${name}`);
      }
      return f as ImportFunction;
    };
    const dateNow = original(env, "emscripten_date_now") as () => number;
    const getNow = original(env, "emscripten_get_now") as () => number;
    const clockTimeGet = original(wasi, "clock_time_get") as (
      id: number,
      precision: bigint,
      at: number,
    ) => number;
    const randomGet = original(wasi, "random_get") as (at: number, size: number) => number;
    const localtime = original(env, "_localtime_js") as (time: bigint, at: number) => void;
    const gmtime = original(env, "_gmtime_js") as (time: bigint, at: number) => void;
    const mktime = original(env, "_mktime_js") as (at: number) => bigint;
    const timegm = original(env, "_timegm_js") as (at: number) => bigint;
    env.emscripten_date_now = () => this.guest ? this.guest.now() : dateNow();
    env.emscripten_get_now = () => this.guest ? this.guest.monotonic() : getNow();
    wasi.clock_time_get = (id: number, precision: bigint, at: number) => {
      const guest = this.guest;
      // 0 realtime; 1 monotonic, 2 process and 3 thread CPU time: all virtual in a run.
      if (!guest || id < 0 || id > 3) return clockTimeGet(id, precision, at);
      const ms = id === 0 ? guest.now() : guest.monotonic();
      this.#view().setBigUint64(at >>> 0, BigInt(Math.round(ms * 1e6)), true);
      return 0;
    };
    wasi.random_get = (at: number, size: number) => {
      const guest = this.guest;
      if (!guest) return randomGet(at, size);
      guest.fill(new Uint8Array(this.#memory!.buffer, at >>> 0, size >>> 0));
      return 0;
    };
    // struct tm: tm_isdst at byte 32, tm_gmtoff at byte 36.
    env._localtime_js = (time: bigint, at: number) => {
      if (!this.guest) return localtime(time, at);
      gmtime(time, at);
      this.#view().setInt32((at >>> 0) + 32, 0, true);
      this.#view().setInt32((at >>> 0) + 36, 0, true);
    };
    env._mktime_js = (at: number) => {
      if (!this.guest) return mktime(at);
      const time = timegm(at);
      this.#view().setInt32((at >>> 0) + 32, 0, true);
      return time;
    };
  }

  /** Notes the instance's memory (its `memory` export), which the hooks write results into. */
  attach(instance: WebAssembly.Instance): void {
    const memory = instance.exports.memory;
    if (memory instanceof WebAssembly.Memory) this.#memory = memory;
  }
}

/** Whether an import object is Pyodide's (the one module these hooks are for). */
function isPyodideImports(imports: unknown): imports is Record<string, ImportModule> {
  const object = imports as Record<string, ImportModule> | undefined;
  return typeof object?.env?._localtime_js === "function" &&
    typeof object?.wasi_snapshot_preview1?.clock_time_get === "function";
}

/**
 * Runs `load` (which loads Pyodide) with `WebAssembly.instantiate`/`instantiateStreaming`
 * wrapped, so Pyodide's import object passes through {@link SystemImports.hook}. Other modules
 * instantiated meanwhile pass unchanged; the originals are back when `load` settles.
 */
export async function withSystemImports<T>(
  system: SystemImports,
  load: () => Promise<T>,
): Promise<T> {
  const wasm = WebAssembly as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const saved = { instantiate: wasm.instantiate, instantiateStreaming: wasm.instantiateStreaming };
  const wrap = (name: keyof typeof saved) => (source: unknown, imports?: unknown) => {
    if (!isPyodideImports(imports)) return saved[name].call(WebAssembly, source, imports);
    system.hook(imports);
    return saved[name].call(WebAssembly, source, imports).then((result) => {
      const instance = result instanceof WebAssembly.Instance
        ? result
        : (result as WebAssembly.WebAssemblyInstantiatedSource).instance;
      system.attach(instance);
      return result;
    });
  };
  wasm.instantiate = wrap("instantiate");
  wasm.instantiateStreaming = wrap("instantiateStreaming");
  try {
    return await load();
  } finally {
    wasm.instantiate = saved.instantiate;
    wasm.instantiateStreaming = saved.instantiateStreaming;
  }
}
