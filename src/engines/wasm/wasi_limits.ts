/**
 * Bounds on what a guest can make the host hold through WASI files. Open files live in memory
 * (the shim's `OpenFile`), and the shim grows a file to whatever size a write, `fd_allocate` or
 * `fd_filestat_set_size` names — a one-byte write at offset 2^40 would allocate a terabyte. These
 * checks run first: the files a run holds may together grow to the run's memory limit, no more
 * (`EFBIG` past it), and read-only files (the cartridge's) cannot be resized (`EBADF`, as the
 * shim answers for writes to them).
 *
 * @module
 */
import { type Fd, OpenFile, wasi } from "@bjorn3/browser_wasi_shim";
import { HostFile } from "./wasi_host_dir.ts";

/**
 * Bytes held by the run's open host files (read or written copies); the cartridge's files are
 * shared and already counted when the cartridge was loaded.
 */
export function heldBytes(fds: readonly (Fd | undefined)[]): number {
  let held = 0;
  for (const f of fds) {
    if (f instanceof OpenFile && f.file instanceof HostFile) held += f.file.data.length;
  }
  return held;
}

/** An import function as the guest calls it. */
type ImportFn = (...args: never[]) => unknown;

/**
 * Wraps the size-changing file calls of `base` with the limit.
 *
 * @param fds the run's descriptor table (read at each call)
 * @param view the guest's memory (to read iovec lengths)
 * @param maxBytes the most bytes all writable open files may hold together (read at each call)
 * @param base the shim's functions
 */
export function fileSizeGuards(
  fds: () => readonly (Fd | undefined)[],
  view: () => DataView,
  maxBytes: () => number,
  base: Record<string, ImportFn>,
): Record<string, ImportFn> {
  /** `EBADF`/`EFBIG` when growing `fd`'s file to `end` bytes is not allowed; else undefined. */
  const refuse = (fd: number, end: number): number | undefined => {
    const file = fds()[fd];
    if (!(file instanceof OpenFile)) return undefined;
    if (file.file.readonly) return wasi.ERRNO_BADF;
    const grows = end - file.file.data.length;
    if (grows <= 0) return undefined;
    return heldBytes(fds()) + grows > maxBytes() || !Number.isSafeInteger(end)
      ? wasi.ERRNO_FBIG
      : undefined;
  };
  const iovecBytes = (iovs: number, count: number) => {
    let total = 0;
    for (const v of wasi.Ciovec.read_bytes_array(view(), iovs, count)) total += v.buf_len;
    return total;
  };
  const position = (fd: number) => {
    const file = fds()[fd];
    return file instanceof OpenFile ? Number(file.file_pos) : 0;
  };
  return {
    fd_write: (fd: number, iovs: number, count: number, out: number) =>
      refuse(fd, position(fd) + iovecBytes(iovs, count)) ??
        base.fd_write(...([fd, iovs, count, out] as never[])),
    fd_pwrite: (fd: number, iovs: number, count: number, offset: bigint, out: number) =>
      refuse(fd, Number(offset) + iovecBytes(iovs, count)) ??
        base.fd_pwrite(...([fd, iovs, count, offset, out] as never[])),
    fd_allocate: (fd: number, offset: bigint, len: bigint) =>
      refuse(fd, Number(offset + len)) ?? base.fd_allocate(...([fd, offset, len] as never[])),
    fd_filestat_set_size: (fd: number, size: bigint) =>
      refuse(fd, Number(size)) ?? base.fd_filestat_set_size(...([fd, size] as never[])),
  };
}
