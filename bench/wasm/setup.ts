/**
 * What a run costs before and after the guest's own work: the bench guest with no workload
 * (`start only`: argv, pre-opens, exit) run many times bare and through the engine (fuel off),
 * one after the other; each measured run follows an unmeasured run of the same subject, so
 * neither pays for the other's garbage. Prints per-run medians (wall clock, microseconds).
 *
 *     deno run -A bench/wasm/setup.ts [runs=2000]
 */
import { bare, O2, pxos } from "./subjects.ts";

const runs = Number(Deno.args[0] ?? 2000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const subjects = [bare(O2, "none"), pxos(O2, "none", false)];
const times: number[][] = [[], []];
for (let i = 0; i < runs; i++) {
  for (let s = 0; s < subjects.length; s++) {
    await subjects[s]();
    const t0 = performance.now();
    await subjects[s]();
    times[s].push(performance.now() - t0);
  }
}
const [b, p] = times.map((t) => median(t) * 1000);
console.log(
  `start only, ${runs} runs: bare ${b.toFixed(1)} µs | pxOS, no fuel ${p.toFixed(1)} µs ` +
    `(${p >= b ? "+" : ""}${(p - b).toFixed(1)} µs, ${(p / b).toFixed(2)}x) | load ${
      Deno.loadavg()[0].toFixed(2)
    }`,
);
