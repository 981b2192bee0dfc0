/**
 * The committed guest bindings are current, and the committed example modules are what their
 * sources build to (when clang / rustc for wasm32-wasi are here; `PXOS_REQUIRE_CLANG=1` and
 * `PXOS_REQUIRE_RUSTC=1` make a missing toolchain a failure instead of a skip).
 */
import { assert, assertEquals } from "../../assert.ts";
import { generatePxosHeader, generatePxosRust } from "../../../src/engines/wasm/bindings.ts";
import { pxosImports } from "../../../src/engines/wasm/pxos_abi.ts";
import { HOST_CALLS } from "../../../src/host/calls.ts";
import { buildWasmExample, hasCompiler, WASM_EXAMPLES } from "../../../examples/wasm_build.ts";

const include = new URL("../../../examples/wasm-include/", import.meta.url);
const REGENERATE = "run: deno task examples:wasm";

Deno.test("examples/wasm-include/pxos.h and pxos.rs are generated from the host table", async () => {
  assertEquals(
    await Deno.readTextFile(new URL("pxos.h", include)),
    generatePxosHeader(),
    REGENERATE,
  );
  assertEquals(
    await Deno.readTextFile(new URL("pxos.rs", include)),
    generatePxosRust(),
    REGENERATE,
  );
  // Every host-call row is a pxos import (one table drives both).
  assertEquals(pxosImports().length, HOST_CALLS.length);
  assert(generatePxosHeader().includes('import_name("gfx_rect")'));
});

const clang = await hasCompiler("c");
const rustc = await hasCompiler("rust");

for (const { name, source } of WASM_EXAMPLES) {
  const present = source === "c" ? clang : rustc;
  const required =
    Deno.env.get(source === "rust" ? "PXOS_REQUIRE_RUSTC" : "PXOS_REQUIRE_CLANG") === "1";
  const tool = source === "rust" ? "rustc + libstd-rust-dev-wasm32" : "clang + wasi-libc";
  Deno.test({
    name: `examples/${name}/main.wasm is what its source builds to${
      present || required ? "" : ` (SKIPPED: no ${tool})`
    }`,
    ignore: !present && !required,
    async fn() {
      assert(present, `${tool} is required (PXOS_REQUIRE_*=1) but missing`);
      const out = await Deno.makeTempFile({ suffix: ".wasm" });
      await buildWasmExample(name, source, out);
      const built = await Deno.readFile(out);
      const committed = await Deno.readFile(
        new URL(`../../../examples/${name}/main.wasm`, import.meta.url),
      );
      assertEquals(built.length, committed.length, `${name}: rebuilt size differs; ${REGENERATE}`);
      assert(
        built.every((b, i) => b === committed[i]),
        `${name}: rebuilt bytes differ; ${REGENERATE}`,
      );
    },
  });
}
