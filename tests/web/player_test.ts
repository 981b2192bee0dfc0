/**
 * The web player in a real browser: Debian's Chromium driven headless by playwright-core. The
 * page plays wasm4-game while keys are pressed; its recording, replayed headless by `pxos boot`,
 * gives the same last frame (SHA-256 of the canvas's pixels = the headless frame digest).
 * Skipped visibly without Chromium (required when PXOS_REQUIRE_CHROMIUM=1). The player is
 * bundled by the pinned npm esbuild (`src/web/bundle.ts`): nothing is downloaded at test time.
 */
import { join } from "node:path";
import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { servePlayerFiles } from "../../src/cli/commands/serve.ts";
import { playerSite } from "../../src/web/site.ts";
import { assert, assertEquals } from "../assert.ts";

const CHROMIUM = "/usr/bin/chromium";
const present = await Deno.stat(CHROMIUM).then(() => true, () => false);
const required = Deno.env.get("PXOS_REQUIRE_CHROMIUM") === "1";
const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

/** What the page exposes (see `src/web/player.ts`). */
interface PagePlayer {
  started: boolean;
  done: boolean;
  error: string | null;
  output: string;
  recording(): string;
  digest(): Promise<string>;
}
// Functions given to the page run there: each names the player itself (types are erased).

Deno.test({
  name: `the web player plays a cartridge in Chromium with the headless renderer's pixels${
    present || required ? "" : " (SKIPPED: no chromium)"
  }`,
  ignore: !present && !required,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert(present, `${CHROMIUM} is required (PXOS_REQUIRE_CHROMIUM=1) but missing`);
    const { chromium } = await import("playwright-core");
    const dir = await Deno.makeTempDir();
    const cart = join(dir, "game.pxa");
    const io = capturedIO();
    assertEquals(await runCli(["pack", join(EXAMPLES, "wasm4-game"), "-o", cart, "-q"], io), 0);
    const server = servePlayerFiles(await playerSite(await Deno.readFile(cart), "game"), 0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    try {
      const page = await browser.newPage();
      const frames = 90;
      await page.goto(`${server.url}?autostart=1&frames=${frames}`);
      await page.waitForFunction(
        () => (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer.started,
        null,
        {
          timeout: 30_000,
        },
      );
      await page.keyboard.down("ArrowRight");
      await page.waitForTimeout(250);
      await page.keyboard.up("ArrowRight");
      await page.keyboard.press("KeyX");
      await page.keyboard.down("ArrowLeft");
      await page.waitForTimeout(150);
      await page.keyboard.up("ArrowLeft");
      await page.waitForFunction(
        () => (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer.done,
        null,
        {
          timeout: 60_000,
        },
      );
      const result = await page.evaluate(async () => {
        const p = (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer;
        return {
          error: p.error,
          output: p.output,
          recording: p.recording(),
          digest: await p.digest(),
        };
      });
      assertEquals(result.error, null);
      assert(/\d+ p1 right/.test(result.recording), `keys reached the game: ${result.recording}`);
      await page.screenshot({ path: join(dir, "screenshot.png") });

      // The same input headless: its last frame has the canvas's pixels.
      await Deno.writeTextFile(join(dir, "rec.pxin"), result.recording);
      const headless = capturedIO();
      const code = await runCli([
        "boot",
        cart,
        "--input",
        join(dir, "rec.pxin"),
        "--frames",
        join(dir, "frames"),
        "--frame-digests",
        join(dir, "digests.txt"),
      ], headless);
      assertEquals(code, 0, headless.stderr);
      assertEquals(headless.stdout, result.output);
      const lines = (await Deno.readTextFile(join(dir, "digests.txt"))).trim().split("\n");
      assertEquals(lines[frames - 1], `${frames - 1} ${result.digest}`);
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
