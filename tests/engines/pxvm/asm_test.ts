import { readHeader } from "../../../src/engines/pxvm/decode.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { assemblePxvm } from "../../../src/engines/pxvm/assembler.ts";
import { ProgramBuilder } from "../../../src/engines/pxvm/builder.ts";
import { disassemblePxvm } from "../../../src/engines/pxvm/disassembler.ts";
import { pxvmEngine } from "../../../src/engines/pxvm/engine.ts";
import { runBoth } from "./helpers.ts";

Deno.test("seed encoding: the assembler writes the seed's bytes", () => {
  const bytes = assemblePxvm(
    "IMM8 R1, 1\nIMM32 R2, -2\nMOV R3, R2\nADD R4, R1, R2\nSUB R5, R1, R2\nSYSCALL 4\nNOP\nHALT",
  );
  assertEquals(
    Array.from(bytes),
    [
      0x10,
      1,
      1,
      0x11,
      2,
      0xfe,
      0xff,
      0xff,
      0xff,
      0x20,
      3,
      2,
      0x30,
      4,
      1,
      2,
      0x31,
      5,
      1,
      2,
      0xf0,
      4,
      0x01,
      0x00,
    ],
  );
});

Deno.test("labels, header, len() and data assemble to the expected bytes", () => {
  const bytes = assemblePxvm('.header go\nmsg: .string "AB"\ngo: IMM32 R1, len(msg)\nJMP go\n');
  assertEquals(Array.from(bytes.subarray(0, 8)), [0x50, 0x58, 0x56, 0x4d, 2, 0, 2, 0]);
  assertEquals(Array.from(bytes.subarray(8)), [0x41, 0x42, 0x11, 1, 2, 0, 0, 0, 0x50, 2, 0]);
});

Deno.test("assembler errors say what and where (line:col)", async () => {
  await assertPxosError(
    () => assemblePxvm("NOP\n  FROB R1"),
    "E_ASSEMBLE",
    /:2:3: unknown mnemonic "FROB"/,
  );
  await assertPxosError(
    () => assemblePxvm("MOV R1, R8"),
    "E_ASSEMBLE",
    /:1:9: expected a register R0–R7/,
  );
  await assertPxosError(() => assemblePxvm("IMM8 R1, 256"), "E_ASSEMBLE", /expected a value 0–255/);
  await assertPxosError(() => assemblePxvm("JMP nowhere"), "E_ASSEMBLE", /label or address/);
  await assertPxosError(() => assemblePxvm("a: NOP\na: NOP"), "E_ASSEMBLE", /duplicate label a/);
  await assertPxosError(() => assemblePxvm("ADD R1, R2"), "E_ASSEMBLE", /expects 3 operand/);
  await assertPxosError(() => assemblePxvm("NOP\n.header x"), "E_ASSEMBLE", /first statement/);
});

const PROGRAMS = [
  "IMM8 R1, 1\nSYSCALL PRINT_ID\nHALT",
  '.header main\ndata: .string "pxVM!"\n.byte 0, 1, 2\nmain: CALL f\nHALT\nf: IMM32 R1, data\nRET',
  "loop: ADDI R1, 1\nCMP R1, R2\nJLT loop\nJNZ R1, loop\nHALT\n.byte 0xEE, 0x11",
  ".byte 0x11, 9, 0, 0, 0, 0\nHALT", // bad register: kept as data bytes
  ".byte 0x11, 1", // truncated
];

Deno.test("disassemble → assemble gives the same bytes", () => {
  for (const src of PROGRAMS) {
    const bytes = assemblePxvm(src);
    const text = disassemblePxvm(bytes);
    assertEquals(Array.from(assemblePxvm(text)), Array.from(bytes), text);
  }
});

Deno.test("disassembly names targets with labels and shows data as data", () => {
  const text = disassemblePxvm(assemblePxvm(PROGRAMS[1]));
  assertMatch(text, /^\.header L_0008$/m);
  assertMatch(text, /\.string "pxVM!"/);
  assertMatch(text, /CALL L_000c/);
  assertMatch(text, /IMM32 R1, 0/);
});

Deno.test("the engine's compile hook turns .pxvmasm into .pxvm", () => {
  const out = pxvmEngine.compile(new TextEncoder().encode("HALT\n"), { path: "a/main.pxvmasm" });
  assertEquals(out.path, "a/main.pxvm");
  // The one-byte image, under a version-3 header whose debug section maps it to main.pxvmasm.
  const h = readHeader(out.bytes, "a/main.pxvm");
  assertEquals([Array.from(h.image), h.sourceMap?.files], [[0], ["main.pxvmasm"]]);
  assertEquals(pxvmEngine.disassemble(out.bytes, { path: "x" }).includes("HALT"), true);
});

Deno.test("ProgramBuilder builds the seed hello program", async () => {
  const b = new ProgramBuilder()
    .sysPrint(1)
    .sysLayer(3)
    .sysRect(100, 100, 400, 300, 1)
    .sysText(110, 110, 4, 2)
    .imm8(6, 3)
    .label("loop")
    .addi(6, -1)
    .jnz(6, "loop")
    .halt()
    .string("unused", "data");
  const bytes = b.build();
  assertEquals(bytes[0], 0x11); // IMM32 R1, 1
  const run = await runBoth(bytes, { strict: true });
  assertEquals(run.out, "PXVM booting...\n");
  assertEquals(run.ops.filter((o) => o !== "present" && o.op === "rect").length, 1);
  assert(b.toAssembly().includes("JNZ R6, loop"));
});

Deno.test("load refuses bad headers, oversize programs and bad jump targets", async () => {
  const load = (bytes: number[]) => pxvmEngine.load(Uint8Array.from(bytes), { path: "p.pxvm" });
  await assertPxosError(() => load([0x50, 0x58, 0x56, 0x4d, 2]), "E_VERIFY", /8-byte PXVM header/);
  await assertPxosError(
    () => load([0x50, 0x58, 0x56, 0x4d, 9, 0, 0, 0]),
    "E_VERIFY",
    /version 2 \(or 3 with a debug section\), found 9/,
  );
  await assertPxosError(() => load([0x50, 0x58, 0x56, 0x4d, 2, 0, 5, 0, 0]), "E_VERIFY", /entry/);
  await assertPxosError(() => load([0x50, 0x10, 0x00]), "E_VERIFY", /target within/);
  // JMP 1 lands inside the JMP itself.
  await assertPxosError(() => load([0x50, 0x01, 0x00]), "E_VERIFY", /overlap|inside/);
  await assertPxosError(
    () => pxvmEngine.load(new Uint8Array(65537), { path: "big.pxvm" }),
    "E_VERIFY",
    /at most 65536 bytes/,
  );
});

Deno.test("a jump with a bad register still has its target verified and decoded", async () => {
  // JZ R9, 6: R9 reads 0, so the jump is taken (after a warning) to the HALT at 6.
  const bytes = Uint8Array.from([0x57, 9, 6, 0, 0xee, 0xee, 0x00]);
  const { runBoth } = await import("./helpers.ts");
  const run = await runBoth(bytes);
  assertMatch(run.out, /bad register index 9/);
  assertEquals(run.out.split("\n").filter(Boolean).length, 1); // no 0xee warnings: skipped
  assertEquals(Array.from(assemblePxvm(disassemblePxvm(bytes))), Array.from(bytes));
});
