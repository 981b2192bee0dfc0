/**
 * Reading whole files fast. `Deno.readFile` measured about 7 ms per MiB here (222 ms for a 31 MB
 * file, 70 ms for 9.6 MB) against well under 1 ms per MiB when the same bytes are read into one
 * buffer of the size `stat` gives — which matters for a large cartridge (and for the Python
 * engine's 30 MiB snapshot), read before anything else can start.
 *
 * @module
 */
import { concatBytes } from "./bytes.ts";

/**
 * Reads a whole file. A regular file is read into one buffer of its size (and, if it grew since,
 * the rest after it); anything else (a pipe, a device) through `Deno.readFile`. Errors are
 * Deno's own (`NotFound`, `IsADirectory`, …).
 *
 * @example
 * ```ts ignore
 * import { readWholeFile } from "@pxos/core";
 * const png = await readWholeFile("hello.pxa");
 * ```
 */
export async function readWholeFile(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  {
    using file = await Deno.open(path, { read: true });
    const info = await file.stat();
    if (!info.isFile) return await Deno.readFile(path);
    bytes = new Uint8Array(info.size);
    const filled = await readFully(file, bytes);
    if (filled < bytes.length) return bytes.subarray(0, filled); // shrank meanwhile
    const rest = await readRest(file);
    if (rest.length === 0) return bytes;
    const whole = new Uint8Array(bytes.length + rest.length);
    whole.set(bytes, 0);
    whole.set(rest, bytes.length);
    return whole;
  }
}

/**
 * Fills `bytes` from `file`'s current position; returns how many bytes were read (fewer only at
 * the end of the file).
 *
 * @example
 * ```ts ignore
 * import { readFully } from "@pxos/core";
 * using file = await Deno.open("data.bin");
 * const head = new Uint8Array(16);
 * console.log(await readFully(file, head)); // 16, or fewer for a shorter file
 * ```
 */
export async function readFully(file: Deno.FsFile, bytes: Uint8Array): Promise<number> {
  let at = 0;
  while (at < bytes.length) {
    const n = await file.read(bytes.subarray(at));
    if (n === null) break;
    at += n;
  }
  return at;
}

/** Whatever is left in `file` (usually nothing), in one array. */
async function readRest(file: Deno.FsFile): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for (;;) {
    const piece = new Uint8Array(64 * 1024);
    const n = await file.read(piece);
    if (n === null) break;
    pieces.push(piece.subarray(0, n));
  }
  return concatBytes(pieces);
}
