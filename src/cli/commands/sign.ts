/**
 * `pxos sign --key k.key cart.pxa [-o out.pxa]`
 *
 * @module
 */
import { writeFileAtomic } from "../../archive/directory.ts";
import { signCartridge } from "../../archive/sign_cartridge.ts";
import { keyFingerprint, rawPublicKeyFromPem } from "../../archive/signature.ts";
import { PxosError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { readInputFile } from "../files.ts";

/** `pxos sign`: signs a cartridge's archive digest with a private key. */
export const signCommand: Command = {
  name: "sign",
  summary: "sign a cartridge with an Ed25519 private key",
  help: `Usage: pxos sign --key KEY.key <cart.pxa> [-o out.pxa]

Signs the archive digest (which covers the manifest and every file's hash) and stores the
signature inside the cartridge's pixels. The image is re-encoded with the same label. Without
-o the cartridge is replaced (atomically).

Options:
  --key FILE          the private key from pxos keygen (required)
  -o, --output FILE   write the signed cartridge here instead of replacing the input

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("sign", args, {
      key: { type: "string" },
      output: { type: "string", short: "o" },
    });
    const [cartPath] = expectPositionals("sign", positionals, ["cart"]);
    const keyPath = stringOption(values, "key");
    if (keyPath === undefined) {
      throw new PxosError("E_USAGE", "pxos sign: --key KEY.key is required");
    }
    const pem = new TextDecoder().decode(await readInputFile(keyPath));
    const signed = await signCartridge(await readInputFile(cartPath), pem);
    const output = stringOption(values, "output") ?? cartPath;
    await writeFileAtomic(output, signed);
    io.out(`signed ${output} as ${await keyFingerprint(await rawPublicKeyFromPem(pem))}\n`);
    return 0;
  },
};
