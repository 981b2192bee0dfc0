/**
 * Rewrites docs/engines/pixelvm.md from the ISA tables (then formats it):
 * deno run --allow-read --allow-write --allow-run tests/engines/pixelvm/regenerate_doc.ts
 */
import { generatePixelvmDoc } from "../../../src/engines/pixelvm/doc.ts";

const path = new URL("../../../docs/engines/pixelvm.md", import.meta.url);
await Deno.writeTextFile(path, generatePixelvmDoc());
const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", path.pathname] }).output();
if (!fmt.success) throw new Error(new TextDecoder().decode(fmt.stderr));
console.log(`wrote ${path.pathname}`);
