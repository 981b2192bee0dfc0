/**
 * `pxos unpack <cart> [-o dir] [--force]`
 *
 * @module
 */
import { basename } from "node:path";
import { extractArchive } from "../../archive/directory.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile } from "../files.ts";
import { formatBytes, progressLine } from "../io.ts";

/** `pxos unpack`: writes a cartridge's files into a directory. */
export const unpackCommand: Command = {
  name: "unpack",
  summary: "extract a cartridge's files into a directory",
  help: `Usage: pxos unpack <cart.pxa> [-o dir] [--force]

Extracts every file of the cartridge. Every file's hash is checked before anything is written;
nothing is written outside the target directory, symlinks are never followed or created, and each
file is written to a temporary name and renamed, so an interrupted run leaves no half-written file.

Options:
  -o, --output DIR   target directory (default: the cartridge name without .pxa)
  --force            overwrite existing files
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
    const target = stringOption(values, "output") ??
      basename(cartPath).replace(/\.(pxa|png)$/i, "") +
        (/\.(pxa|png)$/i.test(cartPath) ? "" : ".d");
    const cart = await openCartridgeFile(cartPath, true);
    const total = cart.archive.entries.reduce((n, e) => n + e.size, 0);
    const progress = progressLine(io, "unpacking", total > 4 * 1024 * 1024 ? total : 0);
    const written = await extractArchive(cart.archive, target, {
      force: values.force === true,
      onProgress: (done) => progress.update(done),
    });
    progress.done();
    if (values.json) {
      io.out(`${JSON.stringify({ target, files: written }, null, 2)}\n`);
    } else {
      io.out(`unpacked ${written.length} files (${formatBytes(total)}) into ${target}\n`);
    }
    return 0;
  },
};
