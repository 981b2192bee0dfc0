/**
 * The web player's files: the page, the bundled player (`player.ts` and everything it imports,
 * bundled for the browser by esbuild) and the cartridge. `pxos export` writes them to a
 * folder; `pxos serve` answers them on loopback.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { bundleForBrowser } from "./bundle.ts";

/** One file of the site: its name and bytes. */
export interface SiteFile {
  /** Name in the site's root, e.g. `index.html`. */
  name: string;
  /** The bytes. */
  data: Uint8Array;
  /** Its Content-Type. */
  type: string;
}

const PLAYER_ENTRY = new URL("./player.ts", import.meta.url);

/**
 * The player bundled ahead of time by `deno task compile` and included in the compiled `pxos`
 * (which carries neither the sources nor esbuild's binary, so it cannot bundle).
 */
const PREBUILT = new URL("../../dist/web/player.js", import.meta.url);

/**
 * Bundles the player for the browser (esbuild's API from the pinned npm package, see
 * `bundle.ts`) from a local checkout, where the sources and `deno.lock` are files; a compiled
 * `pxos` uses the bundle made when it was compiled.
 *
 * @example
 * ```ts ignore
 * import { bundlePlayer } from "./site.ts";
 * const js = await bundlePlayer();
 * ```
 */
export async function bundlePlayer(): Promise<Uint8Array> {
  const sources = PLAYER_ENTRY.protocol === "file:" &&
    await Deno.stat(PLAYER_ENTRY).then(() => true, () => false);
  if (!sources) {
    const prebuilt = await Deno.readFile(PREBUILT).catch(() => undefined);
    if (prebuilt) return prebuilt;
    throw new PxosError(
      "E_RUNTIME",
      "the web player is bundled from a local checkout of pxOS (run pxos from its repository)",
    );
  }
  return await bundleForBrowser(PLAYER_ENTRY);
}

/** `text` with `& < > " '` as character references, safe in HTML text and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page: title, label (until started), the canvas, the permission dialog, output. */
export function playerPage(title: string): string {
  const safe = escapeHtml(title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${safe} — pxOS</title>
<style>
  body { background: #111; color: #ddd; font: 14px system-ui, sans-serif; text-align: center; }
  canvas { image-rendering: pixelated; max-width: 95vw; max-height: 75vh; background: #000; }
  #label { max-width: 320px; image-rendering: pixelated; display: block; margin: 1em auto; }
  pre { text-align: left; max-width: 640px; margin: 1em auto; white-space: pre-wrap; }
</style>
</head>
<body>
<h1 id="title">${safe}</h1>
<img id="label" alt="cartridge label">
<button id="start" hidden>Start (any key)</button>
<canvas id="screen" width="160" height="160" tabindex="0"></canvas>
<p id="renderer"></p>
<p>Arrows move, X and Z are the buttons; the mouse works over the screen.</p>
<dialog id="permissions">
  <form method="dialog">
    <p>This cartridge asks for:</p>
    <pre id="asked"></pre>
    <button value="deny">Deny</button> <button value="allow">Allow</button>
  </form>
</dialog>
<pre id="output"></pre>
<script type="module" src="player.js"></script>
</body>
</html>
`;
}

/** Every file of the player site for `cart` (the cartridge's PNG bytes). */
export async function playerSite(cart: Uint8Array, title: string): Promise<SiteFile[]> {
  return [
    { name: "index.html", data: new TextEncoder().encode(playerPage(title)), type: "text/html" },
    { name: "player.js", data: await bundlePlayer(), type: "text/javascript" },
    { name: "cart.pxa", data: cart, type: "image/png" },
  ];
}
