import { importEngineFor } from "../../src/cli/engine_import.ts";
import { ENGINE_IDS } from "../../src/engines/engine_ids.ts";
import { ENGINE_LISTINGS, loadEngineFor } from "../../src/engines/lazy_registry.ts";
import { assertEquals, assertPxosError } from "../assert.ts";

Deno.test("each engine's module, as engine_ids.ts names it, is the one lazy_registry.ts imports", async () => {
  assertEquals(ENGINE_IDS.map((e) => e.id), ENGINE_LISTINGS.map((l) => l.id));
  for (const [i, listing] of ENGINE_LISTINGS.entries()) {
    const { module } = ENGINE_IDS[i];
    const imported = await import(
      new URL(module.path, new URL("../../src/engines/", import.meta.url)).href
    );
    assertEquals(imported[module.exportName] === await listing.load(), true, listing.id);
  }
});

Deno.test("importEngineFor picks what loadEngineFor picks, and fails the same way", async () => {
  for (const path of ["a.pxasm", "b.PXI", "c.pxvm", "e.poh", "g.pxs", "i.wasm", "m.py"]) {
    assertEquals(await importEngineFor(path) === await loadEngineFor(path), true, path);
  }
  assertEquals((await importEngineFor("x.bin", "poh")).id, "poh");
  await assertPxosError(() => importEngineFor("x.unknown"), "E_ENGINE", /no engine runs/);
  await assertPxosError(
    () => importEngineFor("x.pxasm", "nope"),
    "E_ENGINE",
    /expected an engine id/,
  );
});
