/**
 * Real paths for the `fs.*` checks. A guest path is resolved once (its deepest existing ancestor
 * through `realPath`, the missing rest appended), and the grant and the deny list are both
 * matched against that one real path, so a link cannot lead around a denial the way text
 * comparison let `data/sublink/s.txt` past `--deny-read=./data/sub`.
 *
 * @module
 */
import { basename, dirname, join, sep } from "../paths.ts";
import { PxosError } from "../errors.ts";
import { displayPath, isWithin } from "./fs_paths.ts";

/** Absolute lexical path of a normalised root-relative one. */
export function underRoot(root: string, rel: string): string {
  return rel === "" ? root : join(root, ...rel.split("/"));
}

/** Whether absolute `path` is `dir` or inside it. */
export function isWithinReal(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * The real path of `path`: its deepest existing ancestor resolved, the missing rest appended.
 * The walk stops at `stopAt` (the sandbox may not allow looking above the granted directory):
 * when that is missing too, the path does not exist (`E_IO`). Other errors are thrown as they are.
 */
export function realPathOf(
  path: string,
  stopAt: string,
  call: string,
  rel: string,
): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      const real = Deno.realPathSync(current);
      return missing.length === 0 ? real : join(real, ...missing.reverse());
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      if (current === stopAt || dirname(current) === current) {
        throw new PxosError(
          "E_IO",
          `${call}: ${displayPath(rel)} does not exist (nor does the granted directory)`,
        );
      }
      missing.push(basename(current));
      current = dirname(current);
    }
  }
}

/**
 * The denied directory (normalised root-relative, as the user wrote it) that covers `real`, or
 * `undefined`. Each denial counts both as written and as its own real path (resolved like a
 * guest path, relative to the real root), so reaching it through a link is still reaching it.
 * A denial that cannot be resolved (the sandbox may not let it be looked at; then nothing
 * granted lies under it either) counts as written.
 */
export function deniedDirFor(
  real: string,
  rel: string,
  root: string,
  deny: readonly string[],
): string | undefined {
  for (const d of deny) {
    if (isWithin(rel, d)) return d;
    const lexical = underRoot(root, d);
    if (isWithinReal(real, lexical)) return d;
    let resolved: string | null = null;
    try {
      resolved = realPathOf(lexical, root, "", d);
    } catch {
      // Unresolvable: it counts as written (above).
    }
    if (resolved !== null && isWithinReal(real, resolved)) return d;
  }
  return undefined;
}

/**
 * Resolves the run's root to its real path (do this once, outside the sandbox).
 *
 * @example
 * ```ts ignore
 * import { realRoot } from "@pxos/core";
 * const root = await realRoot(".");
 * ```
 */
export async function realRoot(root: string): Promise<string> {
  try {
    const real = await Deno.realPath(root);
    if (!(await Deno.stat(real)).isDirectory) throw new Error("not a directory");
    return real;
  } catch (e) {
    throw new PxosError(
      "E_IO",
      `--root ${root} is not a usable directory: ${(e as Error).message}`,
    );
  }
}
