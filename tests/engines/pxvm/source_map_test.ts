/**
 * pxVM source maps: `pxos asm` (the engine's compile) writes a version-3 header with a debug
 * section for programs that have a header; traps and fuel errors name the source file, line and
 * label; the disassembler shows the user's labels and restates the map so it assembles back to
 * the same bytes. Bare programs stay the seed's bare bytes.
 */
import { assemblePxvm } from "../../../src/engines/pxvm/assembler.ts";
import { readHeader } from "../../../src/engines/pxvm/decode.ts";
import { disassemblePxvm } from "../../../src/engines/pxvm/disassembler.ts";
import { pxvmEngine } from "../../../src/engines/pxvm/engine.ts";
import { PxosError } from "../../../src/errors.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { runPxvm } from "./helpers.ts";

const enc = new TextEncoder();

const SOURCE = `.header start
msg: .string "ratio\\n"
start:
    IMM32 R1, msg
    IMM32 R2, len(msg)
    SYSCALL PRINT
    CALL divide
    HALT
divide:
    IMM8 R3, 0
    DIV R4, R1, R3
    RET
`;

const compile = (source: string, path = "/work/me/calc.pxvmasm") =>
  pxvmEngine.compile(enc.encode(source), { path }).bytes;

Deno.test("pxVM: pxos asm writes a version-3 header with the map", () => {
  const bytes = compile(SOURCE);
  assertEquals([bytes[4], bytes[5]], [3, 0]);
  const h = readHeader(bytes, "calc.pxvm");
  assertEquals(h.sourceMap?.files, ["calc.pxvmasm"]);
  assertEquals(h.sourceMap?.labels.map((l) => l.name), ["msg", "start", "divide"]);
  assertEquals(h.image, assemblePxvm(SOURCE).subarray(8)); // the same image as version 2
  // A bare program gets a version-3 header (entry 0, the same image) to carry its map.
  const bare = "IMM8 R1, 1\nSYSCALL PRINT_ID\nHALT\n";
  const carried = readHeader(compile(bare), "b.pxvm");
  assertEquals([carried.entry, carried.headerSize], [0, 12]);
  assertEquals(carried.image, assemblePxvm(bare));
  assertEquals(carried.sourceMap?.lines.map((l) => l.line), [1, 2, 3]);
});

Deno.test("pxVM: a strict-mode trap names the source line and label, on both tiers", async () => {
  for (const jit of [true, false]) {
    const error = await runPxvm(compile(SOURCE), { strict: true, jit }).then(
      () => undefined,
      (e) => e,
    );
    assert(error instanceof PxosError);
    assertEquals([error.code, error.file, error.line], ["E_TRAP", "calc.pxvmasm", 11]);
    assertMatch(error.message, /^calc\.pxvmasm:11: at 0x[0-9a-f]{4} in divide: /);
  }
});

Deno.test("pxVM: running out of fuel uses the shared wording with the line", async () => {
  const bytes = compile(".header top\ntop:\n    JMP top\n", "spin.pxvmasm");
  const error = await runPxvm(bytes, { fuel: 300 }).then(() => undefined, (e) => e);
  assert(error instanceof PxosError);
  assertEquals([error.code, error.file, error.line], ["E_FUEL", "spin.pxvmasm", 3]);
  assertMatch(
    error.message,
    /ran out of fuel: the budget of 300 instructions is spent \(at 0x0000 in top\); raise it with --fuel/,
  );
});

Deno.test("pxVM: the disassembler shows the user's labels and round-trips the debug section", () => {
  const bytes = compile(SOURCE);
  const text = disassemblePxvm(bytes);
  assertMatch(text, /CALL divide/);
  assertMatch(text, /^msg:$/m);
  assert(!/L_[0-9a-f]{4}/.test(text), text);
  assertEquals(compile(text, "elsewhere.pxvmasm"), bytes);
});

Deno.test("pxVM: a damaged debug section or image length is E_VERIFY", async () => {
  const bytes = compile(SOURCE);
  for (let cut = 1; cut < 20; cut++) {
    await assertPxosError(
      () => pxvmEngine.load(bytes.slice(0, bytes.length - cut), { path: "x.pxvm" }),
      "E_VERIFY",
    );
  }
  const long = bytes.slice();
  long[10] = 9; // image length past the end
  await assertPxosError(() => pxvmEngine.load(long, { path: "x.pxvm" }), "E_VERIFY", /length/);
});

Deno.test("pxVM: --trace shows the user's labels", async () => {
  const program = pxvmEngine.load(compile(SOURCE), { path: "calc.pxvm" });
  const lines: string[] = [];
  await pxvmEngine.run(program, createHost({ stdout: () => {} }), DEFAULT_LIMITS, {
    trace: (l) => lines.push(l),
  });
  assert(lines.some((l) => /CALL divide/.test(l)), lines.join("\n"));
});

Deno.test("pxVM fuzz: 3000 mutations of version-3 files load or are refused cleanly", () => {
  const base = compile(SOURCE);
  let seed = 99;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  let loaded = 0;
  for (let i = 0; i < 3000; i++) {
    const bytes = base.slice(0, base.length - next(4));
    for (let k = 0; k <= next(3); k++) bytes[next(bytes.length)] = next(256);
    try {
      pxvmEngine.load(bytes, { path: "m.pxvm" });
      disassemblePxvm(bytes);
      loaded++;
    } catch (e) {
      assert(e instanceof PxosError, `mutation ${i}: ${e}`);
    }
  }
  assert(loaded > 0 && loaded < 3000, `${loaded} of 3000 loaded`);
});

Deno.test("pxVM: an imperfect-mode warning names the source line", async () => {
  const run = await runPxvm(compile(SOURCE), { jit: false });
  assertMatch(run.out, /# WARNING: at 0x[0-9a-f]{4} in divide \(calc\.pxvmasm:11\): /);
});
