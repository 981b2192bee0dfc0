/** `pxos inspect` and `pxos disasm` on wasm. */
import { join } from "node:path";
import { capturedIO } from "../../../src/cli/io.ts";
import { runCli } from "../../../src/cli/main.ts";
import { describeWasm } from "../../../src/engines/wasm/describe.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { buildModule, exampleFiles } from "./helpers.ts";

const examples = new URL("../../../examples/", import.meta.url).pathname;

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

Deno.test("wasm inspect: imports, exports, memory and the WASI/pxos calls used", async () => {
  const dir = await Deno.makeTempDir();
  const cart = join(dir, "life.pxa");
  assertEquals((await cli("pack", `${examples}wasm-life`, "-o", cart, "-q")).code, 0);
  const text = await cli("inspect", cart);
  assertEquals(text.code, 0, text.stderr);
  assertMatch(text.stdout, /pxosCalls +gfx_canvas, gfx_layerNew, gfx_clear, gfx_rect/);
  assertMatch(text.stdout, /wasiCalls +proc_exit\n/);
  assertMatch(text.stdout, /memory +min 2 pages \(128 KiB\), max none/);
  const json = JSON.parse((await cli("inspect", cart, "--json")).stdout);
  assert(json.program.exports.includes("_start (func)"));
});

Deno.test("wasm describe: names with control characters are escaped", () => {
  const bytes = buildModule({
    imports: [{ module: "env", name: "bad\u001b[2Jname" }],
    funcs: [{ body: [], export: "_start" }],
  });
  const d = describeWasm(bytes, "x.wasm");
  assertEquals(d.imports, ["env.bad\\u{1b}[2Jname (func)"]);
});

Deno.test("wasm disasm: the text format with names; a broken module is E_VERIFY", async () => {
  const out = await cli("disasm", `${examples}wasm-life/main.wasm`);
  assertEquals(out.code, 0, out.stderr);
  assertMatch(out.stdout, /^\(module/);
  assertMatch(out.stdout, /\(import "pxos" "gfx_rect" \(func/);
  const { bytes } = await exampleFiles("wasm-life");
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(join(dir, "cut.wasm"), bytes.subarray(0, 100));
  const broken = await cli("disasm", join(dir, "cut.wasm"));
  assert(broken.code !== 0);
  assertMatch(broken.stderr, /E_VERIFY/);
});
