/**
 * Golden frames of the example programs and scene. Each frame is pinned twice: by the SHA-256
 * of its raw RGBA bytes (exact, independent of PNG compression settings), and by a committed PNG
 * under tests/fixtures/gfx/ that a reviewer can look at and that must decode to the same bytes.
 * Regenerate after an intended change with:
 *   PXOS_UPDATE_GOLDEN=1 deno test -A tests/gfx/golden_test.ts
 */
import { decode } from "fast-png";
import { assertEquals } from "../assert.ts";
import { pxvmEngine } from "../../src/engines/pxvm/engine.ts";
import { encodeFramePng } from "../../src/gfx/png_frame.ts";
import { runPxterm } from "../../src/gfx/pxterm_run.ts";
import type { Frame } from "../../src/gfx/render_cpu.ts";
import { createGfxSession, type RendererChoice } from "../../src/gfx/session.ts";
import { createHost } from "../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";

const GOLDEN: Record<string, string[]> = {
  "pxvm-hello": ["60a52909c97e00b65f3487ff58aac4df4d5106bb98427f238c1a2efbc59a4ff6"],
  "pxvm-window": [
    "0d3ee6b7a3a9a3bce871ddbe21d718f9268c67531ceb8f4293ce33c385e848db",
    "e2113f0271dac0603a57afe9f304814579a48b5b63c9fc038525601af06228d5",
    "65052786ebcd6b2799802aafb81afae5112b15d7d5f4c79d9899b7f898191301",
  ],
  "desktop": ["f627195f3df7af5d7a95a6fb9ebaff1ecd229d5d373833007a00818840f85e4e"],
};

const root = new URL("../../", import.meta.url);
const update = Deno.env.get("PXOS_UPDATE_GOLDEN") === "1";
const adapter = await navigator.gpu?.requestAdapter().catch(() => null) ?? null;

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function exampleFrames(
  name: string,
  renderer: RendererChoice,
): Promise<{ frames: Frame[]; out: string }> {
  const session = await createGfxSession({ renderer, keepFrames: true });
  let out = "";
  if (name === "desktop") {
    const text = await Deno.readTextFile(new URL("examples/scenes/desktop.pxterm", root));
    await runPxterm(text, {
      scene: session.scene,
      draw: (op) => session.sink.draw(op),
      present: () => session.sink.present(),
      save: () => {},
      print: (t) => (out += t),
      error: (t) => (out += t),
    });
  } else {
    const source = await Deno.readFile(new URL(`examples/${name}/main.pxvmasm`, root));
    const { bytes } = pxvmEngine.compile(source, { path: "main.pxvmasm" });
    const host = createHost({ stdout: (t) => (out += t), gfx: session.sink });
    await pxvmEngine.run(pxvmEngine.load(bytes, { path: "main.pxvm" }), host, DEFAULT_LIMITS, {
      flags: { strict: true },
    });
  }
  return { frames: (await session.finish()).frames, out };
}

for (const name of Object.keys(GOLDEN)) {
  Deno.test(`golden frames: ${name} (CPU renderer)`, async () => {
    const { frames } = await exampleFrames(name, "cpu");
    const hashes = await Promise.all(frames.map((f) => sha256(f.rgba)));
    const fixture = new URL(`tests/fixtures/gfx/${name}.png`, root);
    const last = frames[frames.length - 1];
    if (update) {
      await Deno.writeFile(fixture, await encodeFramePng(last));
      console.log(`"${name}": ${JSON.stringify(hashes)},`);
      return;
    }
    assertEquals(hashes, GOLDEN[name]);
    const png = decode(await Deno.readFile(fixture));
    assertEquals([png.width, png.height], [last.width, last.height]);
    assertEquals(await sha256(png.data as Uint8Array), hashes[hashes.length - 1]);
  });
  Deno.test({
    name: `golden frames: ${name} (WebGPU renderer gives the same bytes)`,
    ignore: !adapter,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const { frames } = await exampleFrames(name, "webgpu");
      assertEquals(await Promise.all(frames.map((f) => sha256(f.rgba))), GOLDEN[name]);
    },
  });
}

Deno.test("the example programs print what the seed printed", async () => {
  assertEquals((await exampleFrames("pxvm-hello", "cpu")).out, "PXVM booting...\nPXVM ready.\n");
  assertEquals(
    (await exampleFrames("pxvm-window", "cpu")).out,
    "pxVM window demo\nTask complete.\n",
  );
});
