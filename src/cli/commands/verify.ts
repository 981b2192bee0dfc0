/**
 * `pxos verify <cart>`
 *
 * @module
 */
import { toHex } from "../../archive/hash.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs } from "../command.ts";
import { EXIT, EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile } from "../files.ts";
import { style } from "../io.ts";

/** `pxos verify`: checks the image, the archive, the manifest and every file hash. */
export const verifyCommand: Command = {
  name: "verify",
  summary: "check a cartridge's integrity (pixels, archive, manifest, every file)",
  help: `Usage: pxos verify <cart.pxa> [--json]

Checks the pixel header and payload hash, the archive header, index and digest, the manifest,
and the SHA-256 of every file. Exit code 0 when everything holds, 2 otherwise.

Options:
  --json   print the report as JSON

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("verify", args, { json: { type: "boolean" } });
    const [cartPath] = expectPositionals("verify", positionals, ["cart"]);
    const cart = await openCartridgeFile(cartPath);
    const report = await cart.archive.verify();
    if (values.json) {
      io.out(
        `${
          JSON.stringify(
            { ...report, digest: toHex(cart.archive.digest), name: cart.manifest.name },
            null,
            2,
          )
        }\n`,
      );
    } else if (report.ok) {
      io.out(
        `${style(io, "green", "ok")} ${cartPath}: ${report.checked} files verified, digest ${
          toHex(cart.archive.digest).slice(0, 16)
        }…\n`,
      );
    } else {
      for (const f of report.failures) {
        io.err(`${style(io, "red", "bad")} ${f.path}: [${f.code}] ${f.message}\n`);
      }
      io.err(`${cartPath}: ${report.failures.length} of ${report.checked} files failed\n`);
    }
    return report.ok ? EXIT.OK : EXIT.INVALID;
  },
};
