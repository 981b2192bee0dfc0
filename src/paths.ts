/**
 * File path helpers with `node:path`'s meaning: POSIX forms written here, Windows forms from
 * `node:path` itself.
 *
 * Why not `node:path` everywhere: importing any `node:` module starts Deno's Node compatibility
 * layer, measured at +35% of a bare `deno run` start-up (CPU time, medians of 12), and `pxos boot`
 * starts three JavaScript contexts (CLI, sandbox process, Worker) that each needed only these few
 * functions. On Windows (drive letters, UNC paths, two separators) `node:path` is loaded and
 * used, so the subtle cases stay exactly Node's. `tests/paths_test.ts` checks the POSIX forms
 * against `node:path/posix` case by case.
 *
 * @module
 */

type PathModule = typeof import("node:path");

// deno-lint-ignore no-explicit-any
const onWindows = (globalThis as any).Deno?.build?.os === "windows";
const windows: PathModule | undefined = onWindows ? await import("node:path") : undefined;
const windowsUrls: typeof import("node:url") | undefined = onWindows
  ? await import("node:url")
  : undefined;

/** The platform's path separator. */
export const sep: string = windows?.sep ?? "/";

/** Joins path segments and normalizes the result (`.` for an empty path). */
export function join(...parts: string[]): string {
  if (windows) return windows.join(...parts);
  const joined = parts.filter((p) => p.length > 0).join("/");
  return joined.length === 0 ? "." : normalize(joined);
}

/** Resolves segments right to left into an absolute, normalized path (from the working folder). */
export function resolve(...parts: string[]): string {
  if (windows) return windows.resolve(...parts);
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !path.startsWith("/"); i--) {
    if (parts[i].length > 0) path = path.length > 0 ? `${parts[i]}/${path}` : parts[i];
  }
  if (!path.startsWith("/")) path = path.length > 0 ? `${cwd()}/${path}` : cwd();
  return `/${normalizeSegments(path, true)}`;
}

/** Whether `path` is absolute. */
export function isAbsolute(path: string): boolean {
  return windows ? windows.isAbsolute(path) : path.startsWith("/");
}

/** The folder part of `path` (`.` when it has none). */
export function dirname(path: string): string {
  if (windows) return windows.dirname(path);
  if (path.length === 0) return ".";
  // Node's scan: from the end, skip the last segment (and trailing slashes), cut at the slash
  // before it. A run of slashes there is cut at its last one, as Node does ("a//b" → "a/").
  const rooted = path[0] === "/";
  let end = -1;
  let inTrailingSlashes = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (!inTrailingSlashes) {
        end = i;
        break;
      }
    } else inTrailingSlashes = false;
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}

/** The last segment of `path` (trailing separators ignored). */
export function basename(path: string): string {
  if (windows) return windows.basename(path);
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}

/** The extension of the last segment, with its dot (`""` for none, or a leading-dot name). */
export function extname(path: string): string {
  if (windows) return windows.extname(path);
  const base = basename(path);
  const dot = base.lastIndexOf(".");
  if (dot <= 0 || base === "..") return "";
  return base.slice(dot);
}

/** The path from `from` to `to` (both resolved first); `""` when they are the same. */
export function relative(from: string, to: string): string {
  if (windows) return windows.relative(from, to);
  const a = resolve(from).split("/").filter((s) => s.length > 0);
  const b = resolve(to).split("/").filter((s) => s.length > 0);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

/** The file path a `file:` URL names (`node:url`'s `fileURLToPath`). */
export function fromFileUrl(url: string | URL): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "file:") {
    throw new TypeError(`expected a file: URL, found ${parsed.protocol} in ${parsed.href}`);
  }
  if (windowsUrls) return windowsUrls.fileURLToPath(parsed);
  if (parsed.hostname !== "" && parsed.hostname !== "localhost") {
    throw new TypeError(`a file: URL here must have no host, found ${parsed.hostname}`);
  }
  if (/%2f/i.test(parsed.pathname)) {
    throw new TypeError("a file: URL path must not include encoded / characters");
  }
  return decodeURIComponent(parsed.pathname);
}

/** Collapses `.`, `..` and repeated slashes, keeping a leading and a trailing slash. */
function normalize(path: string): string {
  const absolute = path.startsWith("/");
  const trailing = path.endsWith("/");
  let body = normalizeSegments(path, absolute);
  if (body.length === 0 && !absolute) body = ".";
  if (body.length > 0 && trailing) body += "/";
  return absolute ? `/${body}` : body;
}

function normalizeSegments(path: string, absolute: boolean): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment.length === 0 || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(segment);
  }
  return out.join("/");
}

function cwd(): string {
  // deno-lint-ignore no-explicit-any
  const deno = (globalThis as any).Deno;
  return deno ? deno.cwd() : "/";
}
