/** PixelVM's bytecode-only engine runs `.pxi` as the full engine does and refuses `.pxasm`. */
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { pixelvmBytecodeEngine } from "../../../src/engines/pixelvm/bytecode_engine.ts";
import { pixelvmEngine } from "../../../src/engines/pixelvm/engine.ts";
import { assertEquals, assertPxosError } from "../../assert.ts";

const LIB = `.module lib
.export triple
.code
triple: ENTER 1
  LGET 0
  PUSH 3
  MUL
  RETN 1`;
const MAIN = `.import lib.triple
.code
PUSH 14
CALL lib.triple
PRINT
HALT`;

async function output(engine: typeof pixelvmEngine, path: string, files: Map<string, Uint8Array>) {
  let out = "";
  const program = await engine.load(files.get(path)!, { path, files });
  const result = await engine.run(
    program,
    createHost({ stdout: (t) => (out += t) }),
    DEFAULT_LIMITS,
  );
  return [out, result.exitCode];
}

Deno.test("the bytecode engine links and runs .pxi modules as pixelvmEngine does", async () => {
  const files = new Map([
    ["app/main.pxi", assemblePxasm(MAIN, { file: "app/main.pxasm" })],
    ["app/lib.pxi", assemblePxasm(LIB, { file: "app/lib.pxasm" })],
  ]);
  const full = await output(pixelvmEngine, "app/main.pxi", files);
  assertEquals(await output(pixelvmBytecodeEngine, "app/main.pxi", files), full);
  assertEquals(full[0], "42\n");
});

Deno.test("the bytecode engine refuses a .pxasm entry or module with E_ENGINE", async () => {
  const text = new TextEncoder();
  const files = new Map([
    ["main.pxi", assemblePxasm(MAIN, { file: "main.pxasm" })],
    ["lib.pxasm", text.encode(LIB)],
  ]);
  await assertPxosError(
    () => pixelvmBytecodeEngine.load(text.encode(MAIN), { path: "main.pxasm" }),
    "E_ENGINE",
    /main\.pxasm: .*bytecode \(\.pxi\) only/,
  );
  await assertPxosError(
    () => pixelvmBytecodeEngine.load(files.get("main.pxi")!, { path: "main.pxi", files }),
    "E_ENGINE",
    /lib\.pxasm/,
  );
  assertEquals((await output(pixelvmEngine, "main.pxi", files))[0], "42\n");
});
