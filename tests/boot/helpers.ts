/** Helpers for the boot and sandbox tests: cartridges built in memory. */
import { type Cartridge, openCartridge, packCartridge } from "../../src/archive/cartridge.ts";

const encoder = new TextEncoder();

/** Packs a manifest (merged over defaults) and files into an opened cartridge. */
export async function makeCartridge(
  manifest: Record<string, unknown>,
  files: Record<string, string | Uint8Array>,
): Promise<Cartridge> {
  const full = { name: "test", version: "1.0.0", pxos: ">=0.1.0", ...manifest };
  const inputs = [
    { path: "pxos.json", data: encoder.encode(JSON.stringify(full)) },
    ...Object.entries(files).map(([path, data]) => ({
      path,
      data: typeof data === "string" ? encoder.encode(data) : data,
    })),
  ];
  const { png } = await packCartridge(inputs);
  return await openCartridge(png);
}

/** The misbehaving test engine's module URL. */
export const ROGUE_ENGINE = new URL("./fixtures/rogue_engine.ts", import.meta.url);
