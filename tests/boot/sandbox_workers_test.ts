/**
 * The sandbox Worker's entries made for one engine (`src/boot/workers/`): each cartridge whose
 * engine has one runs there with the output it has in this thread, and the others (Python, a
 * PXTERM scene, an embedder's engine) keep the entry for any cartridge.
 */
import { join } from "node:path";
import { collectDirectory } from "../../src/archive/directory.ts";
import { openCartridge, packCartridge } from "../../src/archive/cartridge.ts";
import { bootCartridge } from "../../src/boot/boot.ts";
import { compileSources } from "../../src/boot/compile_sources.ts";
import { bootSandboxed } from "../../src/boot/sandbox.ts";
import { SANDBOX_WORKER_URL, sandboxWorkerUrl } from "../../src/boot/sandbox_prestart.ts";
import { builtInEngineIdFor } from "../../src/engines/engine_ids.ts";
import { assertEquals } from "../assert.ts";

const examples = new URL("../../examples/", import.meta.url).pathname;

async function cartridgeOf(name: string) {
  const { png } = await packCartridge(
    await compileSources(await collectDirectory(join(examples, name))),
  );
  return await openCartridge(png, { name: `${name}.pxa` });
}

const EXAMPLES = ["hello", "poh-hello", "pxi-hello", "wasm-hello"];

for (const name of EXAMPLES) {
  Deno.test(`${name} runs in its engine's own sandbox Worker as it runs in this thread`, async () => {
    const cart = await cartridgeOf(name);
    const id = builtInEngineIdFor(cart.manifest.entry, cart.manifest.engine);
    const url = sandboxWorkerUrl(cart.manifest.entry, cart.manifest.engine);
    assertEquals(url.href, new URL(`../../src/boot/workers/${id}.ts`, import.meta.url).href);
    let here = "";
    const inThread = await bootCartridge(cart, { stdout: (t) => (here += t) });
    let there = "";
    const inWorker = await bootSandboxed(cart, { stdout: (t) => void (there += t) });
    assertEquals([there, inWorker.exitCode], [here, inThread.exitCode]);
    assertEquals(here.length > 0, true);
  });
}

Deno.test("Python, PXTERM scenes and embedders' engines keep the Worker entry for any cartridge", () => {
  assertEquals(sandboxWorkerUrl("main.py", undefined), SANDBOX_WORKER_URL);
  assertEquals(sandboxWorkerUrl("main.pyc", null), SANDBOX_WORKER_URL);
  assertEquals(sandboxWorkerUrl("scene.pxterm", undefined), SANDBOX_WORKER_URL);
  assertEquals(
    sandboxWorkerUrl("main.pxasm", undefined, [new URL("file:///x/engine.ts")]),
    SANDBOX_WORKER_URL,
  );
  assertEquals(sandboxWorkerUrl("main.unknown", undefined), SANDBOX_WORKER_URL);
});
