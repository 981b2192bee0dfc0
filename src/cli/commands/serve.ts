/**
 * `pxos serve <cart>` and `pxos export <cart> -o DIR`: the web player — the cartridge runs in
 * the browser on the same engines and host, bundled for it (`src/web/`).
 *
 * @module
 */
import { basename, dirname, join } from "../../paths.ts";
import { writeFileAtomic } from "../../archive/directory.ts";
import { PxosError } from "../../errors.ts";
import { type GalleryCart, gallerySite } from "../../web/gallery.ts";
import { playerSite, type SiteFile } from "../../web/site.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { isFolder, openCartridgeFile, readInputFile } from "../files.ts";
import type { CliIO } from "../io.ts";
import { findBrowser, openInBrowser, shouldOpenBrowser } from "../open_browser.ts";

/** The cartridges (`*.pxa`) directly in `dir`, by file name; unreadable ones are reported. */
async function folderCarts(dir: string, io: CliIO): Promise<GalleryCart[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.toLowerCase().endsWith(".pxa")) names.push(entry.name);
  }
  const carts: GalleryCart[] = [];
  for (const file of names.sort()) {
    const path = join(dir, file);
    try {
      const { manifest } = await openCartridgeFile(path, true);
      carts.push({ file, data: await readInputFile(path), title: manifest.title ?? manifest.name });
    } catch (e) {
      if (!(e instanceof PxosError)) throw e;
      io.err(`skipping ${path}: ${e.message}\n`);
    }
  }
  if (carts.length === 0) {
    throw new PxosError(
      "E_USAGE",
      `expected cartridges (*.pxa) in ${dir}, found none that open (pack a project with pxos pack)`,
    );
  }
  return carts;
}

/** The site for a cartridge, or for a folder of them (an index page listing each). */
async function siteFor(path: string, io: CliIO): Promise<{ files: SiteFile[]; what: string }> {
  if (await isFolder(path)) {
    const carts = await folderCarts(path, io);
    return { files: await gallerySite(carts), what: `${carts.length} cartridges from ${path}` };
  }
  const { manifest } = await openCartridgeFile(path, true);
  const files = await playerSite(await readInputFile(path), manifest.title ?? manifest.name);
  return { files, what: path };
}

/** A running player server. */
export interface PlayerServer {
  /** Its address, e.g. `http://127.0.0.1:8000/`. */
  url: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** Serves `files` on 127.0.0.1 (`port` 0: any free port). */
export function servePlayerFiles(files: SiteFile[], port: number): PlayerServer {
  const byName = new Map(files.map((f) => [f.name, f]));
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (request) => {
    let name: string;
    try {
      name = decodeURIComponent(new URL(request.url).pathname.slice(1)) || "index.html";
    } catch {
      return new Response("bad path", { status: 400 });
    }
    const file = byName.get(name);
    if (!file) return new Response("not found", { status: 404 });
    return new Response(file.data as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": file.type, "cache-control": "no-store" },
    });
  });
  const { port: bound } = server.addr as Deno.NetAddr;
  return { url: `http://127.0.0.1:${bound}/`, close: () => server.shutdown() };
}

/** `pxos serve`. */
export const serveCommand: Command = {
  name: "serve",
  summary: "play a cartridge, or a folder of them, in the browser (a web server on loopback)",
  help: `Usage: pxos serve <cart.pxa | DIR> [--port N] [--open | --no-open]

Starts a web server on 127.0.0.1 (only) whose page runs the cartridge in the browser: the same
engines and host, bundled for it, drawing to a canvas (WebGPU where the browser has it, a 2D
canvas otherwise), keys, gamepads and mouse as input, tones through WebAudio. Given a folder, the
page lists its cartridges (*.pxa: label and title), each playable. Prints the address; Ctrl-C
stops the server. File grants are not available in the browser.

Options:
  --port N     port to listen on (default 8000; 0: any free port)
  --open       open the address in the browser ($BROWSER, else xdg-open / open)
  --no-open    do not; by default the browser opens when standard output is a terminal and
               a browser is found

${EXIT_CODES_HELP}`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs("serve", args, {
      port: { type: "string" },
      open: { type: "boolean" },
      "no-open": { type: "boolean" },
    });
    const [path] = expectPositionals("serve", positionals, ["cart"]);
    const port = Number(stringOption(values, "port") ?? 8000);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new PxosError("E_USAGE", `pxos serve: --port expects 0–65535, found ${values.port}`);
    }
    if (values.open && values["no-open"]) {
      throw new PxosError("E_USAGE", "pxos serve: expected --open or --no-open, found both");
    }
    const { files, what } = await siteFor(path, io);
    const server = servePlayerFiles(files, port);
    io.out(`${server.url}\n`);
    io.err(`serving ${what} at ${server.url} (Ctrl-C stops)\n`);
    const browser = await findBrowser();
    const flags = { open: values.open === true, noOpen: values["no-open"] === true };
    if (shouldOpenBrowser(flags, io.stdoutIsTerminal === true, browser)) {
      if (!openInBrowser(browser!, server.url)) io.err(`could not start ${browser![0]}\n`);
    } else if (flags.open) {
      io.err("no browser found (set $BROWSER); open the address yourself\n");
    }
    await new Promise(() => {}); // until the process is stopped
    return 0;
  },
};

/** `pxos export`. */
export const exportCommand: Command = {
  name: "export",
  summary: "write a static web page that plays a cartridge, or a folder of them",
  help: `Usage: pxos export <cart.pxa | DIR> -o OUT

Writes index.html, player.js (the engines and host bundled for the browser) and cart.pxa to OUT:
upload the folder to any static web host to play the cartridge in a browser. Given a folder of
cartridges, index.html lists them (label and title), play.html plays one, and the cartridges
are copied to OUT/carts/.

${EXIT_CODES_HELP}`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs("export", args, {
      output: { type: "string", short: "o" },
    });
    const [path] = expectPositionals("export", positionals, ["cart"]);
    const dir = stringOption(values, "output");
    if (dir === undefined) throw new PxosError("E_USAGE", "pxos export: expected -o DIR");
    const { files } = await siteFor(path, io);
    for (const f of files) {
      await Deno.mkdir(dirname(join(dir, f.name)), { recursive: true });
      await writeFileAtomic(join(dir, f.name), f.data);
    }
    const listed = files.length > 4 ? `${files.length} files` : files.map((f) => f.name).join(", ");
    io.out(`exported ${basename(path)} to ${dir}/ (${listed})\n`);
    return 0;
  },
};
