/**
 * `pxos serve DIR` in Chromium: the index lists each cartridge with its label image and title,
 * and each entry opens the player on that cartridge, which plays. Skipped visibly without
 * Chromium (required when PXOS_REQUIRE_CHROMIUM=1).
 */
import { servePlayerFiles } from "../../src/cli/commands/serve.ts";
import { type GalleryCart, gallerySite } from "../../src/web/gallery.ts";
import { assert, assertEquals } from "../assert.ts";
import {
  CHROMIUM,
  chromiumPresent,
  chromiumRequired,
  launchChromium,
  packExample,
  type PagePlayer,
} from "./browser.ts";

Deno.test({
  name: `a folder of cartridges is listed and each plays in Chromium${
    chromiumPresent || chromiumRequired ? "" : " (SKIPPED: no chromium)"
  }`,
  ignore: !chromiumPresent && !chromiumRequired,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert(chromiumPresent, `${CHROMIUM} is required (PXOS_REQUIRE_CHROMIUM=1) but missing`);
    const dir = await Deno.makeTempDir();
    const carts: GalleryCart[] = [];
    for (
      const [name, title, flags] of [["pxvm-play", "pxVM Play", ["--compile"]], [
        "wasm4-game",
        "Dodge <C> & co",
        [],
      ]] as const
    ) {
      const path = await packExample(name, dir, [...flags]);
      carts.push({ file: `${name}.pxa`, data: await Deno.readFile(path), title });
    }
    const server = servePlayerFiles(await gallerySite(carts), 0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      const titles = await page.locator("#carts .title").allTextContents();
      assertEquals(titles, ["pxVM Play", "Dodge <C> & co"]);
      // Every label image loaded (the cartridge PNG itself).
      const widths = await page.locator("#carts img").evaluateAll((images) =>
        images.map((image) => (image as unknown as { naturalWidth: number }).naturalWidth)
      );
      assertEquals(widths.length, 2);
      assert(widths.every((w) => w > 0), `label widths ${widths}`);
      await page.locator("#carts a", { hasText: "pxVM Play" }).click();
      await page.waitForURL(/play\.html\?cart=carts%2Fpxvm-play\.pxa$/);
      await page.goto(`${page.url()}&autostart=1&frames=5`);
      await page.waitForFunction(
        () => (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer.done,
        null,
        { timeout: 120_000 },
      );
      const played = await page.evaluate(() => {
        const p = (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer;
        return { error: p.error, frame: p.frame };
      });
      assertEquals(played, { error: null, frame: 5 });
      assertEquals(await page.locator("#title").textContent(), "pxVM Play");
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
