/** Syntax errors quote the source line with a caret, the same way in every engine. */
import { assemblePxasm } from "../../src/engines/pixelvm/assembler.ts";
import { assemblePxvm } from "../../src/engines/pxvm/assembler.ts";
import { compilePoh } from "../../src/engines/poh/mod.ts";
import { quoteSourceLine, syntaxError } from "../../src/engines/source_error.ts";
import { assertEquals, assertPxosError } from "../assert.ts";

Deno.test("quoteSourceLine puts the caret under the column, tabs as one space", () => {
  assertEquals(quoteSourceLine("\tPUSH x", 12, 7), ["  12 |  PUSH x", "     |       ^"]);
  assertEquals(quoteSourceLine("ab", 1, 99)[1], "    |   ^"); // clamped just past the end
  assertEquals(quoteSourceLine("x".repeat(300), 1, 1)[0].length, 6 + 200 + 1);
});

Deno.test("syntaxError: file:line:col, the line, the caret, the hint", () => {
  const e = syntaxError("a\nb c\n", "f.txt", 2, 3, "expected d", "write d");
  assertEquals(e.message, "f.txt:2:3: expected d\n  2 | b c\n    |   ^\nhint: write d");
  assertEquals([e.code, e.line, e.col], ["E_ASSEMBLE", 2, 3]);
});

const CASES: [string, () => unknown, string][] = [
  [
    "PixelVM",
    () => assemblePxasm("PUSH 1\n  PUHS 2\nHALT\n", { file: "a.pxasm" }),
    'a.pxasm:2:3: unknown instruction "PUHS"\n  2 |   PUHS 2\n    |   ^',
  ],
  [
    "PixelVM (lexer)",
    () => assemblePxasm("PUSH 1 $\n", { file: "b.pxasm" }),
    'b.pxasm:1:8: unexpected character "$"\n  1 | PUSH 1 $\n    |        ^',
  ],
  [
    "pxVM",
    () => assemblePxvm("IMM8 R1, 1\nBOGUS R1\nHALT\n", "c.pxvmasm"),
    'c.pxvmasm:2:1: unknown mnemonic "BOGUS"\n  2 | BOGUS R1\n    | ^',
  ],
];

for (const [engine, run, message] of CASES) {
  Deno.test(`${engine} syntax errors quote the line with a caret`, async () => {
    const e = await assertPxosError(run, "E_ASSEMBLE");
    assertEquals(e.message, message);
  });
}

Deno.test("Poh syntax errors use the same form", async () => {
  const e = await assertPxosError(
    () => compilePoh(new TextEncoder().encode('Write "a"\nSet x to\n'), { path: "d.poh" }),
    "E_ASSEMBLE",
  );
  const lines = e.message.split("\n");
  assertEquals(lines[0].startsWith("d.poh:2:"), true);
  assertEquals(lines[1], "  2 | Set x to");
  assertEquals(lines[2].trimEnd().endsWith("^"), true);
});
