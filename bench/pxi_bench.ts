/**
 * PXI Assembly benchmarks: the time of each backend on the same IR (x86 is the baseline), the
 * cost of reading the JSON form against the text form (text is the baseline), and running the
 * arithmetic example on pxVM against the same loop written directly in pxVM assembly.
 *
 *     deno bench --allow-read bench/pxi_bench.ts
 */
import { buildPxi, pohToPxi, printPxs, pxiToJson, readPxi } from "../mod.ts";
import { assemblePxvm } from "../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../src/engines/pxvm/engine.ts";
import { createHost } from "../src/host/host.ts";
import { DEFAULT_LIMITS } from "../src/host/limits.ts";

const read = (p: string) => Deno.readTextFileSync(new URL(`../${p}`, import.meta.url));
const ARITH = read("examples/pxi-arith/arith.pxs");
const POH = printPxs(pohToPxi(read("examples/pxi-poh/main.poh"), "main.poh"));
const POH_JSON = pxiToJson(readPxi(POH, "main.pxs").program);

for (const [name, text] of [["arith example", ARITH], ["Poh example (compiled IR)", POH]]) {
  const placed = readPxi(text, "bench.pxs");
  const group = `backends: ${name}`;
  Deno.bench({ name: "x86 (flat)", group, baseline: true, fn: () => void buildPxi(placed, "x86") });
  Deno.bench({ name: "x86-boot", group, fn: () => void buildPxi(placed, "x86-boot") });
  Deno.bench({ name: "pxvm", group, fn: () => void buildPxi(placed, "pxvm") });
}

Deno.bench({
  name: "read .pxs text",
  group: "read the IR",
  baseline: true,
  fn: () => void readPxi(POH, "a.pxs"),
});
Deno.bench({
  name: "read .pxi.json",
  group: "read the IR",
  fn: () => void readPxi(POH_JSON, "a.pxi.json"),
});

// A counting loop: 10 000 iterations of an add and a compare, through PXI and written directly.
const LOOP_PXI =
  "FUNC main\nMOV CX, 10000\nXOR AX, AX\n.l: ADD AX, 3\nDEC CX\nJNZ .l\nMOV AL, 0\nSYSCALL halt\nENDFUNC\n";
const LOOP_PXVM =
  "IMM32 R1, 10000\nIMM8 R2, 0\nIMM8 R3, 0\nl: ADDI R2, 3\nADDI R1, -1\nJNZ R1, l\nHALT\n";
const viaPxi = pxvmEngine.load(buildPxi(readPxi(LOOP_PXI, "loop.pxs"), "pxvm").bytes, {
  path: "a.pxvm",
});
const direct = pxvmEngine.load(assemblePxvm(LOOP_PXVM), { path: "b.pxvm" });
const host = createHost({ stdout: () => {} });
Deno.bench({
  name: "hand-written pxVM loop",
  group: "run 10k-iteration loop on pxVM",
  baseline: true,
  fn: async () => void (await pxvmEngine.run(direct, host, DEFAULT_LIMITS)),
});
Deno.bench({
  name: "same loop compiled from PXI",
  group: "run 10k-iteration loop on pxVM",
  fn: async () => void (await pxvmEngine.run(viaPxi, host, DEFAULT_LIMITS)),
});
