/**
 * Everything outside the granted pre-opens, made visible. wasi-libc (and Rust's `std`, which uses
 * it) resolves an absolute path by the longest pre-open that prefixes it; with no pre-open at
 * `/`, `fopen("/etc/passwd")` failed inside the guest without a single WASI call, so nothing
 * reached the host's audit log. So the guest is also given a pre-open named `/` whose every path
 * call is refused by the host: the engine asks the host for the path as the guest wrote it
 * (absolute), the host refuses every absolute path before looking at the disk and audits the
 * refusal, and the guest gets that errno (`EACCES`). A path that climbs out of a granted
 * pre-open (`../../x`) is refused and audited the same way.
 *
 * @module
 */
import { wasi } from "@bjorn3/browser_wasi_shim";
import type { Host } from "../../host/host.ts";
import { DirectoryFd, errnoFor } from "./wasi_host_dir.ts";

/** The pre-open `/`: a directory in which nothing can be opened, listed or changed. */
export class OutsideFd extends DirectoryFd {
  override fd_prestat_get(): { ret: number; prestat: wasi.Prestat | null } {
    return { ret: wasi.ERRNO_SUCCESS, prestat: wasi.Prestat.dir("/") };
  }
}

/**
 * Has the host refuse `call` on the guest-visible absolute `path` (so the refusal is audited
 * under the call the guest's operation would have been) and returns the errno. The path always
 * starts with `/`, which the host's path check refuses first, before the grant or the disk are
 * looked at (`normalizeGuestPath`, covered by the security tests); should a call ever succeed,
 * the guest is still refused (`ENOTCAPABLE`).
 *
 * @param host the run's host
 * @param call the host call the operation would be (`fs.readBytes`, `fs.mkdir`, …)
 * @param path the guest's absolute path
 */
export async function refuseOutside(host: Host, call: string, path: string): Promise<number> {
  const absolute = path.startsWith("/") ? path : `/${path}`;
  try {
    await host.invoke(call, call === "fs.writeBytes" ? [absolute, new Uint8Array(0)] : [absolute]);
  } catch (e) {
    return errnoFor(e);
  }
  return wasi.ERRNO_NOTCAPABLE;
}
