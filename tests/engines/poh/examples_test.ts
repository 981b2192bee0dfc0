/** The Poh example cartridges: manifests are complete, and both engines print what they should. */
import { assertEquals } from "../../assert.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { pohEngine } from "../../../src/engines/poh/mod.ts";

const EXPECTED: Record<string, string> = {
  "poh-hello": "Hello from PohLang on pxOS!\n",
  "poh-factorial": Array.from({ length: 10 }, (_, i) => {
    let f = 1;
    for (let k = 2; k <= i + 1; k++) f *= k;
    return `${i + 1}! = ${f}\n`;
  }).join(""),
  "poh-fizzbuzz": Array.from({ length: 15 }, (_, i) => {
    const n = i + 1;
    return (n % 15 === 0 ? "FizzBuzz" : n % 3 === 0 ? "Fizz" : n % 5 === 0 ? "Buzz" : String(n)) +
      "\n";
  }).join(""),
  "poh-wordcount": "counting the bundled sample (./input.txt not granted or missing)\n" +
    "distinct words: 11\nthe: 4\nquick: 1\nbrown: 1\nfox: 2\njumps: 1\nover: 1\n" +
    "lazy: 1\ndog: 2\nsleeps: 1\nand: 1\nruns: 1\n",
  // Headless here (drawing is discarded); tests/boot checks its frames' pixels.
  "poh-graphics": "drew 3 frames\n",
};

for (const [name, expected] of Object.entries(EXPECTED)) {
  Deno.test(`poh example ${name}: manifest and output on both engines`, async () => {
    const dir = new URL(`../../../examples/${name}/`, import.meta.url);
    const manifest = JSON.parse(await Deno.readTextFile(new URL("pxos.json", dir)));
    assertEquals(
      [manifest.name, manifest.version, manifest.author, manifest.entry, manifest.pxos],
      [name, "1.0.0", "pxOS", "main.poh", ">=0.1.0"],
    );
    const files = new Map<string, Uint8Array>();
    for await (const e of Deno.readDir(dir)) {
      files.set(e.name, await Deno.readFile(new URL(e.name, dir)));
    }
    const entry = files.get(manifest.entry)!;
    const compiled = pohEngine.compile!(entry, { path: manifest.entry, files });
    for (const flags of [{}, { engine: "ast" }] as Record<string, string>[]) {
      for (const bytes of Object.keys(flags).length ? [entry] : [entry, compiled.bytes]) {
        let out = "";
        const host = createHost({ stdout: (t) => (out += t), cartFiles: files });
        const program = await pohEngine.load(bytes, { path: manifest.entry, files });
        await pohEngine.run(program, host, DEFAULT_LIMITS, { flags });
        assertEquals(out, expected);
      }
    }
  });
}
