/**
 * Archive path rules. A member path is relative, `/`-separated, with no empty, `.` or `..`
 * segments, no NUL or other control characters, no backslashes and no drive letters — so that no
 * reader on any platform can be led to write outside its target directory.
 *
 * @module
 */
import { PxosError } from "../errors.ts";

/** Longest accepted member path, in UTF-8 bytes. */
export const MAX_PATH_BYTES = 1024;

/**
 * Returns why `path` is not a valid archive path, or `null` when it is.
 *
 * @example
 * ```ts
 * import { archivePathProblem } from "@pxos/core";
 * console.log(archivePathProblem("data/level1.bin")); // null
 * console.log(archivePathProblem("../etc/passwd")); // "has a '..' segment"
 * ```
 */
export function archivePathProblem(path: string): string | null {
  if (path.length === 0) return "is empty";
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long path is worth encoding to measure.
  if (path.length * 3 > MAX_PATH_BYTES && new TextEncoder().encode(path).length > MAX_PATH_BYTES) {
    return `is longer than ${MAX_PATH_BYTES} bytes`;
  }
  if (path.includes("\0")) return "contains a NUL character";
  // deno-lint-ignore no-control-regex
  if (/[\x01-\x1f\x7f]/.test(path)) return "contains a control character";
  if (path.includes("\\")) return "contains a backslash (use '/')";
  if (path.startsWith("/")) return "is absolute";
  if (/^[A-Za-z]:/.test(path)) return "starts with a drive letter";
  for (const segment of path.split("/")) {
    if (segment === "") return "has an empty segment";
    if (segment === ".") return "has a '.' segment";
    if (segment === "..") return "has a '..' segment";
  }
  return null;
}

/** Throws `E_PATH` naming `where` when `path` breaks the rules; returns it otherwise. */
export function checkArchivePath(path: string, where: string): string {
  const problem = archivePathProblem(path);
  if (problem !== null) {
    throw new PxosError(
      "E_PATH",
      `expected a relative '/'-separated path without '.', '..' or NUL, found ${
        JSON.stringify(path)
      }, which ${problem}`,
      { file: where },
    );
  }
  return path;
}
