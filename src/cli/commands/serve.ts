/**
 * `pxos serve <cart>` and `pxos export <cart> -o DIR`: the web player — the cartridge runs in
 * the browser on the same engines and host, bundled for it (`src/web/`).
 *
 * @module
 */
import { join } from "../../paths.ts";
import { writeFileAtomic } from "../../archive/directory.ts";
import { PxosError } from "../../errors.ts";
import { playerSite, type SiteFile } from "../../web/site.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile } from "../files.ts";
import { readInputFile } from "../files.ts";
import type { CliIO } from "../io.ts";

async function siteFor(cartPath: string): Promise<SiteFile[]> {
  const cart = await openCartridgeFile(cartPath, true);
  return await playerSite(await readInputFile(cartPath), cart.manifest.title ?? cart.manifest.name);
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
    const name = new URL(request.url).pathname.slice(1) || "index.html";
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
  summary: "play a cartridge in the browser (a local web server on loopback)",
  help: `Usage: pxos serve <cart.pxa> [--port N]

Starts a web server on 127.0.0.1 whose page runs the cartridge in the browser: the same engines
and host, bundled for it, drawing to a canvas, keys and mouse as input, tones through WebAudio.
Open the printed address in a browser; Ctrl-C stops the server. File grants are not available
in the browser.

${EXIT_CODES_HELP}`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs("serve", args, { port: { type: "string" } });
    const [cartPath] = expectPositionals("serve", positionals, ["cart"]);
    const port = Number(stringOption(values, "port") ?? 8000);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new PxosError("E_USAGE", `pxos serve: --port expects 0–65535, found ${values.port}`);
    }
    const server = servePlayerFiles(await siteFor(cartPath), port);
    io.err(`serving ${cartPath} at ${server.url} (Ctrl-C stops)\n`);
    await new Promise(() => {}); // until the process is stopped
    return 0;
  },
};

/** `pxos export`. */
export const exportCommand: Command = {
  name: "export",
  summary: "write a static web page that plays a cartridge (for any web host)",
  help: `Usage: pxos export <cart.pxa> -o DIR

Writes index.html, player.js (the engines and host bundled for the browser) and cart.pxa to DIR:
upload the folder to any static web host to play the cartridge in a browser.

${EXIT_CODES_HELP}`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs("export", args, {
      output: { type: "string", short: "o" },
    });
    const [cartPath] = expectPositionals("export", positionals, ["cart"]);
    const dir = stringOption(values, "output");
    if (dir === undefined) throw new PxosError("E_USAGE", "pxos export: expected -o DIR");
    const files = await siteFor(cartPath);
    await Deno.mkdir(dir, { recursive: true });
    for (const f of files) await writeFileAtomic(join(dir, f.name), f.data);
    io.out(`exported ${cartPath} to ${dir}/ (${files.map((f) => f.name).join(", ")})\n`);
    return 0;
  },
};
