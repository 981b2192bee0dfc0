/**
 * `pxos unpack <cart> [-o dir] [--force]`
 *
 * @module
 */
import { basename } from "../../paths.ts";
import { lstatSyncOrNull } from "../../archive/fs_checks.ts";
import { extractArchive, type ExtractOptions } from "../../archive/extract.ts";
import { extractCartridgeStream, PlacingFailed } from "../../archive/stream_extract.ts";
import { PxosError } from "../../errors.ts";
import { escapeForTerminal } from "../../text_safety.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile, readInputFile } from "../files.ts";
import { type Cartridge, openCartridge } from "../../archive/cartridge.ts";
import { formatBytes, progressLine } from "../io.ts";
import { loadNativeZlib, NATIVE_WORTHWHILE_BYTES } from "../../native_modules.ts";
import { preferNativeSha256 } from "../../sha256.ts";

/** `pxos unpack`: writes a cartridge's files into a directory. */
export const unpackCommand: Command = {
  name: "unpack",
  summary: "extract a cartridge's files into a directory",
  help: `Usage: pxos unpack <cart.pxa> [-o dir] [--force]

Extracts every file of the cartridge. Every file's hash is checked before anything is moved into
place; nothing is written outside the target directory, symlinks are never followed or created,
and files are written into a temporary folder renamed into place when all are checked, so an
interrupted run leaves no half-written file.

Options:
  -o, --output DIR   target directory (default: a new folder named after the cartridge file
                     without .pxa/.png, e.g. game.pxa → game; refused if it exists)
  --force            overwrite existing files (and use an existing default folder)
  -q, --quiet        no progress output
  --json             print the written paths as JSON

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("unpack", args, {
      output: { type: "string", short: "o" },
      force: { type: "boolean" },
      json: { type: "boolean" },
    });
    const [cartPath] = expectPositionals("unpack", positionals, ["cart"]);
    const output = stringOption(values, "output");
    const target = output ?? defaultTarget(cartPath);
    if (
      output === undefined && !values.force &&
      lstatSyncOrNullQuiet(target) !== null
    ) {
      throw new PxosError(
        "E_IO",
        // Not escaped here: every error line is escaped where it is printed (reportError).
        `${target} already exists: name another folder with -o DIR, or use --force`,
      );
    }
    let progress: ReturnType<typeof progressLine> | undefined;
    const options = {
      force: values.force === true,
      onProgress: (done: number, total: number) => {
        progress ??= progressLine(io, "unpacking", total > 4 * 1024 * 1024 ? total : 0);
        progress.update(done);
      },
    };
    const { written, total } = await unpackStreamed(cartPath, target, options) ??
      await unpackWhole(cartPath, target, options);
    progress?.done();
    if (values.json) {
      io.out(`${JSON.stringify({ target, files: written }, null, 2)}\n`);
    } else {
      io.out(
        `unpacked ${written.length} files (${formatBytes(total)}) into ${
          escapeForTerminal(target)
        }\n`,
      );
    }
    return 0;
  },
};

/**
 * Unpacks a large cartridge as it is read, in small reused buffers (`extractCartridgeStream`): no
 * buffer the size of the file or its payload, which cost 50–90 ms per 8 MB here before any work.
 * `undefined` when the file is small or not a regular file, or when reading or checking it went
 * wrong — the stream path then has left nothing behind, and the cartridge is read whole, which
 * accepts it (a kind of PNG the stream reader does not take) or says what is wrong in its usual
 * words. A failure while moving the checked files into place is reported as it is.
 */
async function unpackStreamed(
  cartPath: string,
  target: string,
  options: ExtractOptions,
): Promise<{ written: string[]; total: number } | undefined> {
  const fileBytes = regularFileSize(cartPath);
  if (fileBytes < NATIVE_WORTHWHILE_BYTES) return undefined;
  try {
    await Promise.all([loadNativeZlib(), preferNativeSha256()]);
    using file = Deno.openSync(cartPath);
    return await extractCartridgeStream(
      (into) => file.readSync(into) ?? 0,
      cartPath,
      target,
      options,
      fileBytes,
    );
  } catch (e) {
    if (e instanceof PlacingFailed) throw e.cause;
    return undefined;
  }
}

/** Unpacks a cartridge read whole (see {@link openOwnCopy}). */
async function unpackWhole(
  cartPath: string,
  target: string,
  options: ExtractOptions,
): Promise<{ written: string[]; total: number }> {
  const cart = await openOwnCopy(cartPath);
  const written = await extractArchive(cart.archive, target, options);
  return { written, total: cart.archive.entries.reduce((n, e) => n + e.size, 0) };
}

/**
 * Opens the cartridge file, decoding its payload over the bytes read (`consumeInput`: no fresh
 * image-sized buffer, which measured about 5 ms per MiB to touch here). An image the in-place
 * reader cannot finish is read again and decoded the usual way, which accepts it or says why not.
 */
async function openOwnCopy(cartPath: string): Promise<Cartridge> {
  try {
    return await openCartridge(await readInputFile(cartPath), {
      name: cartPath,
      verifyPayloadHash: false, // every member is read and hash-checked
      consumeInput: true,
    });
  } catch (e) {
    if (!(e instanceof PxosError) || e.code !== "E_PNG_CORRUPT") throw e;
    return await openCartridgeFile(cartPath, true);
  }
}

/** `lstatSyncOrNull`, with any error (not only "not found") read as nothing there. */
function lstatSyncOrNullQuiet(path: string): Deno.FileInfo | null {
  try {
    return lstatSyncOrNull(path);
  } catch {
    return null;
  }
}

/** The size of `path` if it is a regular file, else 0 (missing, a folder, a pipe…). */
function regularFileSize(path: string): number {
  try {
    const info = Deno.statSync(path);
    return info.isFile ? info.size : 0;
  } catch {
    return 0;
  }
}

/**
 * The folder `unpack` writes to without `-o`: the cartridge file's name without `.pxa`/`.png`
 * (`name.d` for other names), in the current directory. A name that would be empty, `.`, `..`
 * or only dots (`.pxa`, `..pxa`, `...pxa`) would mean the current or parent folder: refused with
 * `E_USAGE`, asking for `-o`.
 */
function defaultTarget(cartPath: string): string {
  const base = basename(cartPath);
  const extension = /\.(pxa|png)$/i;
  const name = extension.test(base) ? base.replace(extension, "") : `${base}.d`;
  if (/^\.*$/.test(name)) {
    const folder = name === "" ? "nameless" : `"${name}"`;
    throw new PxosError(
      "E_USAGE",
      `unpack: a folder named after "${base}" would be ${folder}; name the target with -o DIR`,
    );
  }
  return name;
}
