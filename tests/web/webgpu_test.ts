/**
 * The web player's WebGPU canvas in Chromium: headless Chromium gets a software WebGPU adapter
 * (SwiftShader) with the switches in `WEBGPU_SWITCHES`; the page (`?renderer=webgpu`: under
 * `auto` a fallback adapter is passed over) renders with pxOS's WebGPU renderer onto a WebGPU
 * canvas, and the canvas's pixels after the page's input equal the CPU
 * renderer's frame for the same input, replayed headless. When Chromium offers no adapter the
 * test is skipped with the reason in its name; PXOS_REQUIRE_CHROMIUM_WEBGPU=1 makes that a
 * failure.
 */
import { decodePngToRgba } from "../../src/pixel/label_decode.ts";
import { servePlayerFiles } from "../../src/cli/commands/serve.ts";
import { playerSite } from "../../src/web/site.ts";
import { assert, assertEquals } from "../assert.ts";
import {
  assertReplaysHeadless,
  chromiumPresent,
  launchChromium,
  packExample,
  type PagePlayer,
  playWithKeys,
  WEBGPU_SWITCHES,
} from "./browser.ts";

const required = Deno.env.get("PXOS_REQUIRE_CHROMIUM_WEBGPU") === "1";

/** Why headless Chromium has no WebGPU adapter here, or null when it has one. */
async function webGpuMissing(): Promise<string | null> {
  if (!chromiumPresent) return "no chromium";
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response("<!doctype html><title>probe</title>", {
        headers: { "content-type": "text/html" },
      }),
  );
  const browser = await launchChromium(WEBGPU_SWITCHES);
  try {
    const page = await browser.newPage();
    // navigator.gpu exists only in secure contexts: loopback http is one.
    await page.goto(`http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/`);
    return await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) return "Chromium has no navigator.gpu";
      return (await gpu.requestAdapter()) ? null : "Chromium offers no WebGPU adapter";
    });
  } catch (e) {
    return `probing Chromium's WebGPU failed: ${(e as Error).message}`;
  } finally {
    await browser.close();
    await server.shutdown();
  }
}

const missing = await webGpuMissing();

Deno.test({
  name: `the web player's WebGPU canvas has the CPU renderer's pixels in Chromium${
    missing && !required ? ` (SKIPPED: ${missing})` : ""
  }`,
  ignore: missing !== null && !required,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert(
      missing === null,
      `WebGPU in Chromium is required (PXOS_REQUIRE_CHROMIUM_WEBGPU=1): ${missing}`,
    );
    const dir = await Deno.makeTempDir();
    const cart = await packExample("wasm4-game", dir);
    const server = servePlayerFiles(await playerSite(await Deno.readFile(cart), "game"), 0);
    const browser = await launchChromium(WEBGPU_SWITCHES);
    try {
      const page = await browser.newPage();
      // SwiftShader renders a 480×480 frame in about a second here: a short run.
      const frames = 24;
      const played = await playWithKeys(
        page,
        `${server.url}?autostart=1&renderer=webgpu&frames=${frames}`,
      );
      assertEquals(played.error, null);
      assertEquals(played.renderer, "webgpu");
      assert(played.label.startsWith("Drawing with WebGPU"), played.label);
      await assertReplaysHeadless(cart, played, frames, dir);
      // Under auto, SwiftShader (a fallback adapter) is passed over for the CPU renderer.
      const auto = await browser.newPage();
      await auto.goto(`${server.url}?autostart=1&frames=1`);
      await auto.waitForFunction(
        () => (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer.done,
        null,
        { timeout: 120_000 },
      );
      assert(
        (await auto.locator("#renderer").textContent())!.includes("software fallback"),
        "auto passes over the fallback adapter",
      );
      // The canvas as the browser shows it (a screenshot of the element, one CSS pixel per
      // canvas pixel) is the headless frame too.
      // Pinned to the page's origin so its pixels fall on whole screenshot pixels; two more
      // animation frames let the compositor show the last presented texture.
      await page.addStyleTag({
        content: "#screen { position: fixed; left: 0; top: 0; width: 480px; height: 480px }",
      });
      await page.evaluate(() => {
        const raf = (globalThis as unknown as { requestAnimationFrame(f: () => void): void })
          .requestAnimationFrame;
        return new Promise<void>((done) => raf(() => raf(done)));
      });
      const shot = await decodePngToRgba(
        await page.screenshot({ clip: { x: 0, y: 0, width: 480, height: 480 } }),
      );
      assertEquals([shot.width, shot.height], [480, 480]);
      const hash = new Uint8Array(
        await crypto.subtle.digest("SHA-256", shot.data as Uint8Array<ArrayBuffer>),
      );
      assertEquals([...hash].map((b) => b.toString(16).padStart(2, "0")).join(""), played.digest);
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
