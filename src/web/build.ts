/**
 * Writes the bundled web player to a file (`deno task compile` includes it in the compiled
 * `pxos`, which cannot bundle): `deno run -A src/web/build.ts dist/web/player.js`.
 *
 * @module
 */
import { dirname } from "node:path";
import { writeFileAtomic } from "../archive/directory.ts";
import { bundleForBrowser } from "./bundle.ts";

if (import.meta.main) {
  const [out] = Deno.args;
  if (!out) {
    console.error("usage: deno run -A src/web/build.ts OUT.js");
    Deno.exit(2);
  }
  const js = await bundleForBrowser(new URL("./player.ts", import.meta.url));
  await Deno.mkdir(dirname(out), { recursive: true });
  await writeFileAtomic(out, js);
  console.log(`wrote ${out} (${js.length} bytes)`);
}
