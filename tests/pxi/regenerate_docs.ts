/**
 * Regenerates docs/PXI.md and docs/pxi.schema.json from src/pxi (then formats them):
 * `deno run -A tests/pxi/regenerate_docs.ts`.
 */
import { generatePxiDoc } from "../../src/pxi/doc.ts";
import { generatePxiSchema } from "../../src/pxi/schema.ts";
import { denoFmtMarkdown } from "../fmt_markdown.ts";

const root = new URL("../../", import.meta.url);
Deno.writeTextFileSync(new URL("docs/PXI.md", root), await denoFmtMarkdown(generatePxiDoc()));
Deno.writeTextFileSync(
  new URL("docs/pxi.schema.json", root),
  `${JSON.stringify(generatePxiSchema(), null, 2)}\n`,
);
