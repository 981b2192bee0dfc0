/**
 * WebAssembly engine benchmarks. Every group's baseline is the same `.wasm` instantiated bare in
 * Deno (WASI from `@bjorn3/browser_wasi_shim` with in-memory files, no pxOS in between); the
 * engine runs it with fuel counting off (`--flag fuel=false`) and on (see `wasm/subjects.ts`).
 * `wasm/ratios.ts` gives interleaved medians of the same groups, `wasm/startup.ts` the start-up
 * comparison (`pxos boot` of the hello cart against `deno run wasm/bare_hello.ts`).
 *
 *     deno bench --allow-read --allow-write --allow-env --allow-run bench/wasm_bench.ts
 */
import { bare, GROUPS, pxos } from "./wasm/subjects.ts";

for (const [name, bytes, workload] of GROUPS) {
  const opts = { n: 20, warmup: 5 };
  Deno.bench({
    name: `${name}: bare wasm`,
    group: name,
    baseline: true,
    ...opts,
    fn: bare(bytes, workload),
  });
  Deno.bench({
    name: `${name}: pxOS, no fuel`,
    group: name,
    ...opts,
    fn: pxos(bytes, workload, false),
  });
  Deno.bench({
    name: `${name}: pxOS, fuel`,
    group: name,
    ...opts,
    fn: pxos(bytes, workload, true),
  });
}
