/**
 * Host paths a guest names: lexical rules (relative to the run's root, no `..` escape, no
 * absolute paths) and grant matching. Symbolic links are the business of `fs_access.ts`, which
 * checks the real path of everything it opens.
 *
 * @module
 */
import { PxosError } from "../errors.ts";

/**
 * Normalises a guest (or manifest, or `--allow-read`) path to root-relative segments joined by
 * `/` (`""` is the root itself). Throws `PxosError` `E_PERMISSION` for an absolute path, a NUL or
 * backslash, or `..` that climbs above the root.
 *
 * @example
 * ```ts
 * import { normalizeGuestPath } from "@pxos/core";
 * console.log(normalizeGuestPath("./data/../saves/x.txt")); // "saves/x.txt"
 * ```
 */
export function normalizeGuestPath(path: string): string {
  const quoted = JSON.stringify(path);
  if (path.includes("\0") || path.includes("\\")) {
    throw new PxosError("E_PERMISSION", `expected a path with / separators, found ${quoted}`);
  }
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    throw new PxosError(
      "E_PERMISSION",
      `expected a path relative to the root, found the absolute path ${quoted}`,
    );
  }
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length === 0) {
        throw new PxosError("E_PERMISSION", `path ${quoted} escapes the root by ".."`);
      }
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join("/");
}

/** Whether root-relative `path` is `dir` or inside it (both normalised). */
export function isWithin(path: string, dir: string): boolean {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}

/** Shows a normalised path the way manifests write it. */
export function displayPath(path: string): string {
  return path === "" ? "." : `./${path}`;
}

/** Granted and denied directories for one kind of access, as normalised root-relative paths. */
export interface PathGrant {
  /** Directories (or files) the access is granted under. */
  readonly allow: readonly string[];
  /** Directories (or files) refused even when under an allowed one (`--deny-read=…`). */
  readonly deny: readonly string[];
}

/**
 * Returns the granted directory that covers `path`, or throws `PxosError` `E_PERMISSION`
 * saying why not.
 */
export function grantedDirFor(
  call: string,
  kind: "read" | "write",
  path: string,
  grant: PathGrant,
): string {
  const denied = grant.deny.find((d) => isWithin(path, d));
  if (denied !== undefined) {
    throw new PxosError(
      "E_PERMISSION",
      `${call}: ${displayPath(path)} is under ${displayPath(denied)}, which is denied for ${kind}`,
    );
  }
  const dir = grant.allow.find((d) => isWithin(path, d));
  if (dir === undefined) {
    const granted = grant.allow.length === 0
      ? `${kind} is not granted`
      : `the ${kind} grant covers only ${grant.allow.map(displayPath).join(", ")}`;
    throw new PxosError("E_PERMISSION", `${call}: ${displayPath(path)} refused: ${granted}`);
  }
  return dir;
}
