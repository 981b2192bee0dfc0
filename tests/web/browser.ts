/**
 * Shared by the browser tests: Debian's Chromium (visible skip without it, required when
 * PXOS_REQUIRE_CHROMIUM=1), packing an example, playing the page while pressing keys, and
 * replaying the page's recording headless.
 */
import { join } from "node:path";
import type { Browser, LaunchOptions, Page } from "playwright-core";
import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { assert, assertEquals } from "../assert.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const chromiumPresent = await Deno.stat(CHROMIUM).then(() => true, () => false);
export const chromiumRequired = Deno.env.get("PXOS_REQUIRE_CHROMIUM") === "1";
const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

/**
 * Chromium's switches that give headless WebGPU a software adapter (SwiftShader). Without
 * `--use-vulkan=swiftshader` the adapter exists but presenting to a WebGPU canvas drops the GPU
 * instance ("A valid external Instance reference no longer exists").
 */
export const WEBGPU_SWITCHES = [
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-vulkan=swiftshader",
  "--use-angle=swiftshader",
  "--use-webgpu-adapter=swiftshader",
];

/** Launches Chromium headless. */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  const options: LaunchOptions = { executablePath: CHROMIUM, headless: true, args };
  return await chromium.launch(options);
}

/** Packs `examples/<name>` into `dir/<name>.pxa` (`flags`: more `pxos pack` flags). */
export async function packExample(
  name: string,
  dir: string,
  flags: string[] = [],
): Promise<string> {
  const cart = join(dir, `${name}.pxa`);
  const io = capturedIO();
  const args = ["pack", join(EXAMPLES, name), "-o", cart, "-q", ...flags];
  assertEquals(await runCli(args, io), 0, io.stderr);
  return cart;
}

/** What the page exposes (see `src/web/player.ts`). */
export interface PagePlayer {
  started: boolean;
  done: boolean;
  frame: number;
  renderer: string;
  error: string | null;
  output: string;
  recording(): string;
  digest(): Promise<string>;
}

/** What a played page reports. */
export interface PlayedPage {
  error: string | null;
  output: string;
  recording: string;
  digest: string;
  renderer: string;
  label: string;
}

// Functions given to the page run there: each names the player itself (types are erased).

/** Opens `url` (which autostarts), presses keys while it plays, waits for the end. */
export async function playWithKeys(page: Page, url: string): Promise<PlayedPage> {
  await page.goto(url);
  await page.waitForFunction(
    () => (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer.started,
    null,
    { timeout: 120_000 },
  );
  // Each key is held while the page plays two frames (however fast the renderer is).
  const holdFor2Frames = async (key: string) => {
    const from = await page.evaluate(() =>
      (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer.frame
    );
    await page.keyboard.down(key);
    await page.waitForFunction(
      (start) =>
        (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer.frame >= start + 2,
      from,
      { timeout: 120_000 },
    );
    await page.keyboard.up(key);
  };
  await holdFor2Frames("ArrowRight");
  await holdFor2Frames("KeyX");
  await holdFor2Frames("ArrowLeft");
  await page.waitForFunction(
    () => (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer.done,
    null,
    { timeout: 120_000 },
  );
  return await page.evaluate(async () => {
    const p = (globalThis as unknown as { pxosPlayer: PagePlayer }).pxosPlayer;
    return {
      error: p.error,
      output: p.output,
      recording: p.recording(),
      digest: await p.digest(),
      renderer: p.renderer,
      label: (globalThis as unknown as {
        document: { getElementById(id: string): { textContent: string } | null };
      }).document.getElementById("renderer")?.textContent ?? "",
    };
  });
}

/**
 * Boots `cart` headless (CPU renderer) with the page's recording and checks that frame
 * `frames - 1` has the page's digest and that the output is the page's.
 */
export async function assertReplaysHeadless(
  cart: string,
  played: PlayedPage,
  frames: number,
  dir: string,
): Promise<void> {
  assert(/\d+ p1 right/.test(played.recording), `keys reached the game: ${played.recording}`);
  await Deno.writeTextFile(join(dir, "rec.pxin"), played.recording);
  const headless = capturedIO();
  const code = await runCli([
    "boot",
    cart,
    "--renderer",
    "cpu",
    "--input",
    join(dir, "rec.pxin"),
    "--frames",
    join(dir, "frames"),
    "--frame-digests",
    join(dir, "digests.txt"),
  ], headless);
  assertEquals(code, 0, headless.stderr);
  assertEquals(headless.stdout, played.output);
  const lines = (await Deno.readTextFile(join(dir, "digests.txt"))).trim().split("\n");
  assertEquals(lines[frames - 1], `${frames - 1} ${played.digest}`);
}
