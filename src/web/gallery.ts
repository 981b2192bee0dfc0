/**
 * The web player for a folder of cartridges: an index page listing each cartridge (its label
 * image — the cartridge PNG itself — and its manifest title, escaped), each linking to the
 * player page with `?cart=carts/<file>`. `pxos serve DIR` answers it; `pxos export DIR -o OUT`
 * writes it.
 *
 * @module
 */
import { bundlePlayer, escapeHtml, playerPage, type SiteFile } from "./site.ts";

/** One cartridge of the folder. */
export interface GalleryCart {
  /** Its file name in the folder (e.g. `game.pxa`); served as `carts/<file>`. */
  file: string;
  /** The cartridge's PNG bytes. */
  data: Uint8Array;
  /** The title to show (the manifest's `title`, else its `name`). */
  title: string;
}

/** The index page: one entry per cartridge, label and title, linking to the player. */
export function galleryPage(carts: readonly GalleryCart[]): string {
  const items = carts.map((cart) => {
    const url = `carts/${encodeURIComponent(cart.file)}`;
    const play = `play.html?cart=${encodeURIComponent(url)}`;
    return `<li><a href="${escapeHtml(play)}"><img src="${escapeHtml(url)}" alt="label of ${
      escapeHtml(cart.title)
    }"><span class="title">${escapeHtml(cart.title)}</span></a> <small>${
      escapeHtml(cart.file)
    }</small></li>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Cartridges — pxOS</title>
<style>
  body { background: #111; color: #ddd; font: 14px system-ui, sans-serif; }
  ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1.5em; padding: 0; }
  li { width: 200px; text-align: center; }
  a { color: #9cf; text-decoration: none; display: block; }
  img { width: 192px; height: 192px; object-fit: contain; image-rendering: pixelated;
    background: #000; display: block; margin: 0 auto .5em; }
</style>
</head>
<body>
<h1>Cartridges</h1>
<ul id="carts">
${items.join("\n")}
</ul>
</body>
</html>
`;
}

/** Every file of the folder's site: index, player page, bundled player, the cartridges. */
export async function gallerySite(carts: readonly GalleryCart[]): Promise<SiteFile[]> {
  const text = (s: string) => new TextEncoder().encode(s);
  return [
    { name: "index.html", data: text(galleryPage(carts)), type: "text/html" },
    { name: "play.html", data: text(playerPage("pxOS player")), type: "text/html" },
    { name: "player.js", data: await bundlePlayer(), type: "text/javascript" },
    ...carts.map((cart) => ({ name: `carts/${cart.file}`, data: cart.data, type: "image/png" })),
  ];
}
