/**
 * Where a fresh process's wasm start-up goes, in CPU milliseconds (user + system, all threads):
 * `engine` imports the host and the wasm engine, loads (validates, instruments, compiles) and runs
 * the wasm-hello module in this thread, as the sandbox Worker does; `bare` imports the shim and
 * runs `bare_hello.ts`. Run each several times in fresh processes:
 *
 *     deno run -A bench/wasm/startup_parts.ts engine
 *     deno run -A bench/wasm/startup_parts.ts bare
 */
import process from "node:process";

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const marks: [string, number][] = [["start", cpuMs()]];
const mark = (label: string) => marks.push([label, cpuMs()]);

if (Deno.args[0] === "bare") {
  await import("@bjorn3/browser_wasi_shim");
  mark("import shim");
  const log = console.log;
  console.log = () => {};
  await import("./bare_hello.ts");
  console.log = log;
  mark("instantiate + run");
} else {
  const { createHost } = await import("../../src/host/host.ts");
  const { DEFAULT_LIMITS } = await import("../../src/host/limits.ts");
  const { runProgram } = await import("../../src/boot/run_program.ts");
  mark("import host");
  const { wasmEngine } = await import("../../src/engines/wasm/engine.ts");
  mark("import engine");
  const dir = new URL("../../examples/wasm-hello/", import.meta.url);
  const bytes = await Deno.readFile(new URL("main.wasm", dir));
  const files = new Map([["greeting.txt", await Deno.readFile(new URL("greeting.txt", dir))]]);
  const program = wasmEngine.load(bytes, { path: "main.wasm", files });
  mark("load (validate, instrument, compile)");
  const host = createHost({ stdout: () => {}, cartFiles: files });
  await runProgram(wasmEngine, program, host, DEFAULT_LIMITS, { args: [] });
  mark("instantiate + run");
}
const parts = marks.slice(1).map(([label, t], i) => `${label} ${(t - marks[i][1]).toFixed(1)}`);
console.log(
  `${Deno.args[0] ?? "engine"}: ${parts.join(" | ")} | process so far ${cpuMs().toFixed(0)}`,
);
