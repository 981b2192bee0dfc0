import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { decodeModule } from "../../../src/engines/pixelvm/module.ts";
import { assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { hex } from "./helpers.ts";

Deno.test("literals: decimal, negative, hex, binary, characters and escapes", () => {
  const bytes = assemblePxasm("PUSH 10\nPUSH -1\nPUSH 0x10\nPUSH 0b101\nPUSH 'A'\nPUSH '\\n'");
  assertEquals(
    hex(bytes),
    "01 0A 00 00 00 01 FF FF FF FF 01 10 00 00 00 01 05 00 00 00 01 41 00 00 00 01 0A 00 00 00",
  );
});

Deno.test("labels, comments, case-insensitive mnemonics and label arithmetic", () => {
  const src =
    "; leading comment\nstart: push 1 ; one\n  JMP end\nmid:\nend: HALT\n.equ K 3\nPUSH K + 2 - 1";
  assertEquals(hex(assemblePxasm(src)), "01 01 00 00 00 30 0A 00 00 00 FF 01 04 00 00 00");
});

Deno.test("strings with escapes become length-prefixed UTF-8", () => {
  assertEquals(hex(assemblePxasm('PRINT_STR "a\\x00é\\u{41}"')), "13 05 00 00 00 61 00 C3 A9 41");
});

Deno.test("the seed VM's immediate memory form assembles as PUSH + op", () => {
  assertEquals(hex(assemblePxasm("LOAD 5")), hex(assemblePxasm("PUSH 5\nLOAD")));
  assertEquals(hex(assemblePxasm("STOREB 2")), hex(assemblePxasm("PUSH 2\nSTOREB")));
});

Deno.test("data directives fill the data section; data labels relocate PUSH operands", () => {
  const m = decodeModule(assemblePxasm(
    ".data\nz: .zero 3\nb: .byte 1, 255, -1\nw: .word -2, 'A'\ns: .string \"hi\"\n.code\nPUSH s\nHALT",
  ));
  assertEquals(hex(m.data), "00 00 00 01 FF FF FE FF FF FF 41 00 00 00 68 69");
  assertEquals(m.relocs, [0]);
  assertEquals(hex(m.code), "01 0E 00 00 00 FF");
});

Deno.test("header directives: module name, memory, exports and imports", () => {
  const m = decodeModule(assemblePxasm(
    ".module lib\n.memory 1024\n.export f\n.import other.g\nf: CALL other.g\nRET",
  ));
  assertEquals(m.name, "lib");
  assertEquals(m.memoryBytes, 1024);
  assertEquals(m.exports, [{ name: "f", offset: 0 }]);
  assertEquals(m.imports, [{ module: "other", name: "g", sites: [0] }]);
});

Deno.test("the module name defaults to the file's base name", () => {
  const m = decodeModule(assemblePxasm(".export f\nf: RET", { file: "dir/my-lib.pxasm" }));
  assertEquals(m.name, "my_lib");
});

/** [source, line, col, message pattern (must quote the offending text where there is one)]. */
const ERRORS: [string, number, number, RegExp][] = [
  ["PUSH 1\nPUHS 2", 2, 1, /unknown instruction "PUHS"/],
  ["PUSH", 1, 1, /PUSH needs a i32 operand/],
  ["POP 3", 1, 5, /POP takes no operand, found "3"/],
  ["JMP nowhere", 1, 5, /undefined label "nowhere"/],
  ["a: NOP\na: NOP", 2, 1, /label "a" is already defined/],
  ["PUSH 0x1FFFFFFFF", 1, 6, /does not fit in 32 bits/],
  ["PUSH 12abc", 1, 6, /found "12abc"/],
  ['PRINT_STR "open', 1, 11, /unterminated string "open/],
  ['PRINT_STR "\\q"', 1, 12, /unknown escape \\q/],
  ["ENTER 256", 1, 7, /ENTER expects 0–255, found "256"/],
  ["HOST_CALL 99", 1, 11, /unknown host call "99"/],
  ["HOST_CALL nope", 1, 11, /undefined label "nope"|unknown host call/],
  [".bogus 1", 1, 1, /unknown directive ".bogus"/],
  [".byte 1", 1, 1, /belongs in the .data section/],
  [".data\nPUSH 1", 2, 1, /in the .data section/],
  ["CALL m.f", 1, 6, /"m.f" is not imported/],
  ["f: NOP\nPUSH f", 2, 6, /code labels are jump\/call targets, not values: "f"/],
  [".export g\nHALT", 1, 1, /no code label "g"/],
  [".memory 10", 1, 9, /multiple of 4/],
  ["PUSH 1 $", 1, 8, /unexpected character "\$"/],
  ["PUSH 1 2", 1, 8, /expected \+ or - in operand, found "2"/],
  [".data\nx: .byte 300", 2, 10, /.byte expects -128–255, found 300/],
];

for (const [src, line, col, pattern] of ERRORS) {
  Deno.test(`assembler error at ${line}:${col}: ${pattern.source}`, async () => {
    const e = await assertPxosError(() => assemblePxasm(src, { file: "t.pxasm" }), "E_ASSEMBLE");
    assertMatch(e.message, pattern);
    assertEquals([e.line, e.col], [line, col]);
    assertMatch(e.message, new RegExp(`^t\\.pxasm:${line}:${col}: `));
  });
}
