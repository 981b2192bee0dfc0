import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { disassemblePxi } from "../../../src/engines/pixelvm/disassembler.ts";
import { linkPxi } from "../../../src/engines/pixelvm/linker.ts";
import { assertEquals } from "../../assert.ts";
import { generateModule, Rng } from "./corpus.ts";
import { hex } from "./helpers.ts";

const EXAMPLES = new URL("../../../examples/", import.meta.url);

async function exampleSources(): Promise<{ path: string; text: string }[]> {
  const out = [];
  for (const dir of ["countdown", "strings", "fib", "primes", "modules"]) {
    for await (const entry of Deno.readDir(new URL(`${dir}/`, EXAMPLES))) {
      if (!entry.name.endsWith(".pxasm")) continue;
      const url = new URL(`${dir}/${entry.name}`, EXAMPLES);
      out.push({ path: `${dir}/${entry.name}`, text: await Deno.readTextFile(url) });
    }
  }
  return out;
}

Deno.test("asm(disasm(x)) == x for every example, and for the linked modules example", async () => {
  const sources = await exampleSources();
  assertEquals(sources.length, 6);
  for (const { path, text } of sources) {
    const bytes = assemblePxasm(text, { file: path });
    assertEquals(hex(assemblePxasm(disassemblePxi(bytes), { file: path })), hex(bytes), path);
  }
  const main = sources.find((s) => s.path === "modules/main.pxasm")!;
  const math = sources.find((s) => s.path === "modules/math.pxasm")!;
  const linked = linkPxi([
    { bytes: assemblePxasm(main.text, { file: main.path }) },
    { bytes: assemblePxasm(math.text, { file: math.path }) },
  ]);
  assertEquals(hex(assemblePxasm(disassemblePxi(linked))), hex(linked));
});

Deno.test("asm(disasm(x)) == x over 1500 generated modules (seeded)", () => {
  for (let seed = 0; seed < 1500; seed++) {
    const bytes = generateModule(new Rng(seed));
    const text = disassemblePxi(bytes);
    let again: Uint8Array;
    try {
      again = assemblePxasm(text);
    } catch (e) {
      throw new Error(`seed ${seed}: ${(e as Error).message}\n${text}`);
    }
    assertEquals(hex(again), hex(bytes), `seed ${seed}:\n${text}`);
  }
});

Deno.test("disassembly shows labels for targets and strings as literals", () => {
  const text = disassemblePxi(assemblePxasm('l: PRINT_STR "a\\nb"\nJMP l'));
  assertEquals(
    text.split("\n").slice(1).join("\n"),
    'L_0:\n        PRINT_STR "a\\nb"\n        JMP L_0\n',
  );
});
