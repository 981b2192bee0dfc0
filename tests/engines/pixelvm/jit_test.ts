/**
 * The compiled tier against the interpreter: every program must print the same, fail with the
 * same error (same trap, pc and stack; for E_FUEL the same code, since both tiers may stop a few
 * straight-line instructions apart) and use the same fuel, whether it runs compiled, on the
 * interpreter alone, or on the precise (tracing) loop.
 */
import { PxosError } from "../../../src/errors.ts";
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { fibProgram } from "../../../src/engines/pixelvm/example_programs.ts";
import { emitRegion } from "../../../src/engines/pixelvm/jit_emit.ts";
import { moduleSource, NATIVE_FRAMES } from "../../../src/engines/pixelvm/jit.ts";
import { findRegions, MAX_PROGRAM_SIZE } from "../../../src/engines/pixelvm/jit_regions.ts";
import { loadPixelProgram } from "../../../src/engines/pixelvm/engine.ts";
import { createHost, GuestExit } from "../../../src/host/host.ts";
import { assert, assertEquals, assertMatch, fail } from "../../assert.ts";
import { generateRunnableSource, mutate, Rng } from "./corpus.ts";
import { EXPECTED } from "./expected.ts";
import { describe, type Outcome, runBytes, runTiers } from "./helpers.ts";
import { generateFunctionSource } from "./jit_corpus.ts";

const entries = (o: Outcome) => o.program?.native?.entries ?? 0;

const FIB = fibProgram(20);

Deno.test("jit: recursive fib runs compiled with the interpreter's output and fuel", async () => {
  const o = await runTiers(FIB);
  assertEquals(o.out, "6765\n");
  assertEquals(entries(o), 1); // one entry from the driver; every recursive call stayed native
  assert(typeof o.program?.native?.run === "function", "the tier was compiled");
});

Deno.test("jit: generated code holds only numbers from the program, never its text", () => {
  const source = `.data
s: .string "\\"); globalThis.pwned = 1; (\\"\`\${x}"
.code
PUSH 7
CALL f
HALT
f: ENTER 1
PRINT_STR "'); globalThis.pwned = 2; //"
LGET 0
PUSH -2147483648
DIV
RETN 1`;
  const program = loadPixelProgram(assemblePxasm(source), { path: "t.pxi" });
  const regions = findRegions(program.plain, program.count);
  assert(regions.size === 1, "one region");
  for (const region of regions.values()) {
    const js = emitRegion(program.plain, region, {
      memoryBytes: 1024,
      offsets: program.offsets,
    });
    assert(!js.includes("pwned"), "no program text in the code");
    // No quotes, backticks or backslashes at all: nothing can open a string or a template.
    assertMatch(js, /^[A-Za-z0-9_\s;:,.(){}[\]=+\-*/%<>!&|^~?]*$/);
  }
});

Deno.test("jit: recursion deeper than the native frame limit re-enters compiled code", async () => {
  const depth = 3 * NATIVE_FRAMES + 17;
  const o = await runTiers(`PUSH ${depth}
CALL sum
PRINT
HALT
sum: ENTER 1
LGET 0
JZ zero
LGET 0
LGET 0
PUSH 1
SUB
CALL sum
ADD
RETN 1
zero: PUSH 0
RETN 1`);
  assertEquals(o.out, `${(depth * (depth + 1)) / 2}\n`);
  assert(entries(o) > 3, `re-entered compiled code (${entries(o)} entries)`);
});

Deno.test("jit: endless recursion traps with the interpreter's call-stack overflow", async () => {
  const o = await runTiers("PUSH 1\nCALL f\nHALT\nf: ENTER 1\nLGET 0\nCALL f\nRETN 1");
  assert(o.error instanceof PxosError);
  assertMatch(o.error.message, /call stack overflow/);
  assert(entries(o) > 1);
});

Deno.test("jit: a data stack overflow in compiled frames traps exactly", async () => {
  const pushes = Array.from({ length: 50 }, (_, i) => `PUSH ${i}`).join("\n");
  const o = await runTiers(`PUSH 1\nCALL f\nHALT\nf: ENTER 1\n${pushes}\nLGET 0\nCALL f\nRETN 1`);
  assert(o.error instanceof PxosError);
  assertMatch(o.error.message, /stack overflow \(65536 slots\)/);
});

Deno.test("jit: traps inside compiled code carry the interpreter's pc, op and stack", async () => {
  const cases: [string, RegExp][] = [
    ["LGET 0\nPUSH 0\nDIV", /division by zero/],
    ["LGET 0\nPUSH 0\nMOD", /division by zero/],
    ["PUSH 5\nPUSH 16\nSTORE", /word 16 is outside/],
    ["PUSH 64\nLOADB", /byte 64 is outside/],
    ["PUSH 1\nPUSH -1\nSTOREB", /byte -1 is outside/],
    ["PUSH -3\nLOAD", /word -3 is outside/],
  ];
  for (const [body, message] of cases) {
    const src = `.memory 64\nPUSH 9\nPUSH 4\nCALL f\nHALT\nf: ENTER 2\nPUSH 77\n${body}\nRETN 1`;
    const o = await runTiers(src);
    assert(o.error instanceof PxosError, body);
    assertMatch(o.error.message, message);
    // The frame as the interpreter has it: both arguments, then the pushed 77.
    assertEquals((o.error.details as { stack: number[] }).stack.slice(0, 3), [9, 4, 77]);
  }
});

Deno.test("jit: an endless compiled loop ends with E_FUEL, or E_TIMEOUT with fuel to spare", async () => {
  const loop = "PUSH 0\nENTER 1\nl: LGET 0\nPUSH 1\nADD\nLSET 0\nJMP l";
  const o = await runTiers(loop, { limits: { fuel: 100_000 } });
  assert(o.error instanceof PxosError && o.error.code === "E_FUEL");
  assert(entries(o) >= 1);
  const start = performance.now();
  const t = await runBytes(assemblePxasm(loop), { limits: { fuel: 1e15, timeoutMs: 50 } });
  assert(t.error instanceof PxosError && t.error.code === "E_TIMEOUT", describe(t.error));
  assert(performance.now() - start < 2000, "stopped promptly");
  const inCall = "PUSH 3\nCALL f\nHALT\nf: ENTER 1\nl: LGET 0\nJNZ l\nRETN 0";
  const c = await runBytes(assemblePxasm(inCall), { limits: { fuel: 1e15, timeoutMs: 50 } });
  assert(c.error instanceof PxosError && c.error.code === "E_TIMEOUT", describe(c.error));
});

Deno.test("jit: every fuel budget around a program's need gives the same verdict", async () => {
  const need = (await runTiers(FIB)).result!.fuelUsed;
  for (const fuel of [1, 2, 3, 7, 50, 4095, 4096, 4097, need - 3, need - 1, need, need + 1]) {
    const o = await runTiers(FIB, { limits: { fuel } });
    if (fuel >= need) assertEquals(o.result?.fuelUsed, need);
    else assert(o.error instanceof PxosError && o.error.code === "E_FUEL", `fuel ${fuel}`);
  }
});

/** A counting loop with a data-dependent exit in mid-body: a self-loop the emitter unrolls. */
const UNROLLED_LOOP = `.memory 64
        PUSH 0
        ENTER 1
loop:   LGET 0
        PUSH 7
        AND
        JZ skip
        LGET 0
        PUSH 3
        STOREB
skip:   LGET 0
        PUSH 1
        ADD
        DUP
        LSET 0
        PUSH 1003
        LT
        JNZ loop
        LGET 0
        PRINT
        HALT`;

Deno.test("jit: a tight loop is unrolled and compare-and-branch is fused", () => {
  const program = loadPixelProgram(assemblePxasm(UNROLLED_LOOP), { path: "t.pxi" });
  const js = moduleSource(program, program.native!);
  assertMatch(js, /u0: \{[^]*u2: \{/); // laps 1-3 of 4 each in their own block
  assertMatch(js, /if \(v\d+ < v\d+\)/); // LT + JNZ as one condition
  assert(!js.includes("< v2 ? 1 : 0"), "the compare's 0/1 is not materialised before the branch");
});

Deno.test("jit: an unrolled loop stops on every fuel budget exactly where the interpreter does", async () => {
  const o = await runTiers(UNROLLED_LOOP);
  assertEquals(o.out, "1003\n");
  const need = o.result!.fuelUsed;
  // Every budget up to past the guard of the unrolled laps (3 laps of at most 15), and the end.
  const budgets = Array.from({ length: 64 }, (_, i) => i + 1);
  for (const fuel of [...budgets, need - 16, need - 15, need - 1, need, need + 1]) {
    // runTiers fails unless the compiled tier, the fast loop and the precise loop agree.
    const t = await runTiers(UNROLLED_LOOP, { limits: { fuel } });
    if (fuel >= need) assertEquals(t.result?.fuelUsed, need);
    else assert(t.error instanceof PxosError && t.error.code === "E_FUEL", `fuel ${fuel}`);
  }
});

/** A self-loop storing to odd addresses below 40 (`memory` bytes hold them or not). */
const storingLoop = (memory: number) =>
  `.memory ${memory}
        PUSH 0
        ENTER 1
loop:   LGET 0
        PUSH 1
        AND
        JZ even
        LGET 0
        LGET 0
        STOREB
even:   LGET 0
        PUSH 1
        ADD
        DUP
        LSET 0
        PUSH 40
        LT
        JNZ loop
        HALT`;

/**
 * Self-loops whose prepaid laps (see `jit_fuel.ts`) leave every way they can: laps of two costs
 * and the loop's own exit (then `fuelUsed` must match), the same loop with a store that runs
 * past memory on a late lap (a trap), a division by zero on one lap, and a native call inside
 * the lap (nothing prepaid).
 */
/** A loop over local 0 (from `start`, counted down) running `body` while `test` holds. */
const countingDown = (start: number, body: string[], test: string[], after = "") =>
  [
    `        PUSH ${start}`,
    "        ENTER 1",
    ...body.map((line, i) => `${i === 0 ? "loop:" : "     "}   ${line}`),
    ...["LGET 0", "PUSH 1", "SUB", "DUP", "LSET 0", ...test, "JNZ loop", "HALT"]
      .map((line) => `        ${line}`),
    after,
  ].join("\n");

const PREPAID_LOOPS = [
  storingLoop(64),
  storingLoop(16),
  countingDown(5, ["PUSH 60", "LGET 0", "DIV", "PRINT"], ["PUSH -3", "GT"]),
  countingDown(
    9,
    ["LGET 0", "CALL twice", "PRINT"],
    [],
    "twice:  ENTER 1\n        LGET 0\n        LGET 0\n        ADD\n        RETN 1",
  ),
];

for (const [i, source] of PREPAID_LOOPS.entries()) {
  Deno.test(`jit: prepaid laps of loop ${i + 1} leave exactly as the interpreter, every budget`, async () => {
    const o = await runTiers(source);
    const need = o.result?.fuelUsed ?? 400;
    for (let fuel = 1; fuel <= need + 1; fuel++) {
      // runTiers fails unless the compiled tier, the fast loop and the precise loop agree.
      await runTiers(source, { limits: { fuel } });
    }
  });
}

Deno.test("jit: host calls in compiled functions, async answers, and exit", async () => {
  const src = `PUSH 3
CALL f
PRINT
PUSH 256
PUSH 16
HOST_CALL read_line
CALL g
HALT
f: ENTER 1
LGET 0
PRINT
LGET 0
HOST_CALL write_int
PUSH 10
HOST_CALL write_char
LGET 0
PUSH 1
ADD
RETN 1
g: ENTER 1
LGET 0
PUSH 40
ADD
HOST_CALL exit
PUSH 0
RETN 1`;
  const bytes = assemblePxasm(src);
  const host = (out: { text: string }) =>
    createHost({
      stdout: (t) => (out.text += t),
      readLine: () => Promise.resolve("hello"),
    });
  const results: string[] = [];
  for (const compiledTier of [true, false]) {
    const out = { text: "" };
    const o = await runBytes(bytes, { host: host(out), compiledTier });
    assert(o.error instanceof GuestExit, describe(o.error));
    results.push(`${out.text}|${o.error.exitCode}`);
  }
  assertEquals(results[0], "3\n3\n4\n|45");
  assertEquals(results[0], results[1]);
});

Deno.test("jit: entries reached with another frame shape run on the interpreter", async () => {
  // `body` follows f's ENTER 1 but is reached by a jump with two values above the frame base,
  // a hundred times (more than the refusals after which the entry is unmarked).
  const src = `PUSH 0
l: PUSH 11
JMP body
f: ENTER 1
body: LGET 0
PRINT
POP
PUSH 1
ADD
DUP
PUSH 100
LT
JNZ l
HALT`;
  const o = await runTiers(src);
  assertEquals(o.out, Array.from({ length: 100 }, (_, i) => `${i}\n`).join(""));
  assertEquals(entries(o), 0);
  // Refused until the entry was unmarked, then never asked again.
  assertEquals([...o.program!.native!.declines.values()], [64]);
});

Deno.test("jit: --trace and --profile stay on the precise interpreter", async () => {
  const o = await runBytes(assemblePxasm(FIB), { precise: true });
  assertEquals(o.out, "6765\n");
  assertEquals(entries(o), 0);
});

Deno.test("jit: 400 generated function-heavy programs agree across tiers", async () => {
  let completed = 0, compiled = 0;
  for (let seed = 0; seed < 400; seed++) {
    const src = generateFunctionSource(new Rng(seed));
    const fuel = [300, 5_000, 40_000][seed % 3];
    const o = await runTiers(src, { limits: { fuel, memoryBytes: 1 << 20 } });
    if (!o.error) completed++;
    if (entries(o) > 0) compiled++;
  }
  if (completed < 100 || compiled < 200) fail(`completed ${completed}, compiled ${compiled}`);
});

Deno.test("jit: 300 generated fragment programs agree across tiers", async () => {
  let compared = 0;
  for (let seed = 0; seed < 300; seed++) {
    const src = generateRunnableSource(new Rng(60_000 + seed));
    const o = await runTiers(src, { limits: { fuel: 20_000, memoryBytes: 1 << 20 } });
    if (entries(o) > 0) compared++;
  }
  if (compared < 100) fail(`only ${compared} programs entered compiled code`);
});

Deno.test("jit: every example agrees across tiers", async () => {
  for (const name of Object.keys(EXPECTED)) {
    const dir = new URL(`../../../examples/${name}/`, import.meta.url);
    const files = new Map<string, Uint8Array>();
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.endsWith(".pxasm")) {
        const bytes = await Deno.readFile(new URL(entry.name, dir));
        files.set(
          entry.name.replace(/\.pxasm$/, ".pxi"),
          assemblePxasm(new TextDecoder().decode(bytes)),
        );
      }
    }
    const o = await runTiers(files.get("main.pxi")!, { files, path: "main.pxi" });
    assertEquals(o.out, EXPECTED[name].stdout, name);
  }
});

Deno.test("jit: 2000 mutations of generated function programs agree across tiers", async () => {
  const rng = new Rng(2024);
  const bases = Array.from(
    { length: 40 },
    (_, i) => assemblePxasm(generateFunctionSource(new Rng(7_000 + i))),
  );
  let compiled = 0;
  for (let i = 0; i < 2000; i++) {
    const o = await runTiers(mutate(rng, rng.pick(bases)), { limits: { fuel: 3_000 } });
    if (entries(o) > 0) compiled++;
  }
  if (compiled < 150) fail(`only ${compiled} mutated programs entered compiled code`);
});

Deno.test("jit: hostile shapes keep the analysis and the generated code bounded", async () => {
  // Thousands of ENTERs sharing one long body of wide frames that can bail everywhere.
  const lines = ["PUSH 1", "PUSH 2"];
  for (let i = 0; i < 3000; i++) lines.push("ENTER 1", "JMP body");
  lines.push("body: LGET 0", ...Array.from({ length: 60 }, (_, i) => `PUSH ${i}`));
  for (let i = 0; i < 1900; i++) lines.push(i % 2 ? "DIV" : "LGET 3");
  lines.push("PRINT", "HALT");
  const source = lines.join("\n");
  const program = loadPixelProgram(assemblePxasm(source), { path: "t.pxi" });
  const tier = program.native!;
  assert(tier.byStart.size <= MAX_PROGRAM_SIZE / 1900, `${tier.byStart.size} regions`);
  const js = moduleSource(program, tier);
  assert(js.length < 3_000_000, `${js.length} characters of JS`);
  const o = await runTiers(source);
  assertEquals(o.error, undefined);
  assert(entries(o) >= 1 && o.out.length > 1, "ran compiled and printed");
});
