/**
 * What the engine's module rewriting costs the guest's own code, apart from per-run set-up: the
 * bench guest's `_start` is timed on the original module and on the engine's two variants (fuel
 * off: the memory made a capped import; fuel on: also instrumented), each instantiated with the
 * same plain shim imports and called directly. Runs interleave; CPU-time medians (user + system).
 *
 *     deno run -A bench/wasm/compute.ts [runs=30]
 */
import process from "node:process";
import { ConsoleStdout, File, OpenFile, WASI, WASIProcExit } from "@bjorn3/browser_wasi_shim";
import { FUEL_EXPORT } from "../../src/engines/wasm/instrument.ts";
import { loadWasm, moduleFor } from "../../src/engines/wasm/loader.ts";
import { O0, O2 } from "./subjects.ts";

const runs = Number(Deno.args[0] ?? 30);
const WARMUP = 5;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds of CPU for one `_start` of `module` running `workload`. */
async function once(
  module: WebAssembly.Module,
  workload: string,
  memory: { module: string; name: string; min: number } | undefined,
  fuel: boolean,
): Promise<number> {
  const wasi = new WASI(["bench.wasm", workload], [], [
    new OpenFile(new File([])),
    new ConsoleStdout(() => {}),
    new ConsoleStdout(() => {}),
  ], { debug: false });
  const imports: Record<string, Record<string, unknown>> = {
    wasi_snapshot_preview1: wasi.wasiImport,
    pxos: { clock_monotonic: () => performance.now() },
  };
  let mem: WebAssembly.Memory | undefined;
  if (memory) {
    mem = new WebAssembly.Memory({ initial: memory.min, maximum: 16384 });
    imports[memory.module] = { ...imports[memory.module], [memory.name]: mem };
  }
  const instance = await WebAssembly.instantiate(module, imports as WebAssembly.Imports);
  if (fuel) (instance.exports[FUEL_EXPORT] as WebAssembly.Global).value = 10n ** 15n;
  wasi.inst = { exports: { memory: mem ?? instance.exports.memory } } as never;
  const t0 = cpuMs();
  try {
    (instance.exports._start as () => void)();
  } catch (e) {
    if (!(e instanceof WASIProcExit)) throw e;
  }
  return cpuMs() - t0;
}

console.log(`load before: ${Deno.loadavg().join(" ")}`);
for (
  const [name, bytes, workload] of [["fib(30) -O0", O0, "fib"], ["fib(30) -O2", O2, "fib"], [
    "loop 10M -O2",
    O2,
    "loop",
  ]] as const
) {
  const program = loadWasm(bytes, { path: "bench.wasm" });
  const memory = program.memory && { ...program.memory, min: program.memory.limits.min };
  const original = new WebAssembly.Module(bytes as BufferSource);
  const noFuel = moduleFor(program, { charge: false, profile: false });
  const fuel = moduleFor(program, { charge: true, profile: false });
  const variants = [
    () => once(original, workload, undefined, false),
    () => once(noFuel, workload, memory, false),
    () => once(fuel, workload, memory, true),
  ];
  const times: number[][] = [[], [], []];
  for (let i = 0; i < runs + WARMUP; i++) {
    for (let v = 0; v < 3; v++) {
      const ms = await variants[v]();
      if (i >= WARMUP) times[v].push(ms);
    }
  }
  const [b, n, f] = times.map(median);
  console.log(
    `${name.padEnd(14)} original ${b.toFixed(2)} ms | rewritten, no fuel ${n.toFixed(2)} ms ${
      (n / b).toFixed(2)
    }x | fuel ${f.toFixed(2)} ms ${(f / b).toFixed(2)}x`,
  );
}
console.log(`load after: ${Deno.loadavg().join(" ")}`);
