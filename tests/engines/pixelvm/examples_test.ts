import { EXPECTED } from "./expected.ts";
/**
 * Every example, built the way `pxos pack --compile` builds a cartridge (each .pxasm compiled to
 * .pxi through the engine's `compile` hook) and run the way `pxos boot` runs one (load the entry
 * with the cartridge's files, then run).
 */
import { pixelvmEngine } from "../../../src/engines/pixelvm/engine.ts";
import { createHost, GuestExit } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assertEquals } from "../../assert.ts";

async function buildCartridgeFiles(name: string): Promise<Map<string, Uint8Array>> {
  const dir = new URL(`../../../examples/${name}/`, import.meta.url);
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(dir)) {
    const bytes = await Deno.readFile(new URL(entry.name, dir));
    if (entry.name.endsWith(".pxasm")) {
      const compiled = pixelvmEngine.compile!(bytes, { path: entry.name });
      files.set(compiled.path, compiled.bytes);
    } else files.set(entry.name, bytes);
  }
  return files;
}

for (const [name, expected] of Object.entries(EXPECTED)) {
  Deno.test(`example ${name}: boots from its compiled files with the expected output`, async () => {
    const files = await buildCartridgeFiles(name);
    const manifest = JSON.parse(new TextDecoder().decode(files.get("pxos.json")));
    assertEquals(manifest.entry, "main.pxi");
    assertEquals(manifest.name, name);
    let stdout = "";
    const host = createHost({ stdout: (t) => (stdout += t), cartFiles: files });
    const program = await pixelvmEngine.load(files.get("main.pxi")!, { path: "main.pxi", files });
    let exitCode: number;
    try {
      exitCode = (await pixelvmEngine.run(program, host, DEFAULT_LIMITS)).exitCode;
    } catch (e) {
      if (!(e instanceof GuestExit)) throw e;
      exitCode = e.exitCode;
    }
    assertEquals(stdout, expected.stdout);
    assertEquals(exitCode, expected.exitCode);
  });
}
