/**
 * Hand-edited variants of pxVM's compiled module against plain JS, to measure a change to the
 * generated code before building it into `src/engines/pxvm/jit.ts`.
 *
 *   deno run -A bench/pxvm_module_ab.ts dump sieve > /tmp/sieve.js      (also: fib, loop)
 *   deno run -A bench/pxvm_module_ab.ts ab sieve 9 /tmp/sieve.js /tmp/variant.js ...
 *
 * `dump` prints the function the compiled tier makes for an example program. `ab` evaluates
 * each file as a JS expression for such a function (a `function …` or an expression returning
 * one) and runs it the way the driver does — slices of `FAST_SLICE` instructions on a fresh 64
 * KiB machine — up to the program's `HALT` or its final `SYSCALL PRINT_INT`, checks its answer
 * against the plain-JS twin, then alternates blocks of runs of plain JS and of every variant
 * (each block ≥ 300 ms) and prints, per variant, the median of the per-round CPU-time ratios to
 * plain JS and the ratio of the fastest wall-clock runs. Same machine, same minutes: list the
 * unchanged dump twice to see the noise. Reading `/proc` needs `-A`.
 */
import { assemblePxvm } from "../src/engines/pxvm/assembler.ts";
import { STRIDE } from "../src/engines/pxvm/decode.ts";
import { pxvmEngine } from "../src/engines/pxvm/engine.ts";
import * as px from "../src/engines/pxvm/example_programs.ts";
import { MEMORY_SIZE, OPCODE_BY_NAME } from "../src/engines/pxvm/isa.ts";
import { compileFast, EXIT_HALT, FAST_SLICE, type FastCode } from "../src/engines/pxvm/jit.ts";
import { cpuModel, median, threadCpuMs } from "./cpu_time.ts";

const BLOCK_MS = 300;
const SYSCALL = OPCODE_BY_NAME.get("SYSCALL")!.opcode;
const sieveFlags = new Uint8Array(px.SIEVE_MAX);
/** The example programs, each with its plain-JS twin (as `bench/vm_cpu_ratio.ts` has them). */
const PROGRAMS: Record<string, { source: string; js: () => number }> = {
  sieve: {
    source: px.sieveProgram(28000, 40),
    js: () => px.sieveJs(28000, 40, sieveFlags),
  },
  fib: { source: px.fibProgram(30), js: () => px.fibJs(30) },
  loop: { source: px.loopProgram(1e7), js: () => px.loopJs(1e7) },
};

const [mode, name = "sieve", roundsArg = "9", ...files] = Deno.args;
const chosen = PROGRAMS[name];
if (!chosen || (mode !== "dump" && mode !== "ab")) {
  console.error("usage: pxvm_module_ab.ts dump|ab sieve|fib|loop [rounds files...]");
  Deno.exit(2);
}
const program = pxvmEngine.load(assemblePxvm(chosen.source), { path: `${name}.pxvm` });

/** Runs `code` as the driver would, to HALT or a SYSCALL; returns R1 (what is printed). */
function drive(code: FastCode): number {
  const mem = new Uint8Array(MEMORY_SIZE);
  mem.set(program.image);
  const view = new DataView(mem.buffer);
  const st = {
    regs: new Int32Array(9),
    ip: program.indexOf[program.entry],
    sp: MEMORY_SIZE,
    flag: 0,
    budget: 0,
  };
  for (let slices = 0; slices < 1e6; slices++) {
    st.budget = FAST_SLICE;
    if (code(st, mem, view, program.indexOf) === EXIT_HALT) break;
    if (program.code[st.ip * STRIDE] === SYSCALL) break; // the final PRINT_INT
  }
  return st.regs[1];
}

if (mode === "dump") {
  console.log(compileFast(program).run.toString());
} else {
  const expected = chosen.js();
  const sides = [{ name: "plain JS", run: chosen.js }];
  for (const file of files) {
    const text = Deno.readTextFileSync(file).trim().replace(/;$/, ""); // as `deno fmt` ends it
    const code = (0, eval)(`(${text})`) as FastCode;
    const got = drive(code);
    if (got !== expected) throw new Error(`${file} printed ${got}, plain JS ${expected}`);
    sides.push({ name: file, run: () => drive(code) });
  }
  for (let i = 0; i < 5; i++) for (const side of sides) side.run();
  const times = sides.map((side) => {
    const t = performance.now();
    for (let i = 0; i < 3; i++) side.run();
    return Math.max(3, Math.ceil(BLOCK_MS / Math.max(0.01, (performance.now() - t) / 3)));
  });
  const ratios = sides.map((): number[] => []);
  const fastest = sides.map(() => Infinity);
  for (let r = 0; r < Number(roundsArg); r++) {
    const cpu = sides.map((side, i) => {
      const cpu0 = threadCpuMs();
      for (let k = 0; k < times[i]; k++) {
        const t = performance.now();
        side.run();
        fastest[i] = Math.min(fastest[i], performance.now() - t);
      }
      return (threadCpuMs() - cpu0) / times[i];
    });
    if (cpu[0] > 0) sides.forEach((_, i) => ratios[i].push(cpu[i] / cpu[0]));
  }
  console.log(`CPU: ${cpuModel()}; load average: ${Deno.loadavg().join(", ")}`);
  console.log("| module | ÷ plain JS, CPU time: median (range) | fastest wall-clock run |");
  console.log("| --- | --- | --- |");
  sides.slice(1).forEach((side, j) => {
    const xs = ratios[j + 1];
    const range = `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    const fast = (fastest[j + 1] / fastest[0]).toFixed(2);
    console.log(`| ${side.name} | **${median(xs).toFixed(2)}×** (${range}) | ${fast}× |`);
  });
}
