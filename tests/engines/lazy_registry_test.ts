import { ENGINE_LISTINGS, loadEngineFor } from "../../src/engines/lazy_registry.ts";
import { engineFor, ENGINES } from "../../src/engines/registry.ts";
import { assertEquals, assertPxosError } from "../assert.ts";

Deno.test("the engine listings match the registry: same ids, order, extensions and engine", async () => {
  assertEquals(ENGINE_LISTINGS.map((l) => l.id), ENGINES.map((e) => e.id));
  for (const [i, listing] of ENGINE_LISTINGS.entries()) {
    const engine = ENGINES[i];
    assertEquals(listing.extensions, engine.extensions, listing.id);
    assertEquals(listing.sourceExtensions, engine.sourceExtensions ?? [], listing.id);
    assertEquals(await listing.load() === engine, true, listing.id);
  }
});

Deno.test("loadEngineFor picks what engineFor picks, and fails the same way", async () => {
  const paths = [
    "a.pxasm",
    "b.PXI",
    "c.pxvm",
    "d.pxvmasm",
    "e.poh",
    "f.pbc",
    "g.pxs",
    "h.pxi.json",
  ];
  for (const path of [...paths, "i.wasm"]) {
    assertEquals((await loadEngineFor(path)).id, engineFor(path).id, path);
  }
  assertEquals((await loadEngineFor("x.bin", "poh")).id, "poh");
  const mine = { ...ENGINES[0], id: "mine", extensions: [".pxasm"] };
  assertEquals((await loadEngineFor("a.pxasm", undefined, [mine])).id, "mine");
  await assertPxosError(() => loadEngineFor("x.unknown"), "E_ENGINE", /no engine runs/);
  await assertPxosError(
    () => loadEngineFor("x.pxasm", "nope"),
    "E_ENGINE",
    /expected an engine id/,
  );
});
