/**
 * Browser stand-in for `node:path` in the web player's bundle: POSIX forms of what the host and
 * archive modules import (the browser never touches files; they must only load).
 *
 * @module
 */
/** The separator. */
export const sep = "/";

/** Joins segments with `/`, collapsing repeated slashes. */
export function join(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/").replace(/\/+/g, "/") || ".";
}

/** The last segment, without `ext` when it ends with it. */
export function basename(path: string, ext = ""): string {
  const base = path.replace(/\/+$/, "").split("/").pop() ?? "";
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}

/** Everything before the last segment. */
export function dirname(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

/** The extension of the last segment, with its dot. */
export function extname(path: string): string {
  const base = basename(path);
  const i = base.lastIndexOf(".");
  return i <= 0 ? "" : base.slice(i);
}

/** The segments joined (no current directory in a browser: `/` is the root). */
export function resolve(...parts: string[]): string {
  return join("/", ...parts);
}

/** `to` relative to `from` when it lies below it, else `to`. */
export function relative(from: string, to: string): string {
  return to.startsWith(`${from}/`) ? to.slice(from.length + 1) : to;
}
