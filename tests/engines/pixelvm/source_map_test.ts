/**
 * Source maps: `pxos asm` (the engine's compile) writes the assembler's map into a module's debug
 * section; traps, fuel and timeouts name the source file and line; the disassembler and --trace
 * show the user's labels; disassembly assembles back to the same bytes, debug section included.
 */
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { disassemblePxi } from "../../../src/engines/pixelvm/disassembler.ts";
import { loadPixelProgram, pixelvmEngine } from "../../../src/engines/pixelvm/engine.ts";
import { linkPxi } from "../../../src/engines/pixelvm/linker.ts";
import { decodeModule, encodeModule } from "../../../src/engines/pixelvm/module.ts";
import { execute } from "../../../src/engines/pixelvm/vm.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { PxosError } from "../../../src/errors.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { mutate, Rng } from "./corpus.ts";
import { runBytes, runTiers } from "./helpers.ts";

const enc = new TextEncoder();

/** A module whose `divide` traps on line 12 when its argument is 0. */
const SOURCE = `.module calc
.export main
; a comment line
main:   PUSH 10
        PUSH 0
        CALL divide
        PRINT
        HALT

divide: ENTER 2
        LGET 0
        LGET 1
        DIV
        RETN 1
`;

function compile(source: string, path: string): Uint8Array {
  return pixelvmEngine.compile!(enc.encode(source), { path }).bytes;
}

Deno.test("pxos asm writes a debug section (a plain program gets a header); the API does not", () => {
  const bytes = compile(SOURCE, "/home/me/src/calc.pxasm");
  const m = decodeModule(bytes);
  assertEquals(bytes[5] & 4, 4);
  assertEquals(m.debug?.files, ["calc.pxasm"]); // base name only: no author's directories
  assertEquals(m.debug?.labels.map((l) => l.name), ["main", "divide"]);
  assertEquals(m.debug?.lines[0], { offset: 0, file: 0, line: 4 });
  assertEquals(assemblePxasm(SOURCE)[5] & 4, 0);
  const plain = decodeModule(compile("PUSH 42\nPRINT\nHALT\n", "p.pxasm"));
  assertEquals([plain.headerless, plain.name, plain.callStack], [false, "p", undefined]);
  assertEquals(plain.code, assemblePxasm("PUSH 42\nPRINT\nHALT"));
  assertEquals(plain.debug?.lines.map((l) => l.line), [1, 2, 3]);
});

Deno.test("a trap names the source file, line and label, on every tier", async () => {
  for (const bytes of [compile(SOURCE, "calc.pxasm"), enc.encode(SOURCE)]) {
    const path = bytes[0] === 0x50 ? "calc.pxi" : "calc.pxasm";
    const { error } = await runTiers(bytes, { path });
    assert(error instanceof PxosError);
    assertEquals([error.code, error.file, error.line], ["E_TRAP", "calc.pxasm", 13]);
    assertMatch(error.message, /^calc\.pxasm:13 @ offset \d+: trap at pc \d+ \(DIV\) in divide/);
  }
});

Deno.test("old bytecode without a debug section still loads and names the byte offset", async () => {
  const { error } = await runBytes(assemblePxasm(SOURCE), { path: "calc.pxi" });
  assert(error instanceof PxosError);
  assertEquals([error.file, error.line], ["calc.pxi", undefined]);
  assertMatch(error.message, /^calc\.pxi @ offset \d+: trap at pc \d+ \(DIV\): division/);
});

Deno.test("running out of fuel: one wording, the line, the label and --fuel", async () => {
  const source = "PUSH 1\nspin:   JMP spin\n";
  const { error } = await runTiers(enc.encode(source), {
    path: "spin.pxasm",
    limits: { fuel: 500 },
  });
  assert(error instanceof PxosError);
  assertEquals([error.code, error.file, error.line], ["E_FUEL", "spin.pxasm", 2]);
  assertMatch(
    error.message,
    /ran out of fuel: the budget of 500 instructions is spent \(at pc 5 \(JMP\) in spin\); raise it with --fuel <n>/,
  );
});

Deno.test("the disassembler shows the user's labels and round-trips the debug section", () => {
  const loop =
    `.module m\nstart: PUSH 3\nagain: PUSH 1\nSUB\nDUP\nJNZ again\nJMP finish\nfinish: HALT\n`;
  const bytes = compile(loop, "m.pxasm");
  const text = disassemblePxi(bytes);
  assertMatch(text, /JNZ again/);
  assertMatch(text, /JMP finish/);
  assert(!/L_\d+/.test(text), text);
  assertMatch(text, /\.file "m\.pxasm"/);
  assertEquals(compile(text, "other.pxasm"), bytes);
});

Deno.test("--trace shows the user's labels", async () => {
  const lines: string[] = [];
  const program = loadPixelProgram(enc.encode(SOURCE), { path: "calc.pxasm" });
  await execute(program, createHost({ stdout: () => {} }), DEFAULT_LIMITS, {
    trace: (l) => lines.push(l),
  }).catch(() => {});
  assert(lines.some((l) => /CALL divide/.test(l)), lines.join("\n"));
});

Deno.test("linking keeps each module's map: a trap in the library names the library's line", async () => {
  const lib = compile(
    ".module lib\n.export boom\n\nboom:   PUSH 1\n        PUSH 0\n        MOD\n        RET\n",
    "lib.pxasm",
  );
  const main = compile(
    ".import lib.boom\n.module app\n        CALL lib.boom\n        HALT\n",
    "app.pxasm",
  );
  const linked = linkPxi([{ bytes: main }, { bytes: lib }]);
  assertEquals(decodeModule(linked).debug?.files, ["app.pxasm", "lib.pxasm"]);
  const { error } = await runBytes(linked, { path: "app.pxi" });
  assert(error instanceof PxosError);
  assertEquals([error.file, error.line], ["lib.pxasm", 6]);
  assertMatch(error.message, /\(MOD\) in boom: division by zero/);
});

Deno.test("a damaged debug section is refused with E_VERIFY, never a crash", async () => {
  const bytes = compile(SOURCE, "calc.pxasm");
  const m = decodeModule(bytes);
  for (let cut = 1; cut < 30; cut++) {
    const broken = bytes.slice(0, bytes.length - cut);
    await assertPxosError(() => decodeModule(broken), "E_VERIFY");
  }
  m.debug!.labels.push({ offset: 0, name: "\u001b[31mred" });
  await assertPxosError(() => decodeModule(encodeModule(m)), "E_VERIFY", /label name/);
});

Deno.test("a trap in deep recursion prints a collapsed call trace with source lines", async () => {
  const source = `.callstack separate
        PUSH 1
        CALL down
        HALT
down:   PUSH 1
        ADD
        CALL down
        RET
`;
  const { error } = await runTiers(enc.encode(source), { path: "down.pxasm" });
  assert(error instanceof PxosError);
  const lines = error.message.split("\n");
  assertMatch(lines[0], /trap at pc \d+ \(CALL\) in down: call stack overflow \(16384 frames\)$/);
  assertEquals(lines.slice(1), [
    "PixelVM call trace (most recent call first):",
    "  at down (down.pxasm:7)",
    "  at down (down.pxasm:7)",
    "  at down (down.pxasm:7)",
    "  … 16381 more frames of down (down.pxasm:7)", // 16384 frames of down in all
    "  at (entry) (down.pxasm:3)",
  ]);
});

Deno.test("fuzz: 3000 mutations of modules with debug sections load or are refused cleanly", () => {
  const rng = new Rng(4242);
  const base = compile(SOURCE, "calc.pxasm");
  let loaded = 0;
  for (let i = 0; i < 3000; i++) {
    const bytes = mutate(rng, base);
    try {
      loadPixelProgram(bytes, { path: "m.pxi" });
      disassemblePxi(bytes);
      loaded++;
    } catch (e) {
      assert(e instanceof PxosError, `mutation ${i}: ${e}`);
    }
  }
  assert(loaded > 0 && loaded < 3000, `${loaded} of 3000 loaded`);
});
