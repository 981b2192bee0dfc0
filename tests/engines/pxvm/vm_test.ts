import { assert, assertEquals, assertPxosError } from "../../assert.ts";
import { OPCODES } from "../../../src/engines/pxvm/isa.ts";
import { runBoth, runPxvm } from "./helpers.ts";

/** Prints register `r` with PRINT_INT. */
const show = (r: number) => `MOV R1, R${r}\nSYSCALL PRINT_INT\n`;

/** One program per opcode: setup, the instruction, and the printed result. */
const CASES: Record<string, { src: string; out: string }> = {
  HALT: { src: "HALT\nIMM8 R1, 9\nSYSCALL PRINT_INT\n", out: "" },
  NOP: { src: "NOP\nIMM8 R1, 7\nSYSCALL PRINT_INT\nHALT", out: "7\n" },
  IMM8: { src: `IMM8 R3, 255\n${show(3)}HALT`, out: "255\n" },
  IMM32: { src: `IMM32 R3, -123456789\n${show(3)}HALT`, out: "-123456789\n" },
  MOV: { src: `IMM32 R2, 42\nMOV R5, R2\n${show(5)}HALT`, out: "42\n" },
  ADD: {
    src: `IMM32 R2, 0x7fffffff\nIMM8 R3, 1\nADD R4, R2, R3\n${show(4)}HALT`,
    out: "-2147483648\n",
  },
  SUB: { src: `IMM8 R2, 3\nIMM8 R3, 5\nSUB R4, R2, R3\n${show(4)}HALT`, out: "-2\n" },
  MUL: { src: `IMM32 R2, 65536\nIMM32 R3, 65537\nMUL R4, R2, R3\n${show(4)}HALT`, out: "65536\n" },
  DIV: { src: `IMM32 R2, -7\nIMM8 R3, 2\nDIV R4, R2, R3\n${show(4)}HALT`, out: "-3\n" },
  MOD: { src: `IMM32 R2, -7\nIMM8 R3, 2\nMOD R4, R2, R3\n${show(4)}HALT`, out: "-1\n" },
  AND: { src: `IMM8 R2, 12\nIMM8 R3, 10\nAND R4, R2, R3\n${show(4)}HALT`, out: "8\n" },
  OR: { src: `IMM8 R2, 12\nIMM8 R3, 10\nOR R4, R2, R3\n${show(4)}HALT`, out: "14\n" },
  XOR: { src: `IMM8 R2, 12\nIMM8 R3, 10\nXOR R4, R2, R3\n${show(4)}HALT`, out: "6\n" },
  SHL: { src: `IMM8 R2, 1\nIMM8 R3, 33\nSHL R4, R2, R3\n${show(4)}HALT`, out: "2\n" },
  SHR: { src: `IMM32 R2, -1\nIMM8 R3, 28\nSHR R4, R2, R3\n${show(4)}HALT`, out: "15\n" },
  SAR: { src: `IMM32 R2, -16\nIMM8 R3, 2\nSAR R4, R2, R3\n${show(4)}HALT`, out: "-4\n" },
  NOT: { src: `IMM8 R2, 0\nNOT R4, R2\n${show(4)}HALT`, out: "-1\n" },
  ADDI: { src: `IMM8 R4, 5\nADDI R4, -7\n${show(4)}HALT`, out: "-2\n" },
  CMP: {
    src: `IMM32 R2, -1\nIMM8 R3, 1\nCMP R2, R3\nJLT yes\nHALT\nyes: ${show(2)}HALT`,
    out: "-1\n",
  },
  CMPU: {
    src: `IMM32 R2, -1\nIMM8 R3, 1\nCMPU R2, R3\nJGT yes\nHALT\nyes: ${show(3)}HALT`,
    out: "1\n",
  },
  JMP: {
    src: `JMP over\nIMM8 R1, 1\nSYSCALL PRINT_INT\nover: IMM8 R1, 2\nSYSCALL PRINT_INT\nHALT`,
    out: "2\n",
  },
  JEQ: { src: `IMM8 R2, 4\nIMM8 R3, 4\nCMP R2, R3\nJEQ t\nHALT\nt: ${show(2)}HALT`, out: "4\n" },
  JNE: { src: `IMM8 R2, 4\nIMM8 R3, 5\nCMP R2, R3\nJNE t\nHALT\nt: ${show(3)}HALT`, out: "5\n" },
  JLT: { src: `IMM8 R2, 4\nIMM8 R3, 5\nCMP R3, R2\nJLT t\n${show(2)}HALT\nt: HALT`, out: "4\n" },
  JLE: { src: `IMM8 R2, 5\nIMM8 R3, 5\nCMP R2, R3\nJLE t\nHALT\nt: ${show(2)}HALT`, out: "5\n" },
  JGT: { src: `IMM8 R2, 6\nIMM8 R3, 5\nCMP R2, R3\nJGT t\nHALT\nt: ${show(2)}HALT`, out: "6\n" },
  JGE: { src: `IMM8 R2, 4\nIMM8 R3, 5\nCMP R2, R3\nJGE t\n${show(3)}HALT\nt: HALT`, out: "5\n" },
  JZ: { src: `IMM8 R2, 0\nJZ R2, t\nHALT\nt: IMM8 R1, 1\nSYSCALL PRINT_INT\nHALT`, out: "1\n" },
  JNZ: {
    src: `IMM8 R2, 3\nIMM8 R4, 0\nloop: ADDI R4, 10\nADDI R2, -1\nJNZ R2, loop\n${show(4)}HALT`,
    out: "30\n",
  },
  CALL: { src: `CALL f\n${show(3)}HALT\nf: IMM8 R3, 77\nRET`, out: "77\n" },
  RET: {
    src: `CALL a\n${show(3)}HALT\na: CALL b\nADDI R3, 1\nRET\nb: IMM8 R3, 10\nRET`,
    out: "11\n",
  },
  PUSH: { src: `IMM8 R2, 9\nPUSH R2\nIMM8 R2, 1\nPOP R3\n${show(3)}HALT`, out: "9\n" },
  POP: { src: `IMM32 R2, -5\nPUSH R2\nPOP R6\n${show(6)}HALT`, out: "-5\n" },
  LOAD8: { src: `IMM32 R2, data\nLOAD8 R3, R2\n${show(3)}HALT\ndata: .byte 200, 1`, out: "200\n" },
  LOAD16: { src: `IMM32 R2, data\nLOAD16 R3, R2\n${show(3)}HALT\ndata: .byte 1, 2`, out: "513\n" },
  LOAD32: {
    src: `IMM32 R2, data\nLOAD32 R3, R2\n${show(3)}HALT\ndata: .byte 0xff, 0xff, 0xff, 0xff`,
    out: "-1\n",
  },
  STORE8: {
    src: `IMM32 R2, 1000\nIMM32 R3, 0x1ff\nSTORE8 R2, R3\nLOAD32 R4, R2\n${show(4)}HALT`,
    out: "255\n",
  },
  STORE16: {
    src: `IMM32 R2, 1000\nIMM32 R3, 0x12345\nSTORE16 R2, R3\nLOAD32 R4, R2\n${show(4)}HALT`,
    out: "9029\n",
  },
  STORE32: {
    src: `IMM32 R2, 65532\nIMM32 R3, -9\nSTORE32 R2, R3\nLOAD32 R4, R2\n${show(4)}HALT`,
    out: "-9\n",
  },
  SYSCALL: { src: "IMM8 R1, 2\nSYSCALL 1\nHALT", out: "PXVM ready.\n" },
};

Deno.test("every opcode has a test case", () => {
  assertEquals(OPCODES.map((o) => o.mnemonic).filter((m) => !(m in CASES)), []);
});

for (const [mnemonic, { src, out }] of Object.entries(CASES)) {
  Deno.test(`opcode ${mnemonic} (interpreter and fast tier agree)`, async () => {
    const run = await runBoth(src, { strict: true });
    assertEquals(run.out, out);
    assertEquals(run.result.exitCode, 0);
  });
}

Deno.test("fuel counts every instruction, HALT included, in both tiers", async () => {
  const src = "IMM8 R2, 100\nloop: ADDI R2, -1\nJNZ R2, loop\nHALT";
  const run = await runBoth(src);
  assertEquals(run.result.fuelUsed, 1 + 200 + 1);
});

Deno.test("fuel runs out at exactly the limit (E_FUEL), in both tiers", async () => {
  const src = "IMM8 R2, 100\nloop: ADDI R2, -1\nJNZ R2, loop\nHALT";
  for (const jit of [true, false]) {
    await runPxvm(src, { fuel: 202, jit }); // exactly enough
    await assertPxosError(() => runPxvm(src, { fuel: 201, jit }), "E_FUEL", /fuel/);
  }
});

Deno.test("an infinite loop ends with E_TIMEOUT when fuel is plentiful", async () => {
  for (const jit of [true, false]) {
    await assertPxosError(
      () => runPxvm("loop: JMP loop", { fuel: 1e12, timeoutMs: 30, jit }),
      "E_TIMEOUT",
    );
  }
});

Deno.test("stack errors always trap, in both modes and tiers", async () => {
  for (const jit of [true, false]) {
    await assertPxosError(() => runPxvm("RET", { jit }), "E_TRAP", /empty stack/);
    await assertPxosError(() => runPxvm("POP R1\nHALT", { jit }), "E_TRAP", /underflow/);
    await assertPxosError(() => runPxvm("f: CALL f", { jit }), "E_TRAP", /overflow/);
    await assertPxosError(
      () => runPxvm("IMM32 R1, 3\nPUSH R1\nRET\nHALT", { jit }),
      "E_TRAP",
      /no instruction/,
    );
  }
});

Deno.test("SYSCALL EXIT ends with the exit code; R0 is the syscall number", async () => {
  const run = await runBoth("IMM32 R1, 300\nSYSCALL EXIT\nHALT");
  assertEquals(run.result.exitCode, 300 & 255);
  assertEquals((await runBoth(`SYSCALL 28\n${show(0)}HALT`)).out, "1\n"); // CLOCK: virtual 1 ms
});

Deno.test("a header sets the entry; data before the code is never decoded", async () => {
  const src = `.header main\nmsg: .string "Vhi\\n"\nmain: IMM32 R1, msg\nIMM32 R2, len(msg)\n` +
    "SYSCALL PRINT\nHALT";
  const run = await runBoth(src);
  assertEquals(run.out, "Vhi\n");
});

Deno.test("a long register loop gives the same result and fuel in both tiers", async () => {
  const src = `IMM32 R1, 100000\nIMM8 R2, 1\nIMM8 R3, 0\nloop: ADD R3, R3, R1\nSUB R1, R1, R2\n` +
    `JNZ R1, loop\n${show(3)}HALT`;
  const run = await runBoth(src);
  let acc = 0;
  for (let i = 100000; i > 0; i--) acc = (acc + i) | 0;
  assertEquals(run.out, `${acc}\n`);
  assertEquals(run.result.fuelUsed, 3 + 3 * 100000 + 3); // setup, loop, MOV+SYSCALL+HALT
});

Deno.test("trace and profile use the interpreter and report every instruction", async () => {
  const { assemblePxvm } = await import("../../../src/engines/pxvm/assembler.ts");
  const { pxvmEngine } = await import("../../../src/engines/pxvm/engine.ts");
  const { createHost } = await import("../../../src/host/host.ts");
  const program = pxvmEngine.load(
    assemblePxvm("IMM8 R1, 2\nloop: ADDI R1, -1\nJNZ R1, loop\nHALT"),
    {
      path: "t.pxvm",
    },
  );
  const lines: string[] = [];
  const result = await pxvmEngine.run(
    program,
    createHost({ stdout: () => {} }),
    { fuel: 100, timeoutMs: 1000, memoryBytes: 0, outputBytes: 1 << 20 },
    { trace: (l) => lines.push(l), profile: true },
  );
  assertEquals(lines.length, 6);
  assert(lines[0].startsWith("0000  IMM8 R1, 2"), lines[0]);
  const opcodes = result.profile!.find((s) => s.title === "opcodes")!;
  assertEquals(opcodes.rows[0], { name: "ADDI", count: 2 });
});
