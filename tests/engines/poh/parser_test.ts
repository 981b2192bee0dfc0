/** Lexer and parser: the tree shapes that matter and syntax errors that read well. */
import { assertEquals, assertPxosError } from "../../assert.ts";
import { generatePohIsaDoc, parsePoh } from "../../../src/engines/poh/mod.ts";

const parse = (src: string) => parsePoh(src, "main.poh");

Deno.test("poh parser: phrasal and symbolic operators build the same tree", () => {
  const a = parse("Write 1 plus 2 times 3 is greater than 4 and not 5 is 6").body[0];
  const b = parse("Write 1 + 2 * 3 > 4 and not 5 == 6").body[0];
  assertEquals(JSON.stringify(a), JSON.stringify(b));
});

Deno.test("poh parser: keywords are case-insensitive, names are not", () => {
  const p = parse("SET Count TO 1\nwrite count of [1]\nIncrease Count");
  assertEquals(p.body.map((s) => s.kind), ["set", "write", "change"]);
  assertEquals((p.body[0] as { name: string }).name, "Count");
});

Deno.test("poh parser: one-line forms", () => {
  const p = parse(
    'If x Write "a" Otherwise Write "b"\nRepeat 2 times Write 1\nMake f with a Write a',
  );
  const iff = p.body[0] as { kind: string; then: unknown[]; otherwise: unknown[] };
  assertEquals([iff.kind, iff.then.length, iff.otherwise.length], ["if", 1, 1]);
  assertEquals(p.body[1].kind, "repeat");
  const f = p.body[2] as { kind: string; body: { kind: string }[] };
  assertEquals([f.kind, f.body[0].kind], ["func", "return"]);
});

const ERRORS: [string, RegExp][] = [
  [
    "Set x to 1\nIf x > 0\n  Write x\n",
    /^main\.poh:2:1: `End` is missing for the `If` on line 2\n {2}2 \| If x > 0\n {4}\| \^\nhint: add a line `End`/,
  ],
  ["Make f with a\n  Return a\n", /`End` is missing for the `Make` on line 1/],
  [
    "try this:\n  Write 1\nif error\n  Write 2\n",
    /`end try` is missing for the `try this` on line 1/,
  ],
  ["Write 1 +\n", /main\.poh:1:10: expected a value[^]*hint: the expression is incomplete/],
  ["x to 5\n", /expected a statement, found `x`[^]*hint: to give `x` a value, write `Set x to …`/],
  ["greet with 1\n", /hint: to call a function as a statement, write `Use greet with …`/],
  ['Write "abc\n', /1:7: this text has no closing quote/],
  ["While x\nEnd\nEnd\n", /3:1: `End` without a block to close/],
  ["Set while to 1\n", /`while` is a PohLang keyword; pick another name/],
  ["Write 1 @ 2\n", /1:9: unexpected character "@"/],
  ["Return 5\n", /`Return` outside a function/],
  ["Start Program\nWrite 1\n", /`End Program` is missing for the `Start Program` on line 1/],
  ["Set x to Make a box\n", /expected `list` or `dictionary` after `Make a`, found `box`/],
  ["Make f with a set to 1, b\nEnd", /`b` needs a default because an earlier one has one/],
  ["Write length(1, 2)", /length\(\) takes 1 argument\(s\), found 2/],
  ["Write (1 + 2", /expected `\)` to close the `\(` on line 1/],
  ["Write [1, 2", /expected `]` to close the list opened on line 1/],
  ["If x Set", /expected a name after `Set`/],
];

for (const [src, re] of ERRORS) {
  Deno.test(`poh syntax error: ${JSON.stringify(src).slice(0, 40)}`, async () => {
    await assertPxosError(() => parse(src), "E_ASSEMBLE", re);
  });
}

Deno.test("poh ISA page docs/engines/poh_isa.md is current", async () => {
  // `deno fmt` re-wraps paragraphs and pads table cells: compare modulo that layout.
  const norm = (s: string) =>
    s.replace(/\s*\|\s*/g, "|").replace(/-{3,}/g, "---").replace(/\s+/g, " ").trim();
  const committed = await Deno.readTextFile(
    new URL("../../../docs/engines/poh_isa.md", import.meta.url),
  );
  assertEquals(norm(committed), norm(generatePohIsaDoc()));
});

Deno.test("poh parser: hostile nesting is a syntax error, not a stack overflow", async () => {
  await assertPxosError(
    () => parse("Write " + "(".repeat(5000) + "1" + ")".repeat(5000)),
    "E_ASSEMBLE",
    /nesting/,
  );
  await assertPxosError(() => parse("Write " + "- ".repeat(5000) + "1"), "E_ASSEMBLE", /nesting/);
  await assertPxosError(
    () => parse("If 1\n".repeat(3000) + "End\n".repeat(3000)),
    "E_ASSEMBLE",
    /nesting/,
  );
  // Ordinary depth is fine.
  parse("Write " + "(".repeat(50) + "1" + ")".repeat(50));
});

Deno.test("poh parser: a very long operator chain is refused before engines recurse on it", async () => {
  await assertPxosError(
    () => parse("Write 1" + " + 1".repeat(20000)),
    "E_ASSEMBLE",
    /operations deep/,
  );
  assertEquals(parse("Write 1" + " + 1".repeat(200)).body.length, 1);
});
