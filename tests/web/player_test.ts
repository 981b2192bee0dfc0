/**
 * The web player in a real browser: Debian's Chromium driven headless by playwright-core. The
 * page plays wasm4-game (CPU renderer, 2D canvas) while keys are pressed; its recording, replayed
 * headless by `pxos boot`, gives the same last frame (SHA-256 of the canvas's pixels = the
 * headless frame digest). Skipped visibly without Chromium (required when
 * PXOS_REQUIRE_CHROMIUM=1). The player is bundled by the pinned npm esbuild
 * (`src/web/bundle.ts`): nothing is downloaded at test time.
 */
import { servePlayerFiles } from "../../src/cli/commands/serve.ts";
import { playerSite } from "../../src/web/site.ts";
import { assert, assertEquals } from "../assert.ts";
import {
  assertReplaysHeadless,
  CHROMIUM,
  chromiumPresent,
  chromiumRequired,
  launchChromium,
  packExample,
  playWithKeys,
} from "./browser.ts";

Deno.test({
  name: `the web player plays a cartridge in Chromium with the headless renderer's pixels${
    chromiumPresent || chromiumRequired ? "" : " (SKIPPED: no chromium)"
  }`,
  ignore: !chromiumPresent && !chromiumRequired,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert(chromiumPresent, `${CHROMIUM} is required (PXOS_REQUIRE_CHROMIUM=1) but missing`);
    const dir = await Deno.makeTempDir();
    const cart = await packExample("wasm4-game", dir);
    const server = servePlayerFiles(await playerSite(await Deno.readFile(cart), "game"), 0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const frames = 90;
      const played = await playWithKeys(
        page,
        `${server.url}?autostart=1&renderer=cpu&frames=${frames}`,
      );
      assertEquals(played.error, null);
      assertEquals(played.renderer, "2d");
      assert(played.label.includes("2D canvas, CPU renderer"), played.label);
      await page.screenshot({ path: `${dir}/screenshot.png` });
      await assertReplaysHeadless(cart, played, frames, dir);
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
