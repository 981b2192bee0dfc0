import { HOST_CALLS } from "../../src/host/calls.ts";
import { generateHostCallsDoc } from "../../src/host/calls_doc.ts";
import { assert, assertEquals } from "../assert.ts";
import { denoFmtMarkdown } from "../fmt_markdown.ts";

Deno.test("docs/HOST_CALLS.md is current (generated from calls.ts, then deno fmt)", async () => {
  const committed = await Deno.readTextFile(new URL("../../docs/HOST_CALLS.md", import.meta.url));
  assertEquals(
    committed,
    await denoFmtMarkdown(generateHostCallsDoc()),
    "regenerate with: deno run --allow-read --allow-write --allow-run tests/host/regenerate_doc.ts",
  );
});

Deno.test("the host-call page lists every row with its permission", () => {
  const page = generateHostCallsDoc();
  for (const call of HOST_CALLS) {
    assert(page.includes(`| ${call.id} | \`${call.name}\` |`), call.name);
  }
  assertEquals(new Set(HOST_CALLS.map((c) => c.id)).size, HOST_CALLS.length, "ids are unique");
});
