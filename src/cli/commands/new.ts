/**
 * `pxos new <name> --template poh|pixelvm|pxvm|wasm-c`: scaffolds a project folder that `pxos
 * boot <name>` runs as it is. The templates are `../templates.ts`; one whose engine this build
 * lacks is refused with that reason.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "../../paths.ts";
import { lstatOrNull } from "../../archive/directory.ts";
import { validateManifest } from "../../archive/manifest.ts";
import { PxosError } from "../../errors.ts";
import { type Command, expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { availableTemplates, templateFiles, TEMPLATES } from "../templates.ts";

function help(): string {
  const list = availableTemplates().map((t) => `  ${t.id.padEnd(10)} ${t.summary} (${t.entry})`);
  return `Usage: pxos new <name> [--template ID]

Makes the folder <name> with a pxos.json, a program, a README and a .pxosignore; pxos boot
<name> runs it as it is. <name> may be a path; its last part names the project (lower-case
letters, digits, '.', '_', '-'). An existing folder is never touched.

Templates (--template, default ${availableTemplates()[0]?.id ?? "none"}):
${list.join("\n")}

Example:
  pxos new hello --template poh && pxos boot hello

${EXIT_CODES_HELP}`;
}

/** `pxos new`. */
export const newCommand: Command = {
  name: "new",
  summary: "scaffold a project folder from a template",
  get help() {
    return help();
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("new", args, {
      template: { type: "string", short: "t" },
    });
    const [target] = expectPositionals("new", positionals, ["name"]);
    const name = basename(resolve(target));
    try {
      validateManifest({ name, version: "0.1.0", entry: "main" });
    } catch (e) {
      // The folder's name becomes the manifest's: the manifest's rule, as a usage error.
      throw new PxosError("E_USAGE", `pxos new: project ${(e as Error).message}`);
    }
    const available = availableTemplates();
    const id = stringOption(values, "template") ?? available[0]?.id;
    const template = available.find((t) => t.id === id);
    if (template === undefined) {
      const known = TEMPLATES.find((t) => t.id === id);
      throw new PxosError(
        "E_USAGE",
        `pxos new: ${
          known
            ? `template ${id} needs an engine for ${known.entry}, which this build lacks`
            : `unknown template ${JSON.stringify(id)}`
        }; expected one of ${available.map((t) => t.id).join(", ")}`,
      );
    }
    if (await lstatOrNull(target) !== null) {
      throw new PxosError("E_IO", "already exists; pxos new only makes a new folder", {
        file: target,
      });
    }
    // Built beside the target and renamed into place, so a failure leaves no half project.
    const temp = join(dirname(resolve(target)), `.${crypto.randomUUID().slice(0, 8)}.pxos-new`);
    try {
      await Deno.mkdir(temp);
      for (const [path, content] of Object.entries(templateFiles(template, name))) {
        const data = typeof content === "string" ? new TextEncoder().encode(content) : content;
        await Deno.writeFile(join(temp, path), data);
      }
      await Deno.rename(temp, target);
    } catch (e) {
      await Deno.remove(temp, { recursive: true }).catch(() => {});
      throw new PxosError("E_IO", `could not create the project: ${(e as Error).message}`, {
        file: target,
        cause: e,
      });
    }
    if (values.quiet !== true) {
      io.out(`created ${target} (${template.id}); run it with: pxos boot ${target}\n`);
    }
    return 0;
  },
};
