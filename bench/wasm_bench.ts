/**
 * WebAssembly engine benchmarks. Every group's baseline is the same `.wasm` instantiated bare in
 * Deno (WASI from `@bjorn3/browser_wasi_shim` with in-memory files, no pxOS in between); the
 * engine runs it with fuel counting off (`--flag fuel=false`) and on. Modules are compiled once,
 * outside the timed part, on both sides.
 *
 *     deno bench --allow-read --allow-write --allow-env --allow-run bench/wasm_bench.ts
 */
import {
  ConsoleStdout,
  File,
  OpenFile,
  PreopenDirectory,
  WASI,
  WASIProcExit,
} from "@bjorn3/browser_wasi_shim";
import { runCli } from "../src/cli/main.ts";
import { capturedIO } from "../src/cli/io.ts";
import { runProgram } from "../src/boot/run_program.ts";
import { wasmEngine } from "../src/engines/wasm/engine.ts";
import type { WasmProgram } from "../src/engines/wasm/loader.ts";
import { NO_GRANT } from "../src/host/grant.ts";
import { createHost } from "../src/host/host.ts";
import { DEFAULT_LIMITS } from "../src/host/limits.ts";

const here = new URL(".", import.meta.url).pathname;
const O0 = await Deno.readFile(`${here}wasm/bench_O0.wasm`);
const O2 = await Deno.readFile(`${here}wasm/bench_O2.wasm`);

// 1,000 small files, on disk for pxOS (a granted directory) and in memory for the baseline.
const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "pxos-wasm-bench-" }));
await Deno.mkdir(`${root}/data`);
const memoryFiles = new Map<string, File>();
for (let i = 0; i < 1000; i++) {
  const name = `f${String(i).padStart(4, "0")}.txt`;
  const text = new TextEncoder().encode(`file ${i}: some small text\n`);
  await Deno.writeFile(`${root}/data/${name}`, text);
  memoryFiles.set(name, new File(text));
}

/** The bare baseline: compile once; each run instantiates and starts. */
function bare(bytes: Uint8Array, workload: string): () => Promise<void> {
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
function pxos(bytes: Uint8Array, workload: string, fuel: boolean): () => Promise<void> {
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

function group(name: string, bytes: Uint8Array, workload: string, n?: number): void {
  const opts = n === undefined ? {} : { n, warmup: 2 };
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

group("fib(30) -O0", O0, "fib", 20);
group("fib(30) -O2", O2, "fib", 20);
group("loop 10M -O2", O2, "loop", 20);
group("read 1,000 files", O2, "files", 20);
group("100,000 host calls", O2, "hostcalls", 20);

// Start-up: `deno run` of a bare-wasm hello script against `pxos boot` of the hello cartridge.
const cart = `${root}/hello.pxa`;
await runCli(["pack", `${here}../examples/wasm-hello`, "-o", cart, "-q"], capturedIO());
const bareScript = `${root}/bare_hello.ts`;
await Deno.writeTextFile(
  bareScript,
  `import { ConsoleStdout, File, OpenFile, PreopenDirectory, WASI, WASIProcExit } from "npm:@bjorn3/browser_wasi_shim@0.4.2";
const dir = ${JSON.stringify(`${here}../examples/wasm-hello/`)};
const files = new Map([["greeting.txt", new File(await Deno.readFile(dir + "greeting.txt"))]]);
const w = new WASI(["main.wasm"], [], [new OpenFile(new File([])), ConsoleStdout.lineBuffered(console.log), ConsoleStdout.lineBuffered(console.error), new PreopenDirectory("/cart", files)], { debug: false });
const { instance } = await WebAssembly.instantiate(await Deno.readFile(dir + "main.wasm"), { wasi_snapshot_preview1: w.wasiImport });
try { w.start(instance); } catch (e) { if (!(e instanceof WASIProcExit)) throw e; }
`,
);
const denoConfig = `${here}../deno.json`;
async function spawn(args: string[]): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env: { PXOS_WORKER_OPTIONS: "1", DENO_NO_PROMPT: "1" },
    stdout: "null",
    stderr: "null",
  }).output();
  if (out.code > 3) throw new Error(`exit ${out.code}: ${args.join(" ")}`);
}
Deno.bench({
  name: "hello start-up: deno run bare-wasm script",
  group: "start-up",
  baseline: true,
  n: 10,
  warmup: 1,
  fn: () => spawn(["run", "--config", denoConfig, "--allow-read", bareScript]),
});
Deno.bench({
  name: "hello start-up: pxos boot hello.pxa",
  group: "start-up",
  n: 10,
  warmup: 1,
  fn: () =>
    spawn([
      "run",
      "--config",
      denoConfig,
      "--unstable-worker-options",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `${here}../cli.ts`,
      "boot",
      cart,
      "--root",
      root,
    ]),
});
