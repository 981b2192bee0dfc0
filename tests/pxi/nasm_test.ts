/**
 * Byte-exact with NASM: every example form of the instruction table, and whole programs (the
 * examples, the Poh front end's output, every runtime routine), assembled by both `nasm -f bin`
 * and the x86 backend. Without nasm these are ignored visibly, unless PXOS_REQUIRE_NASM=1.
 */
import { assertEquals } from "../assert.ts";
import { exampleProgram } from "../../src/pxi/doc.ts";
import { INSTRUCTIONS, SYSCALLS } from "../../src/pxi/isa.ts";
import { pohToPxi } from "../../src/pxi/poh/frontend.ts";
import { printPxs } from "../../src/pxi/print_text.ts";
import { assembleX86 } from "../../src/pxi/x86/assemble.ts";
import { pxiToNasm } from "../../src/pxi/x86/nasm_text.ts";
import { EXAMPLES, externalTool, pxs, repoText } from "./helpers.ts";

const nasm = await externalTool("nasm", "PXOS_REQUIRE_NASM");
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

/** Assembles NASM text; the bytes. */
async function nasmBytes(dir: string, text: string): Promise<Uint8Array> {
  await Deno.writeTextFile(`${dir}/t.asm`, text);
  const r = await new Deno.Command("nasm", {
    args: ["-f", "bin", `${dir}/t.asm`, "-o", `${dir}/t.bin`],
  }).output();
  if (!r.success) throw new Error(`nasm refused:\n${new TextDecoder().decode(r.stderr)}\n${text}`);
  return await Deno.readFile(`${dir}/t.bin`);
}

async function compare(dir: string, source: string, what: string): Promise<void> {
  const placed = pxs(source, `${what}.pxs`);
  const mine = assembleX86(placed).bytes;
  const theirs = await nasmBytes(dir, pxiToNasm(placed));
  assertEquals(hex(mine), hex(theirs), `${what}: the x86 backend and nasm disagree`);
}

Deno.test({
  name: `every instruction form of isa.ts encodes exactly as nasm -f bin${nasm.suffix}`,
  ignore: nasm.ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pxi-nasm-" });
    try {
      let forms = 0;
      for (const spec of INSTRUCTIONS) {
        for (const example of spec.examples) {
          await compare(dir, exampleProgram(example), example);
          forms++;
        }
      }
      assertEquals(forms, INSTRUCTIONS.reduce((n, s) => n + s.examples.length, 0));
      assertEquals(forms > 250, true, `only ${forms} forms compared`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `whole programs (examples, Poh output, every runtime routine) equal nasm's${nasm.suffix}`,
  ignore: nasm.ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pxi-nasm-" });
    try {
      for (const { path } of EXAMPLES) await compare(dir, repoText(path), path);
      await compare(
        dir,
        printPxs(pohToPxi(repoText("examples/pxi-poh/main.poh"), "main.poh")),
        "poh",
      );
      const all = SYSCALLS.map((s) => `SYSCALL ${s.name}`).join("\n");
      await compare(dir, `ORG 0x7C00\n${all}\n`, "runtime");
      // Immediates and displacements that are labels: their size depends on the layout.
      await compare(
        dir,
        "ORG 0\nback: NOP\nADD AX, back\nADD BX, fwd\nPUSH back\nMOV CX, [BX+fwd]\n" +
          "CMP WORD [BP+back], 3\nJMP done\nfwd: NOP\ndone: HLT\n",
        "labels",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
