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
  return plainArchivePath(path) ? null : pathProblemInFull(path);
}

/**
 * True for a path that certainly breaks no rule, found in one pass over its characters: short
 * enough that its UTF-8 cannot pass the limit, no control character, backslash or `X:` start, no
 * empty, `.` or `..` segment. Anything else (rare) goes through {@link pathProblemInFull}, which
 * says what is wrong. Unpack checks every member's path twice; the checks in full — regular
 * expressions and a split per path, run cold once per process — cost 13–15 ms for 927 members
 * against 3–5 ms for this pass.
 */
export function plainArchivePath(path: string): boolean {
  const n = path.length;
  if (n === 0 || n * 3 > MAX_PATH_BYTES || path.charCodeAt(1) === 0x3a /* : */) return false;
  let start = 0; // where the current segment starts
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 0x2f : path.charCodeAt(i);
    if (c === 0x2f /* / */) {
      const length = i - start;
      if (length === 0) return false;
      if (
        length <= 2 && path.charCodeAt(start) === 0x2e /* . */ &&
        (length === 1 || path.charCodeAt(start + 1) === 0x2e)
      ) return false;
      start = i + 1;
    } else if (c < 0x20 || c === 0x7f || c === 0x5c /* \ */) {
      return false;
    }
  }
  return true;
}

/** {@link archivePathProblem} by each rule in turn, so that the first broken one is named. */
export function pathProblemInFull(path: string): string | null {
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
