/**
 * `pxos serve` and `pxos export` of a folder of cartridges, without a browser: the index page
 * (titles escaped), the files served on loopback, the printed address, when the browser opens
 * (a stand-in `$BROWSER` records its arguments), and the exported folder.
 */
import { join } from "node:path";
import { EXIT } from "../../src/cli/exit_codes.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { shouldOpenBrowser } from "../../src/cli/open_browser.ts";
import { galleryPage } from "../../src/web/gallery.ts";
import { assert, assertEquals } from "../assert.ts";
import { packExample } from "../web/browser.ts";

const CLI = new URL("../../cli.ts", import.meta.url).pathname;

Deno.test("the browser opens with --open, never with --no-open, by default only on a terminal", () => {
  const browser = ["/usr/bin/xdg-open"];
  assertEquals(shouldOpenBrowser({}, true, browser), true);
  assertEquals(shouldOpenBrowser({}, false, browser), false);
  assertEquals(shouldOpenBrowser({ open: true }, false, browser), true);
  assertEquals(shouldOpenBrowser({ noOpen: true }, true, browser), false);
  assertEquals(shouldOpenBrowser({ open: true }, true, null), false);
});

Deno.test("the folder's index page escapes titles and file names", () => {
  const html = galleryPage([
    { file: `a"b<c>.pxa`, data: new Uint8Array(), title: `<img src=x onerror=alert(1)> & 'q'` },
  ]);
  assert(!html.includes("<img src=x"), html);
  assert(html.includes("&#60;img src=x onerror=alert(1)&#62; &#38; &#39;q&#39;"), html);
  assert(html.includes(`href="play.html?cart=carts%2Fa%2522b%253Cc%253E.pxa"`), html);
  assert(html.includes(`src="carts/a%22b%3Cc%3E.pxa"`), html);
});

/** A folder with two packed examples and one file that is not a cartridge. */
async function cartFolder(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const carts = join(dir, "carts");
  await Deno.mkdir(carts);
  await packExample("wasm4-game", carts);
  await packExample("pxvm-play", carts, ["--compile"]);
  await Deno.writeTextFile(join(carts, "broken.pxa"), "not a png");
  return dir;
}

Deno.test({
  name:
    "pxos serve DIR prints a loopback address whose index lists the cartridges; --open runs $BROWSER",
  sanitizeResources: false,
  async fn() {
    const dir = await cartFolder();
    const opened = join(dir, "opened.txt");
    const browser = join(dir, "browser.sh");
    await Deno.writeTextFile(browser, `#!/bin/sh\necho "$@" >> ${opened}\n`);
    await Deno.chmod(browser, 0o755);
    // Started twice: by default (stdout is a pipe, so no browser), then with --open.
    for (const flags of [[], ["--open"]]) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI, "serve", join(dir, "carts"), "--port", "0", ...flags],
        env: { BROWSER: browser, PXOS_WORKER_OPTIONS: "1" },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      try {
        const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
        let printed = "";
        while (!printed.includes("\n")) {
          const { value, done } = await reader.read();
          if (done) break;
          printed += value;
        }
        reader.releaseLock();
        const url = printed.trim();
        assert(/^http:\/\/127\.0\.0\.1:\d+\/$/.test(url), `printed: ${printed}`);
        const index = await (await fetch(url)).text();
        assert(index.includes(">Dodge (a WASM-4 cartridge in C)<"), index);
        assert(index.includes(">pxVM Play<"), index);
        assert(!index.includes("broken.pxa"), "the unreadable file is not listed");
        const cart = new Uint8Array(await (await fetch(`${url}carts/pxvm-play.pxa`)).arrayBuffer());
        assertEquals(cart, await Deno.readFile(join(dir, "carts", "pxvm-play.pxa")));
        const player = await fetch(`${url}player.js`);
        assertEquals(player.headers.get("content-type"), "text/javascript");
        await player.body?.cancel();
        const missing = await fetch(`${url}../../etc/passwd`);
        assertEquals(missing.status, 404);
        await missing.body?.cancel();
        await new Promise((r) => setTimeout(r, 500)); // the browser stand-in runs on its own
        const calls = await Deno.readTextFile(opened).catch(() => "");
        assertEquals(calls.trim(), flags.length === 0 ? "" : url);
      } finally {
        child.kill();
        await child.status;
        await child.stderr.cancel();
        await child.stdout.cancel().catch(() => {});
      }
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test("pxos export DIR writes the index, the player page and the cartridges", async () => {
  const dir = await cartFolder();
  const out = join(dir, "site");
  const io = capturedIO();
  assertEquals(await runCli(["export", join(dir, "carts"), "-o", out], io), 0, io.stderr);
  assert(io.stderr.includes("skipping"), io.stderr);
  const names = ["index.html", "play.html", "player.js", "carts/wasm4-game.pxa"];
  for (const name of names) assert((await Deno.stat(join(out, name))).isFile, name);
  assert((await Deno.readTextFile(join(out, "index.html"))).includes("pxVM Play"));
  const empty = await Deno.makeTempDir();
  const failed = capturedIO();
  assertEquals(await runCli(["export", empty, "-o", out], failed), EXIT.USAGE, failed.stderr);
  assert(failed.stderr.includes("expected cartridges (*.pxa)"), failed.stderr);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(empty, { recursive: true });
});
