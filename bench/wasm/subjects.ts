/**
 * What the wasm benchmarks compare (`bench/wasm_bench.ts` as `Deno.bench` groups,
 * `bench/wasm/ratios.ts` as interleaved medians): the same `.wasm` run bare in Deno (WASI from
 * `@bjorn3/browser_wasi_shim` with in-memory files, no pxOS in between) and through the pxOS
 * engine with fuel off and on. Modules are compiled once, outside the timed part, on both sides.
 */
import {
  ConsoleStdout,
  File,
  OpenFile,
  PreopenDirectory,
  WASI,
  WASIProcExit,
} from "@bjorn3/browser_wasi_shim";
import { runProgram } from "../../src/boot/run_program.ts";
import { wasmEngine } from "../../src/engines/wasm/engine.ts";
import type { WasmProgram } from "../../src/engines/wasm/loader.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import { createHost } from "../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";

const here = new URL(".", import.meta.url).pathname;
/** The benchmark guest (`bench.c`) at `-O0`. */
export const O0: Uint8Array = await Deno.readFile(`${here}bench_O0.wasm`);
/** The benchmark guest at `-O2`. */
export const O2: Uint8Array = await Deno.readFile(`${here}bench_O2.wasm`);

/** The run's root: `data/` holds 1,000 small files (on disk for pxOS, in memory for bare). */
export const root: string = await Deno.realPath(
  await Deno.makeTempDir({ prefix: "pxos-wasm-bench-" }),
);
await Deno.mkdir(`${root}/data`);
const memoryFiles = new Map<string, File>();
for (let i = 0; i < 1000; i++) {
  const name = `f${String(i).padStart(4, "0")}.txt`;
  const text = new TextEncoder().encode(`file ${i}: some small text\n`);
  await Deno.writeFile(`${root}/data/${name}`, text);
  memoryFiles.set(name, new File(text));
}

/** The bare baseline: compile once; each run instantiates and starts. */
export function bare(bytes: Uint8Array, workload: string): () => Promise<void> {
  const module = new WebAssembly.Module(bytes as BufferSource);
  return async () => {
    const wasi = new WASI(["bench.wasm", workload], [], [
      new OpenFile(new File([])),
      new ConsoleStdout(() => {}),
      new ConsoleStdout(() => {}),
      new PreopenDirectory("/data", memoryFiles),
    ], { debug: false });
    const instance = await WebAssembly.instantiate(module, {
      wasi_snapshot_preview1: wasi.wasiImport,
      pxos: { clock_monotonic: () => performance.now() },
    } as WebAssembly.Imports);
    try {
      wasi.start(instance as never);
    } catch (e) {
      if (!(e instanceof WASIProcExit)) throw e;
    }
  };
}

/** pxOS: load once; each run goes through the engine, the host and the limits. */
export function pxos(bytes: Uint8Array, workload: string, fuel: boolean): () => Promise<void> {
  const program = wasmEngine.load(bytes, { path: "bench.wasm" }) as WasmProgram;
  const grant = { ...NO_GRANT, read: ["data"] };
  return async () => {
    const host = createHost({ stdout: () => {}, grant, root });
    await runProgram(wasmEngine, program, host, DEFAULT_LIMITS, {
      args: [workload],
      dirs: [{ path: "data", write: false }],
      flags: { fuel },
    });
  };
}

/** The compute and file groups: name, module, workload. */
export const GROUPS: readonly [string, Uint8Array, string][] = [
  ["start only", O2, "none"],
  ["fib(30) -O0", O0, "fib"],
  ["fib(30) -O2", O2, "fib"],
  ["loop 10M -O2", O2, "loop"],
  ["read 1,000 files", O2, "files"],
  ["100,000 host calls", O2, "hostcalls"],
];
