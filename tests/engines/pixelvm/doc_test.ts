import { generatePixelvmDoc } from "../../../src/engines/pixelvm/doc.ts";
import { PIXELVM_HOST_CALLS, PIXELVM_ISA } from "../../../src/engines/pixelvm/isa.ts";
import { assert, assertEquals } from "../../assert.ts";
import { denoFmtMarkdown } from "../../fmt_markdown.ts";

Deno.test("docs/engines/pixelvm.md is current (generated from isa.ts, then deno fmt)", async () => {
  const committed = await Deno.readTextFile(
    new URL("../../../docs/engines/pixelvm.md", import.meta.url),
  );
  assertEquals(
    committed,
    await denoFmtMarkdown(generatePixelvmDoc()),
    "regenerate with the command at the end of docs/engines/pixelvm.md",
  );
});

Deno.test("the ISA page lists every opcode and every host-call id", () => {
  const page = generatePixelvmDoc();
  for (const op of PIXELVM_ISA) assert(page.includes(`| \`${op.name}\` |`), op.name);
  for (const h of PIXELVM_HOST_CALLS) assert(page.includes(`\`${h.name}\``), h.name);
});

Deno.test("the ISA table: unique bytes and names, seed opcodes keep their bytes", () => {
  assertEquals(new Set(PIXELVM_ISA.map((s) => s.code)).size, PIXELVM_ISA.length);
  assertEquals(new Set(PIXELVM_ISA.map((s) => s.name)).size, PIXELVM_ISA.length);
  const seed = Object.fromEntries(PIXELVM_ISA.filter((s) => s.seed).map((s) => [s.name, s.code]));
  assertEquals(seed, {
    PUSH: 0x01,
    POP: 0x02,
    ADD: 0x03,
    SUB: 0x04,
    MUL: 0x05,
    DIV: 0x06,
    MOD: 0x07,
    PRINT: 0x10,
    DUP: 0x11,
    SWAP: 0x12,
    PRINT_STR: 0x13,
    EQ: 0x20,
    LT: 0x21,
    GT: 0x22,
    JMP: 0x30,
    JZ: 0x31,
    JNZ: 0x32,
    CALL: 0x33,
    RET: 0x34,
    LOAD: 0x40,
    STORE: 0x41,
    HOST_CALL: 0x50,
    NOP: 0xfe,
    HALT: 0xff,
  });
});
