/** The IR: text and JSON parse to one AST and round-trip; the syntax's corners. */
import { assertEquals } from "../assert.ts";
import { parsePxiJson, pxiToJson } from "../../src/pxi/json.ts";
import { parsePxs } from "../../src/pxi/parse_text.ts";
import { printPxs } from "../../src/pxi/print_text.ts";
import { pohToPxi } from "../../src/pxi/poh/frontend.ts";
import { pxiDataBytes } from "../../src/pxi/data.ts";
import { parsePxiOperand } from "../../src/pxi/operands.ts";
import { EXAMPLES, repoText } from "./helpers.ts";

Deno.test("text → JSON → text → JSON is a fixed point for every example (and Poh output)", () => {
  const texts = [
    ...EXAMPLES.map((e) => ({ name: e.path, text: repoText(e.path) })),
    {
      name: "poh.pxs",
      text: printPxs(pohToPxi(repoText("examples/pxi-poh/main.poh"), "main.poh")),
    },
  ];
  for (const { name, text } of texts) {
    const ast = parsePxs(text, name).program;
    const json = pxiToJson(ast);
    const back = parsePxiJson(json, "x.pxi.json").program;
    assertEquals(back, ast, `${name}: JSON → AST differs`);
    const text2 = printPxs(back);
    assertEquals(parsePxs(text2, name).program, ast, `${name}: printed text parses differently`);
    assertEquals(pxiToJson(parsePxs(text2, name).program), json);
  }
});

Deno.test("the JSON form has the seed's shape", () => {
  const doc = JSON.parse(
    pxiToJson(
      parsePxs('ORG 0x7C00\nMOV AX, 5 ; five\nJMP x\nx: NOP\nmsg: STRING "hi"\n', "a.pxs").program,
    ),
  );
  assertEquals(Object.keys(doc), ["source", "ir_version", "origin", "instructions", "data"]);
  assertEquals(doc.origin, 0x7c00);
  assertEquals(doc.instructions[0], {
    op: "MOV",
    operands: { dst: "AX", src: "5" },
    comment: "five",
  });
  assertEquals(doc.instructions[1], { op: "JMP", operands: { target: "x" } });
  assertEquals(doc.instructions[2], { op: "LABEL", operands: { name: "x" } });
  assertEquals(doc.instructions[3], { op: "NOP", operands: {} });
  assertEquals(doc.data, [{ label: "msg", type: "STRING", value: "hi" }]);
});

Deno.test("numbers: decimal, hex, binary, char with escapes; strings with escapes", () => {
  const values = ["42", "-3", "0x2A", "0b101010", "'*'", "'\\n'", "'\\x41'", "'\\''"].map((t) => {
    const op = parsePxiOperand(t);
    return op.kind === "imm" ? op.value.offset : NaN;
  });
  assertEquals(values, [42, -3, 42, 42, 42, 10, 65, 39]);
  const { program } = parsePxs(
    's: STRING "a\\tb\\n\\\\\\"\\x7f;"\nb: DB "xy", 0, -1\nw: DW 1, s\nr: RESB 3\nt: TIMES 2 DB 7, 8\n',
    "a.pxs",
  );
  assertEquals(program.data[0].value, 'a\tb\n\\"\x7f;');
  const bytes = program.data.map((d) => pxiDataBytes(d, () => 0x1234));
  assertEquals(bytes, [
    [97, 9, 98, 10, 92, 34, 127, 59, 0],
    [120, 121, 0, 255],
    [1, 0, 0x34, 0x12],
    [0, 0, 0],
    [7, 8, 7, 8],
  ]);
});

Deno.test("memory operands, sizes, prefixes and source notes parse", () => {
  assertEquals(parsePxiOperand("word [bp+4]"), {
    kind: "mem",
    size: 16,
    base: "BP",
    index: undefined,
    disp: { offset: 4 },
  });
  assertEquals(parsePxiOperand("BYTE [si + label - 2]"), {
    kind: "mem",
    size: 8,
    base: undefined,
    index: "SI",
    disp: { label: "label", offset: -2 },
  });
  assertEquals(parsePxiOperand("[di+bx]"), {
    kind: "mem",
    size: undefined,
    base: "BX",
    index: "DI",
    disp: { offset: 0 },
  });
  const { program } = parsePxs(
    "FUNC f\nrep stosb ;@main.poh:7 fill\n.l: jmp .l\nENDFUNC\n",
    "a.pxs",
  );
  assertEquals(program.instructions[1], {
    op: "STOSB",
    operands: {},
    prefix: "REP",
    comment: "fill",
    source_line: 7,
    source_file: "main.poh",
  });
  assertEquals(program.instructions[2], { op: "LABEL", operands: { name: ".l" } });
});

Deno.test("local data labels are stored qualified by their FUNC", () => {
  const { program } = parsePxs('FUNC f\nMOV SI, .m\n.m: STRING "x"\nENDFUNC\n', "a.pxs");
  assertEquals(program.data[0].label, "f.m");
});
