/**
 * The IR's file names, apart from the compiler (`build.ts`), so that `pxos pack` can tell
 * whether a project has PXI sources without loading the PXI toolchain.
 *
 * @module
 */

/** True for the IR's file names (`.pxs` text, `.pxi.json` JSON). */
export function isPxiSource(path: string): boolean {
  return /\.(pxs|pxi\.json)$/i.test(path);
}

/** The path without its IR extension. */
export function pxiStem(path: string): string {
  return path.replace(/\.(pxs|pxi\.json)$/i, "");
}
