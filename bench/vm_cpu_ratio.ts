/**
 * PixelVM and pxVM against plain JavaScript in *CPU time of the main thread*, for a machine
 * shared with other work: wall-clock benches there measure the scheduler as much as the code,
 * while the thread's own CPU time (Linux `/proc/thread-self/stat`, 10 ms ticks) does not count
 * the time it waited. Each group alternates blocks of plain-JS runs and VM runs (each block
 * ≥ 300 ms of CPU), and prints the median of the per-round ratios, with the fastest wall-clock
 * run of each side for comparison. The programs are the ones `bench/pixelvm_bench.ts` and
 * `bench/pxvm_bench.ts` time.
 *
 *   deno run -A bench/vm_cpu_ratio.ts [rounds] [group filter]    (reading /proc needs -A)
 */
import { assemblePxasm } from "../src/engines/pixelvm/assembler.ts";
import { loadPixelProgram } from "../src/engines/pixelvm/engine.ts";
import * as pixel from "../src/engines/pixelvm/example_programs.ts";
import { execute } from "../src/engines/pixelvm/vm.ts";
import { assemblePxvm } from "../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../src/engines/pxvm/engine.ts";
import * as px from "../src/engines/pxvm/example_programs.ts";
import { createHost } from "../src/host/host.ts";
import { cpuModel, median, threadCpuMs } from "./cpu_time.ts";

const ROUNDS = Number(Deno.args[0] ?? 7);
const FILTER = Deno.args[1] ?? "";
const BLOCK_MS = 300;
const LIMITS = { fuel: 1e12, timeoutMs: 600_000, memoryBytes: 64 << 20, outputBytes: 1 << 30 };

let printed = "";
const host = createHost({ stdout: (t) => (printed += t) });

interface Group {
  name: string;
  js: () => number;
  vm: () => Promise<void>;
}

function pixelGroup(name: string, source: string, js: () => number): Group {
  const program = loadPixelProgram(assemblePxasm(source), { path: "bench.pxi" });
  return {
    name: `PixelVM ${name}`,
    js,
    vm: async () => void (await execute(program, host, LIMITS)),
  };
}

function pxvmGroup(name: string, source: string, js: () => number): Group {
  const program = pxvmEngine.load(assemblePxvm(source), { path: "bench.pxvm" });
  return {
    name: `pxVM ${name}`,
    js,
    vm: async () => void (await pxvmEngine.run(program, host, LIMITS)),
  };
}

const sieveFlags = new Uint8Array(px.SIEVE_MAX);
const pixelSieve = new Uint8Array(1e6); // both sides reuse their memory, clearing it per run
const GROUPS: Group[] = [
  pixelGroup("10M loop", pixel.loopProgram(1e7), () => pixel.loopJs(1e7)),
  pixelGroup("sieve(1e6)", pixel.sieveProgram(1e6), () => pixel.sieveJs(1e6, pixelSieve)),
  pixelGroup("fib(30)", pixel.fibProgram(30), () => pixel.fibJs(30)),
  pxvmGroup("10M loop", px.loopProgram(1e7), () => px.loopJs(1e7)),
  pxvmGroup(
    "sieve(28000) x40",
    px.sieveProgram(28000, 40),
    () => px.sieveJs(28000, 40, sieveFlags),
  ),
  pxvmGroup("fib(30)", px.fibProgram(30), () => px.fibJs(30)),
];

/** Runs `fn` `times` times; returns CPU ms per run and the fastest wall-clock run. */
async function block(fn: () => unknown, times: number): Promise<[number, number]> {
  let fastest = Infinity;
  const cpu0 = threadCpuMs();
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return [(threadCpuMs() - cpu0) / times, fastest];
}

console.log(`CPU: ${cpuModel()}; load average: ${Deno.loadavg().join(", ")}; rounds: ${ROUNDS}`);
console.log("| group | VM ÷ JS, CPU time: median (range) | fastest wall-clock run: VM ÷ JS |");
console.log("| --- | --- | --- |");
for (const g of GROUPS.filter((g) => g.name.includes(FILTER))) {
  // Same answer on both sides, then a warm-up; each side's block is sized from its warm runs.
  printed = "";
  await g.vm();
  if (printed.trim() !== String(g.js())) throw new Error(`${g.name}: VM printed ${printed}`);
  for (let i = 0; i < 5; i++) await g.vm(), g.js();
  const [, warmJs] = await block(g.js, 3);
  const [, warmVm] = await block(g.vm, 3);
  const timesJs = Math.max(3, Math.ceil(BLOCK_MS / Math.max(0.01, warmJs)));
  const timesVm = Math.max(3, Math.ceil(BLOCK_MS / Math.max(0.01, warmVm)));
  const ratios: number[] = [];
  let fastJs = Infinity, fastVm = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const [js, wallJs] = await block(g.js, timesJs);
    const [vm, wallVm] = await block(g.vm, timesVm);
    fastJs = Math.min(fastJs, wallJs);
    fastVm = Math.min(fastVm, wallVm);
    if (js > 0) ratios.push(vm / js);
  }
  const range = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  console.log(
    `| ${g.name} | **${median(ratios).toFixed(2)}×** (${range}) | ${
      (fastVm / fastJs).toFixed(2)
    }× |`,
  );
}
console.log(`load average after: ${Deno.loadavg().join(", ")}`);
