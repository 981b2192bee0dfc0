/**
 * How the host mount (`host_mount.ts`) talks to the host: one synchronous call per file-system
 * operation, and the errno each of the host's refusals and failures becomes.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { HostValue } from "../../host/calls.ts";
import type { Host } from "../../host/host.ts";

/** Emscripten's errno numbers (what Pyodide's `errno` module reports). */
export const ERRNO = {
  EACCES: 2,
  EEXIST: 20,
  EFBIG: 22,
  EINVAL: 28,
  EIO: 29,
  EISDIR: 31,
  ENOENT: 44,
  ENOMEM: 48,
  ENOSPC: 51,
  ENOTDIR: 54,
  ENOTEMPTY: 55,
  EPERM: 63,
  EXDEV: 75,
} as const;

/** Linux errno → Emscripten's, for the `(os error N)` in a host error's message. */
const FROM_LINUX: Record<number, number> = {
  1: ERRNO.EPERM,
  2: ERRNO.ENOENT,
  13: ERRNO.EACCES,
  17: ERRNO.EEXIST,
  18: ERRNO.EXDEV,
  20: ERRNO.ENOTDIR,
  21: ERRNO.EISDIR,
  22: ERRNO.EINVAL,
  28: ERRNO.ENOSPC,
  39: ERRNO.ENOTEMPTY,
};

/** A host call that answers at once (`Host.invokeSync`); throws `PxosError` when refused. */
export type SyncHostCall = (name: string, args: readonly HostValue[]) => HostValue;

/** The errno a host call's failure becomes (the host's reason is in the audit log). */
export function errnoFor(e: unknown): number {
  if (!(e instanceof PxosError)) return ERRNO.EIO;
  if (e.code === "E_PERMISSION") return ERRNO.EACCES;
  if (e.code === "E_MEMORY") return ERRNO.ENOMEM;
  const message = e.message;
  const os = /\(os error (\d+)\)/.exec(message);
  if (os) return FROM_LINUX[Number(os[1])] ?? ERRNO.EIO;
  if (message.includes("does not exist")) return ERRNO.ENOENT;
  if (message.includes("is a directory")) return ERRNO.EISDIR;
  if (message.includes("invalid argument")) return ERRNO.EINVAL;
  if (message.includes("is the root directory")) return ERRNO.EPERM;
  return ERRNO.EIO;
}

/**
 * The synchronous host call the mount makes: `Host.invokeSync`, or `invoke` when it answers at
 * once. A host that can only answer later cannot back a file system (`E_IO`, so `EIO`).
 */
export function syncHostCall(host: Host): SyncHostCall {
  return (name, args) => {
    if (host.invokeSync) return host.invokeSync(name, args);
    const result = host.invoke(name, args);
    if (result instanceof Promise) {
      result.catch(() => {}); // refused below; its own outcome no longer matters
      throw new PxosError("E_IO", `${name}: this host answers file calls only asynchronously`);
    }
    return result;
  };
}
