/**
 * Booted for real: each example (and a Poh program compiled through PXI) as a boot sector in
 * QEMU, headless; the text on COM1 must equal what the same IR prints on pxVM. Without QEMU these
 * are ignored visibly, unless PXOS_REQUIRE_QEMU=1.
 */
import { assertEquals } from "../assert.ts";
import { bootInQemu } from "../../src/cli/qemu.ts";
import { buildPxi } from "../../src/pxi/build.ts";
import { pohToPxi } from "../../src/pxi/poh/frontend.ts";
import { printPxs } from "../../src/pxi/print_text.ts";
import { EXAMPLES, externalTool, pxs, repoText, runOnPxvm } from "./helpers.ts";

const qemu = await externalTool("qemu-system-i386", "PXOS_REQUIRE_QEMU");

async function bootBoth(
  text: string,
  name: string,
): Promise<{ qemu: string; pxvm: string; exit: number | null }> {
  const placed = pxs(text, name);
  const dir = await Deno.makeTempDir({ prefix: "pxi-qemu-" });
  try {
    await Deno.writeFile(`${dir}/boot.bin`, buildPxi(placed, "x86-boot").bytes);
    const booted = await bootInQemu(`${dir}/boot.bin`, 20_000);
    assertEquals(
      booted.timedOut,
      false,
      `${name}: QEMU timed out; serial so far: ${JSON.stringify(booted.serial)}`,
    );
    return { qemu: booted.serial, pxvm: (await runOnPxvm(placed)).out, exit: booted.exitCode };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name:
    `hello, arithmetic, loop and function examples print the same text in QEMU and on pxVM${qemu.suffix}`,
  ignore: qemu.ignore,
  async fn() {
    for (const { path, output } of EXAMPLES) {
      const result = await bootBoth(repoText(path), path);
      assertEquals(result.qemu, output, `${path} in QEMU`);
      assertEquals(result.pxvm, result.qemu, `${path}: pxVM and QEMU differ`);
      assertEquals(result.exit, 0, `${path}: exit code from SYSCALL halt`);
    }
  },
});

Deno.test({
  name:
    `a Poh program compiled to PXI boots in QEMU and prints what the Poh engine prints${qemu.suffix}`,
  ignore: qemu.ignore,
  async fn() {
    const ir = printPxs(pohToPxi(repoText("examples/pxi-poh/main.poh"), "main.poh"));
    const result = await bootBoth(ir, "poh.pxs");
    assertEquals(result.qemu.split("\n")[0], "Poh on PXI");
    assertEquals(result.qemu.includes("7! = 5040\n"), true, result.qemu);
    assertEquals(result.pxvm, result.qemu);
  },
});

Deno.test({
  name: `SYSCALL halt's AL is QEMU's exit code${qemu.suffix}`,
  ignore: qemu.ignore,
  async fn() {
    const result = await bootBoth(
      "ORG 0x7C00\nMOV AL, 'k'\nSYSCALL print_char\nMOV AL, 5\nSYSCALL halt\n",
      "exit.pxs",
    );
    assertEquals([result.qemu, result.exit], ["k", 5]);
  },
});
