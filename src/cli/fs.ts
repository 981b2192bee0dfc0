/**
 * File helpers for CLI commands: reading inputs with clear errors, and writing outputs atomically
 * (temp file in the same directory, then rename), so a failed or interrupted write never leaves a
 * half-written file where the output should be.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { PxosError } from "../errors.ts";

/** Reads a whole input file; a missing or unreadable file is `E_IO` naming the path. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new PxosError("E_IO", `cannot read ${JSON.stringify(path)}: ${why}`, { cause: e });
  }
}

/**
 * Writes `bytes` to `path` atomically: a temp file next to it, then a rename over `path`. The temp
 * file is removed when anything fails; failures are `E_IO` naming the path.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const suffix = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  const temp = join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
  try {
    await Deno.writeFile(temp, bytes, { createNew: true });
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw new PxosError("E_IO", `cannot write ${JSON.stringify(path)}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
