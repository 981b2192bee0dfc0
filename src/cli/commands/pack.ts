/**
 * `pxos pack <dir> [-o out.pxa] [--label img.png] [--compile]`
 *
 * @module
 */
import { basename, resolve } from "node:path";
import { packCartridge } from "../../archive/cartridge.ts";
import { collectDirectory, writeFileAtomic } from "../../archive/directory.ts";
import { compileSources } from "../../boot/compile_sources.ts";
import { addPxiBuilds } from "../../pxi/cartridge.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { readInputFile } from "../files.ts";
import { formatBytes, progressLine } from "../io.ts";

/** `pxos pack`: a directory with a `pxos.json` becomes a cartridge PNG. */
export const packCommand: Command = {
  name: "pack",
  summary: "pack a directory (with pxos.json) into a cartridge image",
  help: `Usage: pxos pack <dir> [-o out.pxa] [--label image.png] [--compile] [--no-compress]

Packs every file under <dir> into a cartridge: a PNG image whose pixels carry the files.
<dir> must contain a valid pxos.json whose "entry" names one of its files.

Options:
  -o, --output FILE   where to write the cartridge (default: <dir name>.pxa)
  --label FILE        a PNG shown beside the data (default: generated from the manifest)
  --compile           compile sources (e.g. .pxasm, .poh) to bytecode with their engines and
                      store the bytecode instead; the manifest entry follows
  --no-compress       store files uncompressed

PXI Assembly (.pxs / .pxi.json) is stored as IR JSON together with its x86, boot-sector and
pxVM builds (built here when missing) and <stem>.pxi-builds.json listing each with its SHA-256;
booting the IR entry runs the stored pxVM build.
  -q, --quiet         no progress output
  --json              print the result as JSON

Example:
  pxos pack examples/hello -o hello.pxa

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("pack", args, {
      output: { type: "string", short: "o" },
      label: { type: "string" },
      compile: { type: "boolean" },
      "no-compress": { type: "boolean" },
      json: { type: "boolean" },
    });
    const [dir] = expectPositionals("pack", positionals, ["dir"]);
    const output = stringOption(values, "output") ?? `${basename(resolve(dir))}.pxa`;
    const labelPath = stringOption(values, "label");
    const label = labelPath === undefined ? undefined : await readInputFile(labelPath);
    let files = await collectDirectory(dir);
    if (values.compile) files = compileSources(files);
    files = await addPxiBuilds(files); // PXI IR: its JSON form and every missing backend build
    const total = files.reduce((n, f) => n + (f.directory ? 0 : f.size ?? f.data.length), 0);
    const progress = progressLine(io, "packing", total > 4 * 1024 * 1024 ? total : 0);
    const packed = await packCartridge(files, {
      label,
      compress: !values["no-compress"],
      onProgress: (done) => progress.update(done),
    });
    progress.done();
    await writeFileAtomic(output, packed.png);
    const result = {
      output,
      name: packed.manifest.name,
      files: files.filter((f) => !f.directory).length,
      contentBytes: total,
      payloadBytes: packed.payloadBytes,
      imageBytes: packed.png.length,
    };
    if (values.json) {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      io.out(
        `packed ${result.files} files (${formatBytes(total)}) into ${output} ` +
          `(${formatBytes(packed.png.length)} PNG)\n`,
      );
    }
    return 0;
  },
};
