/**
 * Medians of the wasm benchmark groups, subjects interleaved (bare, no fuel, fuel, then the next
 * round starting one further along) so load changes hit all three alike. A run's after-effects
 * (collecting its memory and garbage) land on the run that follows, so each measured run follows
 * an unmeasured run of the same subject: no subject pays for another. Each run is timed twice:
 * wall clock, and the process's CPU time (user + system, all threads), which a shared, loaded
 * machine disturbs less. Prints each group's medians and ratios to bare, and the load average.
 *
 *     deno run -A bench/wasm/ratios.ts [runs=15] [group-name-filters, comma-separated]
 */
import process from "node:process";
import { bare, GROUPS, pxos } from "./subjects.ts";

const runs = Number(Deno.args[0] ?? 15);
const filters = (Deno.args[1] ?? "").split(",");
const WARMUP = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const load = () => Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
console.log(`load before: ${load()}`);
for (const [name, bytes, workload] of GROUPS) {
  if (!filters.some((f) => name.includes(f))) continue;
  const subjects = [
    bare(bytes, workload),
    pxos(bytes, workload, false),
    pxos(bytes, workload, true),
  ];
  const wall: number[][] = [[], [], []];
  const cpu: number[][] = [[], [], []];
  for (let i = 0; i < runs + WARMUP; i++) {
    for (let k = 0; k < subjects.length; k++) {
      const s = (i + k) % subjects.length;
      await subjects[s]();
      const w0 = performance.now();
      const c0 = cpuMs();
      await subjects[s]();
      if (i < WARMUP) continue;
      cpu[s].push(cpuMs() - c0);
      wall[s].push(performance.now() - w0);
    }
  }
  const line = (label: string, times: number[][]) => {
    const [b, n, f] = times.map(median);
    return `${label} bare ${b.toFixed(2)} ms | no fuel ${n.toFixed(2)} ms ${
      (n / b).toFixed(2)
    }x | fuel ${f.toFixed(2)} ms ${(f / b).toFixed(2)}x`;
  };
  console.log(`${name.padEnd(20)} ${line("cpu", cpu)}\n${"".padEnd(20)} ${line("wall", wall)}`);
}
console.log(`load after: ${load()}`);
