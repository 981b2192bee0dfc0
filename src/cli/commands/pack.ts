/**
 * `pxos pack <dir> [-o out.pxa] [--label img.png] [--compile]`
 *
 * @module
 */
import { basename, resolve } from "../../paths.ts";
import { packCartridgeToFile } from "../../archive/pack_to_file.ts";
import { isPxiSource } from "../../pxi/names.ts";
import { isBareWasm, wasmCartFiles } from "../wasm_cart.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs, stringOption } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { formatBytes, progressLine } from "../io.ts";
import { readProject } from "../project.ts";

/** `pxos pack`: a directory with a `pxos.json` becomes a cartridge PNG. */
export const packCommand: Command = {
  name: "pack",
  summary: "pack a directory (with pxos.json), or a bare .wasm, into a cartridge image",
  help:
    `Usage: pxos pack <dir | cart.wasm> [-o out.pxa] [--label image.png] [--compile [--strip-source]] [--no-compress]

Packs the project under <dir> into a cartridge: a PNG image whose pixels carry the files.
<dir> must contain a valid pxos.json whose "entry" names one of its files (or, with --compile,
what one of its sources compiles to), run by a registered engine. A bare .wasm (a WASM-4
cartridge, say) is packed alone with a generated pxos.json that names it the entry. Every source file is compiled
as a check, so a syntax error is reported now (file:line:col), not at boot.

Left out: dot-entries (.git/, .env, .DS_Store), editor backups (*~, *.swp, *.swo, #*#, *.bak),
earlier outputs (*.pxa and the -o file) and render output (*.frames/); the gitignore-style
patterns of <dir>/.pxosignore (a !pattern line takes a default back); and, when pxos.json has a
"files" list of patterns, every file it does not match. pxos.json itself is always packed.

Options:
  -o, --output FILE   where to write the cartridge (default: <dir name>.pxa)
  --label FILE        a PNG shown beside the data (default: generated from the manifest)
  --compile           compile sources (e.g. .pxasm, .poh) to bytecode with their engines and
                      store the bytecode instead; the manifest entry follows (Python keeps
                      each .py beside its .pyc unless --strip-source is given)
  --strip-source      with --compile: leave only bytecode
  --no-compress       store files uncompressed

PXI Assembly (.pxs / .pxi.json) is stored as IR JSON together with its x86, boot-sector and
pxVM builds (built here when missing) and <stem>.pxi-builds.json listing each with its SHA-256;
booting the IR entry runs the stored pxVM build.
  -q, --quiet         print nothing on success
  --json              print the result as JSON, with what was skipped and why

Example:
  pxos pack examples/hello -o hello.pxa

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("pack", args, {
      output: { type: "string", short: "o" },
      label: { type: "string" },
      compile: { type: "boolean" },
      "strip-source": { type: "boolean" },
      "no-compress": { type: "boolean" },
      json: { type: "boolean" },
    });
    const [dir] = expectPositionals("pack", positionals, ["dir"]);
    const output = stringOption(values, "output") ?? `${basename(resolve(dir))}.pxa`;
    const labelPath = stringOption(values, "label");
    // Imported when needed: each brings modules that packing a project folder never uses (the
    // reading side comes with readInputFile), and module loading is a large part of a pack.
    const label = labelPath === undefined
      ? undefined
      : await (await import("../files.ts")).readInputFile(labelPath);
    const { files: collected, skipped } = isBareWasm(dir)
      ? { files: await wasmCartFiles(dir), skipped: [] }
      : await readProject(dir, {
        exclude: [output],
        compile: values.compile === true,
        stripSource: values["strip-source"] === true,
      });
    // PXI IR: its JSON form and every missing backend build
    const files = collected.some((f) => !f.directory && isPxiSource(f.path))
      ? await (await import("../../pxi/cartridge.ts")).addPxiBuilds(collected)
      : collected;
    const total = files.reduce((n, f) => n + (f.directory ? 0 : f.size ?? f.data.length), 0);
    const progress = progressLine(io, "packing", total > 4 * 1024 * 1024 ? total : 0);
    // The payload goes through a temporary file and the PNG is streamed: one member in memory at
    // a time, not the payload or the image (see packCartridgeToFile).
    const packed = await packCartridgeToFile(files, output, {
      label,
      compress: !values["no-compress"],
      onProgress: (done) => progress.update(done),
    });
    progress.done();
    const result = {
      output,
      name: packed.manifest.name,
      files: files.filter((f) => !f.directory).length,
      contentBytes: total,
      payloadBytes: packed.payloadBytes,
      imageBytes: packed.imageBytes,
      skipped,
    };
    if (values.json) {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
    } else if (values.quiet !== true) {
      io.out(
        `packed ${result.files} files (${formatBytes(total)}) into ${output} ` +
          `(${formatBytes(packed.imageBytes)} PNG)${
            skipped.length ? `; skipped ${skipped.length} (--json lists them)` : ""
          }\n`,
      );
    }
    return 0;
  },
};
