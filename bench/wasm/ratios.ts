/**
 * Medians of the wasm benchmark groups, runs interleaved (bare, no fuel, fuel, bare, …) so load
 * changes hit all three alike; prints each group's medians and ratios to bare, and the load.
 *
 *     deno run -A bench/wasm/ratios.ts [runs=15] [group-name-filter]
 */
import { bare, GROUPS, pxos } from "./subjects.ts";

const runs = Number(Deno.args[0] ?? 15);
const filter = Deno.args[1] ?? "";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const load = () => Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
console.log(`load before: ${load()}`);
for (const [name, bytes, workload] of GROUPS) {
  if (!name.includes(filter)) continue;
  const subjects = [
    bare(bytes, workload),
    pxos(bytes, workload, false),
    pxos(bytes, workload, true),
  ];
  const times: number[][] = [[], [], []];
  for (let i = 0; i < runs + 2; i++) {
    for (let s = 0; s < subjects.length; s++) {
      const t0 = performance.now();
      await subjects[s]();
      if (i >= 2) times[s].push(performance.now() - t0); // two warm-up rounds
    }
  }
  const [b, n, f] = times.map(median);
  console.log(
    `${name.padEnd(20)} bare ${b.toFixed(2)} ms | no fuel ${n.toFixed(2)} ms ${
      (n / b).toFixed(2)
    }x | fuel ${f.toFixed(2)} ms ${(f / b).toFixed(2)}x`,
  );
}
console.log(`load after: ${load()}`);
