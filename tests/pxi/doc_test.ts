/** docs/PXI.md and docs/pxi.schema.json are generated from the instruction table and current. */
import { assertEquals } from "../assert.ts";
import { generatePxiDoc } from "../../src/pxi/doc.ts";
import { generatePxiSchema } from "../../src/pxi/schema.ts";
import { INSTRUCTIONS } from "../../src/pxi/isa.ts";
import { denoFmtMarkdown } from "../fmt_markdown.ts";
import { repoText } from "./helpers.ts";

const HINT = "regenerate: deno run -A tests/pxi/regenerate_docs.ts";

Deno.test("docs/PXI.md is current", async () => {
  assertEquals(
    repoText("docs/PXI.md"),
    await denoFmtMarkdown(generatePxiDoc()),
    `docs/PXI.md is stale; ${HINT}`,
  );
});

Deno.test("docs/pxi.schema.json is current and lists every mnemonic", () => {
  assertEquals(
    repoText("docs/pxi.schema.json"),
    `${JSON.stringify(generatePxiSchema(), null, 2)}\n`,
    `stale; ${HINT}`,
  );
  const ops =
    JSON.parse(repoText("docs/pxi.schema.json")).properties.instructions.items.properties.op.enum;
  for (const spec of INSTRUCTIONS) assertEquals(ops.includes(spec.op), true, spec.op);
});

Deno.test("every row of the table appears in the reference with an encoding", () => {
  const page = repoText("docs/PXI.md");
  for (const spec of INSTRUCTIONS) assertEquals(page.includes(`| \`${spec.op}\``), true, spec.op);
});
