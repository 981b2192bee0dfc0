/**
 * `pxos pack cart.wasm`: a bare `.wasm` (a WASM-4 cartridge, or a WASI program) wrapped into a
 * cartridge in one command — the module plus a generated `pxos.json` naming it as the entry,
 * with a canvas of WASM-4's 160×160 screen scaled 3×.
 *
 * @module
 */
import { basename } from "../paths.ts";
import type { ArchiveInput } from "../archive/writer.ts";

/** Whether `path` names a bare module to wrap (rather than a folder to pack). */
export function isBareWasm(path: string): boolean {
  return path.toLowerCase().endsWith(".wasm");
}

/** The files of a cartridge holding just `path` and a generated manifest. */
export async function wasmCartFiles(path: string): Promise<ArchiveInput[]> {
  // files.ts brings the reading side, which `pxos pack` of a folder does not need.
  const data = await (await import("./files.ts")).readInputFile(path);
  const stem = basename(path).replace(/\.wasm$/i, "");
  const name = stem.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "cart";
  const entry = `${name}.wasm`;
  const manifest = {
    name,
    version: "1.0.0",
    title: stem,
    description: `${basename(path)} packed by pxos pack`,
    entry,
    pxos: ">=0.1.0",
    canvas: { width: 480, height: 480 },
  };
  return [
    { path: entry, data },
    { path: "pxos.json", data: new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n") },
  ];
}
