/**
 * The files a sandbox process reads and writes besides the grant, from `pxos boot`'s options:
 * what the deciding side needs to start one, apart from what runs a plan (`boot_run.ts`), which
 * it loads only to run the guest itself.
 *
 * @module
 */
import { resolve } from "../paths.ts";
import { type ParsedArgs, stringOption } from "./command.ts";
import { framesDirOption } from "./graphics_options.ts";
import { PLAY_OUTPUTS } from "./play_options.ts";

/** Files the sandbox process reads and writes besides the grant, from the `boot` options. */
export function childFilePaths(
  cartPath: string,
  values: ParsedArgs["values"],
): { readPaths: string[]; writePaths: string[] } {
  const cart = resolve(cartPath);
  const given = (name: string) => {
    const v = stringOption(values, name);
    return v === undefined ? [] : [resolve(v)];
  };
  // Frames go next to the cartridge unless --frames names a folder.
  const dir = framesDirOption(values);
  const frames = dir !== undefined ? [resolve(dir)] : [resolve(cart, "..")];
  // Play outputs are written through a temporary sibling: their folders are needed.
  const play = PLAY_OUTPUTS.flatMap(given).map((p) => resolve(p, ".."));
  const writes = [...frames, ...given("apng"), ...given("audit"), ...play];
  return { readPaths: [cart, ...given("input"), ...writes], writePaths: writes };
}
