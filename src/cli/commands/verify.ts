/**
 * `pxos verify <cart>`
 *
 * @module
 */
import { escapeForTerminal } from "../../text_safety.ts";
import { toHex } from "../../archive/hash.ts";
import { checkSignature, requireTrustedSignature } from "../../archive/signature.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs } from "../command.ts";
import { EXIT, EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile, readInputFile } from "../files.ts";
import { style } from "../io.ts";

/** `pxos verify`: checks the image, the archive, the manifest and every file hash. */
export const verifyCommand: Command = {
  name: "verify",
  summary: "check a cartridge's integrity (pixels, archive, manifest, every file)",
  help: `Usage: pxos verify <cart.pxa> [--trust KEY.pub]... [--json]

Checks the pixel header and payload hash, the archive header, index and digest, the manifest,
the SHA-256 of every file, and the signature when there is one. Exit code 0 when everything
holds, 2 otherwise.

Options:
  --trust FILE   require a valid signature by this public key (repeat for several keys);
                 unsigned or otherwise-signed cartridges are refused
  --json         print the report as JSON

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("verify", args, {
      json: { type: "boolean" },
      trust: { type: "string", multiple: true },
    });
    const [cartPath] = expectPositionals("verify", positionals, ["cart"]);
    const cart = await openCartridgeFile(cartPath);
    const report = await cart.archive.verify();
    const trusted = await readTrustedKeys(values.trust);
    const { digest, trailer } = cart.archive;
    const signature = trusted.length > 0
      ? await requireTrustedSignature(digest, trailer, trusted)
      : await checkSignature(digest, trailer);
    if (signature.signed && !signature.valid) {
      report.ok = false;
      report.failures.push({
        path: "(signature)",
        code: "E_SIGNATURE",
        message: "signature does not verify",
      });
    }
    const signedBy = signature.signed
      ? `, signed by ${signature.fingerprint}${signature.trusted ? " (trusted)" : ""}`
      : "";
    if (values.json) {
      io.out(
        `${
          JSON.stringify(
            { ...report, signature, digest: toHex(digest), name: cart.manifest.name },
            null,
            2,
          )
        }\n`,
      );
    } else if (report.ok) {
      io.out(
        `${style(io, "green", "ok")} ${cartPath}: ${report.checked} files verified, digest ${
          toHex(digest).slice(0, 16)
        }…${signedBy}\n`,
      );
    } else {
      for (const f of report.failures) {
        io.err(
          `${style(io, "red", "bad")} ${escapeForTerminal(f.path)}: [${f.code}] ${
            escapeForTerminal(f.message)
          }\n`,
        );
      }
      io.err(`${cartPath}: ${report.failures.length} of ${report.checked} files failed\n`);
    }
    return report.ok ? EXIT.OK : EXIT.INVALID;
  },
};

/** Reads `--trust` key files (PEM text). */
export async function readTrustedKeys(paths: unknown): Promise<string[]> {
  const list = Array.isArray(paths) ? paths.filter((p): p is string => typeof p === "string") : [];
  return await Promise.all(list.map(async (p) => new TextDecoder().decode(await readInputFile(p))));
}
