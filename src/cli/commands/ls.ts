/**
 * `pxos ls <cart>`
 *
 * @module
 */
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile } from "../files.ts";
import { escapeForTerminal } from "../../text_safety.ts";

/** `pxos ls`: lists a cartridge's files. */
export const lsCommand: Command = {
  name: "ls",
  summary: "list the files in a cartridge",
  help: `Usage: pxos ls <cart.pxa> [--json]

Lists the cartridge's files with their sizes (directories end in /).

Options:
  --json   print the list as JSON

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("ls", args, { json: { type: "boolean" } });
    const [cartPath] = expectPositionals("ls", positionals, ["cart"]);
    const cart = await openCartridgeFile(cartPath);
    if (values.json) {
      io.out(`${JSON.stringify(cart.archive.entries, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(1, ...cart.archive.entries.map((e) => String(e.size).length));
    for (const e of cart.archive.entries) {
      // Member names come from the cartridge: control characters are shown, not obeyed.
      const name = escapeForTerminal(e.path);
      io.out(`${String(e.size).padStart(width)}  ${name}${e.directory ? "/" : ""}\n`);
    }
    return 0;
  },
};
