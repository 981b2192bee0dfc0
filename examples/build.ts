/**
 * `deno task examples`: builds every example folder (one with a `pxos.json`) into a cartridge in
 * `out/examples/<name>.pxa`, compiling sources with their engines (`pxos pack --compile`).
 */
import { runCli } from "../src/cli/main.ts";

const outDir = "out/examples";
/** Examples packed as bytecode only (`--strip-source`), like the seed's demo. */
const STRIP_SOURCE = new Set(["python-repo"]);
await Deno.mkdir(outDir, { recursive: true });
let failures = 0;
for (
  const entry of [...Deno.readDirSync("examples")].sort((a, b) => a.name.localeCompare(b.name))
) {
  if (!entry.isDirectory) continue;
  try {
    await Deno.stat(`examples/${entry.name}/pxos.json`);
  } catch {
    continue; // not a cartridge folder (e.g. scenes/)
  }
  const code = await runCli([
    "pack",
    `examples/${entry.name}`,
    "-o",
    `${outDir}/${entry.name}.pxa`,
    "--compile",
    ...(STRIP_SOURCE.has(entry.name) ? ["--strip-source"] : []),
    "-q",
  ]);
  if (code !== 0) failures++;
}
if (failures > 0) Deno.exit(2);
console.log(`cartridges are in ${outDir}/; boot one with: deno task pxos boot ${outDir}/fib.pxa`);
