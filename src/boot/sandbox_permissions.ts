/**
 * Layer 2 of the permission model: the Deno permissions of the sandbox Worker, derived from the
 * grant. All eight keys are spelled out; a key left out, or `"inherit"`, would hand the Worker
 * whatever `pxos` itself was started with.
 *
 * @module
 */
import { fromFileUrl, join } from "../paths.ts";
import type { Grant } from "../host/grant.ts";

/** Deno's permission keys, every one of which the Worker's options name. */
export const DENO_PERMISSION_KEYS = [
  "read",
  "write",
  "net",
  "env",
  "run",
  "ffi",
  "sys",
  "import",
] as const;

/**
 * The Worker's Deno permissions for a grant. Reading covers the read grant and, because checking
 * the real path of a file to be written needs `realPath` and `lstat` (which Deno counts as
 * reads), the write grant too; the host refuses guest reads there (layer 1). `import` is granted
 * only for the host that serves pxOS's own modules when pxOS runs from a URL. An embedder's
 * engine modules (`engineModules`) are loaded at run time, so their files (or hosts) are added,
 * and so are the folders an engine loads its runtime from (`engineFolders`: the Pyodide package
 * for Python cartridges).
 *
 * @example
 * ```ts
 * import { NO_GRANT, workerPermissions } from "@pxos/core";
 * const p = workerPermissions({ ...NO_GRANT, read: ["data"] }, "/home/me", new URL("file:///x.ts"));
 * console.log(p.read, p.env); // ["/home/me/data"] false
 * ```
 */
export function workerPermissions(
  grant: Grant,
  root: string,
  moduleUrl: URL,
  engineModules: readonly URL[] = [],
  engineFolders: readonly string[] = [],
): Deno.PermissionOptionsObject {
  const abs = (p: string) => (p === "" ? root : join(root, ...p.split("/")));
  const list = (items: string[]) => (items.length === 0 ? false : [...new Set(items)]);
  const isRemote = (u: URL) => u.protocol === "https:" || u.protocol === "http:";
  const remoteHosts = [moduleUrl, ...engineModules].filter(isRemote).map((u) => u.host);
  const moduleFiles = engineModules.filter((u) => u.protocol === "file:").map((u) =>
    fromFileUrl(u)
  );
  return {
    read: list([...[...grant.read, ...grant.write].map(abs), ...moduleFiles, ...engineFolders]),
    write: list(grant.write.map(abs)),
    net: list([...grant.net]),
    env: false,
    run: false,
    ffi: false,
    sys: false,
    import: list(remoteHosts),
  };
}
