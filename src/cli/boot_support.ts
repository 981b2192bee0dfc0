/**
 * Pieces of `pxos boot` that touch the user's machine on the cartridge's behalf: the audit file,
 * the folders a write grant names, the `--seed` value.
 *
 * @module
 */
import { dirname, join, sep } from "../paths.ts";
import { PxosError } from "../errors.ts";
import { type AuditEntry, auditLine, type AuditSink } from "../host/audit.ts";
import { displayPath } from "../host/fs_paths.ts";
import type { Grant } from "../host/grant.ts";

/** An open audit file. */
export interface AuditFile {
  /** Appends one entry (written immediately, so a hard timeout loses nothing). */
  sink: AuditSink;
  /** Records a boot-level event (grant, refusal, outcome) in the same form. */
  event(call: string, target: string, allowed: boolean, reason: string): void;
  /** Closes the file. */
  close(): void;
}

/** Opens `--audit FILE` for appending (created if missing). */
export function openAuditFile(path: string, cartridge: string): AuditFile {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { append: true, create: true });
  } catch (e) {
    throw new PxosError("E_IO", `--audit ${path}: ${(e as Error).message}`);
  }
  const encoder = new TextEncoder();
  const sink = (entry: AuditEntry) => {
    const bytes = encoder.encode(auditLine(entry));
    let done = 0;
    while (done < bytes.length) done += file.writeSync(bytes.subarray(done));
  };
  return {
    sink,
    event: (call, target, allowed, reason) =>
      sink({ time: new Date().toISOString(), cartridge, call, target, allowed, reason }),
    close: () => file.close(),
  };
}

/**
 * Creates the granted write folders that do not exist yet (a cartridge cannot create the root of
 * its own grant), refusing any whose real parent lies outside the root. Returns what it created.
 */
export async function createWriteFolders(grant: Grant, root: string): Promise<string[]> {
  const created: string[] = [];
  for (const dir of grant.write) {
    if (dir === "") continue;
    const path = join(root, ...dir.split("/"));
    try {
      await Deno.lstat(path);
      continue;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    const inside = (real: string) => real === root || real.startsWith(root + sep);
    let existing = dirname(path);
    while (!(await Deno.lstat(existing).then(() => true, () => false))) {
      existing = dirname(existing);
    }
    if (!inside(await Deno.realPath(existing)) || !inside(existing)) {
      throw new PxosError(
        "E_PERMISSION",
        `${displayPath(dir)} leads outside the root through a symbolic link`,
      );
    }
    await Deno.mkdir(path, { recursive: true });
    created.push(displayPath(dir));
  }
  return created;
}

/** `--seed`: hex digits (an even number) are bytes; anything else is its UTF-8 text. */
export function parseSeed(text: string): Uint8Array {
  if (/^([0-9a-fA-F]{2})+$/.test(text)) {
    return Uint8Array.from(text.match(/../g)!.map((h) => parseInt(h, 16)));
  }
  return new TextEncoder().encode(text);
}
