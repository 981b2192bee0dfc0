/**
 * File helpers shared by CLI commands: reading inputs with clear errors, opening cartridges.
 *
 * @module
 */
import { type Cartridge, openCartridge } from "../archive/cartridge.ts";
import { PxosError } from "../errors.ts";
import { importLazily } from "../lazy_import.ts";
import { readWholeFile } from "../read_file.ts";

/** Reads a whole file; a missing or unreadable file is `E_IO` naming it. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  try {
    return await readWholeFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file"
      : e instanceof Deno.errors.IsADirectory
      ? "it is a directory"
      : (e as Error).message;
    throw new PxosError("E_IO", `cannot read input: ${why}`, { file: path, cause: e });
  }
}

/**
 * Reads and opens a cartridge file. `readsEveryMember`: the caller reads (and so hash-checks)
 * every member, so the pixel layer's whole-payload hash may be skipped (see `openCartridge`).
 */
export async function openCartridgeFile(
  path: string,
  readsEveryMember = false,
): Promise<Cartridge> {
  return await openCartridge(await readInputFile(path), {
    name: path,
    verifyPayloadHash: !readsEveryMember,
  });
}

/** Whether `path` is a folder (to boot or run as a project). */
export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Opens a cartridge file, or a project folder packed in memory. The project reader (and its
 * gitignore matcher) is loaded only for a folder, so booting a cartridge does not pay for it.
 */
export async function openCartridgeOrFolder(path: string): Promise<Cartridge> {
  if (!(await isFolder(path))) return await openCartridgeFile(path, true);
  const project = await importLazily<typeof import("./project.ts")>(
    new URL("./project.ts", import.meta.url),
  );
  return await project.openProjectFolder(path);
}
