/** Every check is E_ASSEMBLE at file:line:col with the line and a caret. */
import { assertEquals, assertPxosError } from "../assert.ts";
import { buildPxi, type PxiTarget } from "../../src/pxi/build.ts";
import { parsePxiJson } from "../../src/pxi/json.ts";
import { pxs } from "./helpers.ts";

async function refused(
  text: string,
  message: RegExp,
  line: number,
  col: number,
  target: PxiTarget = "x86",
) {
  const e = await assertPxosError(
    () => buildPxi(pxs(text, "bad.pxs"), target),
    "E_ASSEMBLE",
    message,
  );
  assertEquals([e.file, e.line, e.col], ["bad.pxs", line, col], e.message);
  const caret = e.message.split("\n").at(-1)!;
  assertEquals(caret.indexOf("^") - 4, col - 1, `caret under column ${col}:\n${e.message}`);
}

Deno.test("unknown instruction, operand form and syscall", async () => {
  await refused("NOP\n  FROB AX\n", /unknown instruction "FROB"/, 2, 3);
  await refused("MOV AX, [BX+BP]\n", /not a 16-bit address/, 1, 9);
  await refused("MOV AX, [CX]\n", /not a 16-bit address/, 1, 9);
  await refused("PUSH AL\n", /16-bit operand, not AL/, 1, 6);
  await refused("MOV DS, 5\n", /segment register is loaded from a register or memory/, 1, 9);
  await refused("MOV [BX], [SI]\n", /two memory operands/, 1, 11);
  await refused("SHL AX, BX\n", /counts by 1, CL or a number/, 1, 9);
  await refused("SYSCALL beep\n", /unknown SYSCALL "beep"/, 1, 9);
  await refused("MOV AX\n", /MOV takes 2 operand/, 1, 1);
  await refused("REP MOV AX, BX\n", /REP applies to string instructions/, 1, 1);
  await refused("INT 300\n", /does not fit 8 bits/, 1, 5);
  await refused("OUT 0x3F8, AL\n", /port 1016 is above 255/, 1, 5);
});

Deno.test("size mismatch and missing size", async () => {
  await refused("MOV AL, BX\n", /size mismatch/, 1, 9);
  await refused("ADD CX, BYTE [SI]\n", /size mismatch/, 1, 9);
  await refused("MOV [BX], 1\n", /operand size not given/, 1, 5);
  await refused("MOV AL, 300\n", /value 300 does not fit 8 bits/, 1, 9);
});

Deno.test("labels: undefined, duplicate, local outside FUNC, local of another FUNC", async () => {
  await refused("JMP nowhere\n", /undefined label nowhere/, 1, 5);
  await refused("a: NOP\n a: NOP\n", /duplicate label a \(first defined at line 1\)/, 2, 2);
  await refused(".x: NOP\n", /local label .x outside a FUNC/, 1, 1);
  await refused(
    "FUNC f\n.x: NOP\nENDFUNC\nFUNC g\n  JMP .x\nENDFUNC\n",
    /local label .x is not defined in FUNC g \(it is local to FUNC f\)/,
    5,
    7,
  );
  await refused("FUNC f\nNOP\n", /FUNC f has no ENDFUNC/, 1, 1);
  await refused("ENDFUNC\n", /ENDFUNC without FUNC/, 1, 1);
  await refused("__pxi_print_char: NOP\n", /reserved/, 1, 1);
});

Deno.test("a jump that cannot reach, a boot sector that does not fit", async () => {
  await refused(
    `top: NOP\n${"NOP\n".repeat(200)}LOOP top\n`,
    /LOOP reaches -128..127 bytes; the target is -203 bytes away/,
    202,
    6,
  );
  await assertPxosError(
    () => buildPxi(pxs(`ORG 0x7C00\nRESB_ZERO: NOP\n${"NOP\n".repeat(511)}`), "x86-boot"),
    "E_ASSEMBLE",
    /512 bytes; a boot sector holds 510/,
  );
  await assertPxosError(() => buildPxi(pxs("NOP\n"), "x86-boot"), "E_ASSEMBLE", /write ORG 0x7C00/);
});

Deno.test("forms pxVM cannot express are named at compile time", async () => {
  await refused(
    "ADC AX, 1\n",
    /ADC cannot be expressed on pxVM: pxVM has no carry flag/,
    1,
    1,
    "pxvm",
  );
  await refused("NOP\nINT 0x13\n", /INT 19 cannot be expressed on pxVM/, 2, 1, "pxvm");
  await refused(
    "IN AL, 0x60\n",
    /IN cannot be expressed on pxVM: pxVM has no I\/O ports/,
    1,
    1,
    "pxvm",
  );
  await refused(
    "OUT DX, AL\n",
    /OUT cannot be expressed on pxVM except OUT 0xF4, AL/,
    1,
    1,
    "pxvm",
  );
});

Deno.test("JSON input errors name the element", async () => {
  const doc = (ins: unknown[]) =>
    JSON.stringify({ source: "a", ir_version: 1, origin: 0, instructions: ins, data: [] });
  await assertPxosError(
    () => parsePxiJson(doc([{ op: "MOV", operands: { dst: "AX", source: "1" } }]), "a.pxi.json"),
    "E_ASSEMBLE",
    /instructions\[0\]\.operands: unknown field "source"/,
  );
  await assertPxosError(
    () => parsePxiJson(doc([{ op: "FLY", operands: {} }]), "a.pxi.json"),
    "E_ASSEMBLE",
    /instructions\[0\]\.op: unknown instruction "FLY"/,
  );
  await assertPxosError(
    () => parsePxiJson(doc([{ op: "NOP", operands: {}, extra: 1 }]), "a.pxi.json"),
    "E_ASSEMBLE",
    /unknown field "extra"/,
  );
  await assertPxosError(() => parsePxiJson("{", "a.pxi.json"), "E_ASSEMBLE", /not JSON/);
  await assertPxosError(
    () =>
      parsePxiJson(
        JSON.stringify({ source: "a", ir_version: 2, origin: 0, instructions: [], data: [] }),
      ),
    "E_ASSEMBLE",
    /ir_version: expected 1/,
  );
  const e = await assertPxosError(
    () =>
      buildPxi(
        parsePxiJson(doc([{ op: "JMP", operands: { target: "away" } }]), "a.pxi.json"),
        "x86",
      ),
    "E_ASSEMBLE",
    /undefined label away/,
  );
  assertEquals(e.message.includes("instructions[0]: JMP away"), true, e.message);
});

Deno.test("data that cannot fit 64 KiB is refused before anything is built", async () => {
  await refused(
    `NOP\nbig: TIMES 60000 DB "${"x".repeat(100)}"\n`,
    /the data reaches 6000000 bytes/,
    2,
    6,
  );
  await refused("a: RESB 40000\nb: RESB 40000\n", /the data reaches 80000 bytes/, 2, 4);
});

Deno.test("label names must be names (not registers, not text from a JSON document)", async () => {
  await refused("AX: NOP\n", /bad label name "AX"/, 1, 1);
  const doc = JSON.stringify({
    source: "a",
    ir_version: 1,
    origin: 0,
    instructions: [{ op: "LABEL", operands: { name: "a b" } }],
    data: [],
  });
  await assertPxosError(
    () => buildPxi(parsePxiJson(doc, "a.pxi.json"), "x86"),
    "E_ASSEMBLE",
    /bad label name "a b"/,
  );
});

Deno.test("a carry condition after an instruction whose carry pxVM does not model is refused", async () => {
  await refused("x: ADD AX, 1\nJC x\n", /JC after ADD cannot be expressed on pxVM/, 2, 1, "pxvm");
  await refused("x: SHL AX, 1\nMOV BX, 2\nJNC x\n", /JNC after SHL/, 3, 1, "pxvm");
  // After CMP or logic the carry is exact; after a label the source is unknown and allowed.
  buildPxi(pxs("x: CMP AX, 1\nJB x\nTEST AL, 1\nJA x\nADD AX, 1\ny: JC y\n"), "pxvm");
});
