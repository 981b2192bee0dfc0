/**
 * Rewrites docs/HOST_CALLS.md from the host-call table (then formats it):
 * deno run --allow-read --allow-write --allow-run tests/host/regenerate_doc.ts
 */
import { generateHostCallsDoc } from "../../src/host/calls_doc.ts";
import { denoFmtMarkdown } from "../fmt_markdown.ts";

const path = new URL("../../docs/HOST_CALLS.md", import.meta.url);
await Deno.writeTextFile(path, await denoFmtMarkdown(generateHostCallsDoc()));
console.log(`wrote ${path.pathname}`);
