/** The pxVM backend: examples, x86 semantics on pxVM, and `pxos run x.pxs` through the engine. */
import { assertEquals } from "../assert.ts";
import { EXAMPLES, pxs, repoText, runOnPxvm } from "./helpers.ts";

Deno.test("every example prints its text on pxVM (strict mode: no imperfection)", async () => {
  for (const { path, output } of EXAMPLES) {
    const { out, exitCode } = await runOnPxvm(pxs(repoText(path), path));
    assertEquals(out, output, path);
    assertEquals(exitCode, 0);
  }
});

Deno.test("16-bit and 8-bit arithmetic wraps like x86", async () => {
  // Prints AX bit by bit (TEST, not the carry of SHL: pxVM models no carry).
  const bits = async (body: string) => {
    const { out } = await runOnPxvm(pxs(`FUNC main\n${body}
    MOV BX, AX
    MOV CX, 16
.bit:
    MOV AL, '0'
    TEST BX, 0x8000
    JZ .zero
    MOV AL, '1'
.zero:
    SYSCALL print_char
    SHL BX, 1
    LOOP .bit
    MOV AL, 0
    SYSCALL halt
ENDFUNC
`));
    return parseInt(out, 2);
  };
  assertEquals(await bits("MOV AX, 0xFFFF\nADD AX, 2"), 1);
  assertEquals(await bits("MOV AX, 0\nSUB AX, 1"), 0xffff);
  assertEquals(await bits("MOV AX, 0x1234\nMOV AL, 0xFF\nINC AL"), 0x1200);
  assertEquals(await bits("MOV AX, 0x1234\nMOV AH, 0xAB"), 0xab34);
  assertEquals(await bits("MOV AX, 300\nMOV BX, 300\nMUL BX\nMOV AX, DX"), (300 * 300) >>> 16);
  assertEquals(await bits("MOV AX, -7\nCWD\nMOV BX, 2\nIDIV BX"), (-3) & 0xffff);
  assertEquals(await bits("MOV AX, 0x8001\nSAR AX, 1"), 0xc000);
  assertEquals(await bits("MOV AX, 0x8001\nSHR AX, 1"), 0x4000);
  assertEquals(await bits("MOV AX, 0x00FF\nNOT AX"), 0xff00);
  assertEquals(await bits("MOV BX, 0x10\nMOV SI, 3\nLEA AX, [BX+SI+0xFFF0]"), 3);
  assertEquals(await bits("MOV AL, 200\nMOV BL, 3\nMUL BL"), 600);
  assertEquals(
    await bits("MOV AX, 1000\nMOV BL, 7\nDIV BL"),
    ((1000 % 7) << 8) | Math.floor(1000 / 7),
  );
});

Deno.test("signed and unsigned conditions after CMP agree with x86", async () => {
  const cases: [number, number][] = [[1, 2], [2, 1], [5, 5], [0xffff, 1], [1, 0xffff], [
    0x8000,
    0x7fff,
  ], [0, 0x8000]];
  for (const [a, b] of cases) {
    const sa = (a << 16) >> 16;
    const sb = (b << 16) >> 16;
    const expected = [sa < sb, sa > sb, a < b, a > b, a === b, sa <= sb, a >= b].map((
      t,
    ) => (t ? "1" : "0")).join("");
    const probe = (jcc: string) =>
      `MOV AL, '0'\nCMP CX, DX\n${jcc} .t_${jcc}\nJMP .p_${jcc}\n.t_${jcc}: MOV AL, '1'\n.p_${jcc}: SYSCALL print_char\n`;
    const body = `MOV CX, ${a}\nMOV DX, ${b}\n${
      ["JL", "JG", "JB", "JA", "JE", "JLE", "JAE"].map(probe).join("")
    }MOV AL, 0\nSYSCALL halt\n`;
    const { out } = await runOnPxvm(pxs(`FUNC main\n${body}ENDFUNC\n`));
    assertEquals(out, expected, `CMP ${a}, ${b}`);
  }
});

Deno.test("INT 0x10 teletype prints AL; OUT 0xF4 exits with AL; REP MOVSB copies", async () => {
  const { out, exitCode } = await runOnPxvm(pxs(`FUNC main
    MOV AH, 0x0E
    MOV AL, 'T'
    INT 0x10
    MOV AH, 0x00          ; not teletype: nothing printed
    INT 0x10
    MOV SI, src
    MOV DI, dst
    MOV CX, 3
    REP MOVSB
    MOV SI, dst
    SYSCALL print_string
    MOV AL, 7
    OUT 0xF4, AL
ENDFUNC
src: STRING "abc"
dst: RESB 4
`));
  assertEquals([out, exitCode], ["Tabc", 7]);
});
