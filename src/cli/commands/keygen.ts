/**
 * `pxos keygen [-o name]`
 *
 * @module
 */
import { writeFileAtomic } from "../../archive/directory.ts";
import { generateSigningKeys } from "../../archive/signature.ts";
import { PxosError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";

/** `pxos keygen`: makes an Ed25519 signing key pair. */
export const keygenCommand: Command = {
  name: "keygen",
  summary: "make an Ed25519 key pair for signing cartridges",
  help: `Usage: pxos keygen [-o NAME] [--force]

Writes NAME.key (PKCS#8 PEM private key, readable only by you) and NAME.pub (SPKI PEM public
key), and prints the public key's fingerprint. Give NAME.pub to the people who should trust your
cartridges; they check with: pxos verify --trust NAME.pub cart.pxa

Options:
  -o, --output NAME   base name of the key files (default: pxos-signing)
  --force             overwrite existing key files
  --json              print the file names and fingerprint as JSON

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("keygen", args, {
      output: { type: "string", short: "o" },
      force: { type: "boolean" },
      json: { type: "boolean" },
    });
    expectPositionals("keygen", positionals, []);
    const base = stringOption(values, "output") ?? "pxos-signing";
    const privatePath = `${base}.key`;
    const publicPath = `${base}.pub`;
    if (!values.force) {
      for (const path of [privatePath, publicPath]) {
        if (await Deno.lstat(path).then(() => true, () => false)) {
          throw new PxosError("E_IO", "key file exists; use --force to overwrite", { file: path });
        }
      }
    }
    const keys = await generateSigningKeys();
    await writeFileAtomic(privatePath, new TextEncoder().encode(keys.privateKeyPem));
    await Deno.chmod(privatePath, 0o600).catch(() => {}); // not supported on every platform
    await writeFileAtomic(publicPath, new TextEncoder().encode(keys.publicKeyPem));
    if (values.json) {
      io.out(
        `${
          JSON.stringify({
            privateKey: privatePath,
            publicKey: publicPath,
            fingerprint: keys.fingerprint,
          })
        }\n`,
      );
    } else {
      io.out(
        `wrote ${privatePath} (keep it secret) and ${publicPath}\nfingerprint ${keys.fingerprint}\n`,
      );
    }
    return 0;
  },
};
