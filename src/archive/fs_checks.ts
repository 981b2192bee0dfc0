/**
 * Small file-system checks shared by packing and unpacking: "is anything there", "is this path
 * inside that folder", and an OS error's reason without the path it repeats.
 *
 * @module
 */
import { relative, sep } from "../paths.ts";

/**
 * `Deno.lstat`, or `null` when nothing is there (other errors are thrown).
 *
 * @example
 * ```ts ignore
 * import { lstatOrNull } from "@pxos/core";
 * console.log((await lstatOrNull("no-such-file")) === null); // true
 * ```
 */
export async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** `Deno.lstatSync`, or `null` when nothing is there (other errors are thrown). */
export function lstatSyncOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** True when `path` is `root` or below it (both absolute). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" ||
    (rel !== ".." && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep) &&
      !/^[A-Za-z]:/.test(rel));
}

/** The OS's reason, without the path it repeats (the error names the path on its own). */
export function describeFsError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "nothing there (not found)";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  return (e as Error).message.replace(/(\(os error \d+\)): .*$/s, "$1");
}
