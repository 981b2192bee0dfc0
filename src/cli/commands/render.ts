/**
 * `pxos render`: renders a PXTERM scene file to a PNG (and optionally an APNG of its frames).
 *
 * @module
 */
import { basename, dirname, isAbsolute, join } from "../../paths.ts";
import { PxosError } from "../../errors.ts";
import { writeFileAtomic } from "../../gfx/frames_writer.ts";
import { encodeApng, encodeFramePng } from "../../gfx/png_frame.ts";
import { runPxterm } from "../../gfx/pxterm_run.ts";
import { renderCpu } from "../../gfx/render_cpu.ts";
import { createGfxSession, type RendererChoice } from "../../gfx/session.ts";
import {
  type Command,
  expectPositionals,
  integerOption,
  parseCommandArgs,
  stringOption,
} from "../command.ts";
import { EXIT, EXIT_CODES_HELP } from "../exit_codes.ts";

const HELP = `pxos render — render a PXTERM scene to PNG

Usage: pxos render <scene.pxterm> [-o <out.png>] [options]

Runs the PXTERM commands of the scene (see docs/GRAPHICS.md) and writes the final frame.
A bad line prints an error (file:line) and the rest still runs. SAVE paths are relative to
the scene file's folder. INFO and LAYERS print to standard output.

Options:
  -o, --output <file>     the PNG to write (default: the scene's name with .png, next to it)
  --renderer <name>       auto (WebGPU when an adapter exists, else CPU), cpu or webgpu
  --apng <file>           also write every frame (each PRESENT/SAVE and the final one) as an APNG
  --delay <ms>            APNG frame delay (default 100)
  --strict                exit 2 when any line had an error (the output is still written)

Examples:
  pxos render examples/scenes/desktop.pxterm -o desktop.png
  pxos render scene.pxterm -o out.png --renderer cpu --apng anim.png

${EXIT_CODES_HELP}`;

/** The `render` command. */
export const renderCommand: Command = {
  name: "render",
  summary: "render a PXTERM scene file to a PNG",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("render", args, {
      output: { type: "string", short: "o" },
      renderer: { type: "string" },
      apng: { type: "string" },
      delay: { type: "string" },
      strict: { type: "boolean" },
    });
    const [scenePath] = expectPositionals("render", positionals, ["scene.pxterm"]);
    const output = stringOption(values, "output") ?? besideInput(scenePath);
    const renderer = (stringOption(values, "renderer") ?? "auto") as RendererChoice;
    if (!["auto", "cpu", "webgpu"].includes(renderer)) {
      throw new PxosError(
        "E_USAGE",
        `pxos render: --renderer expects auto, cpu or webgpu, found ${JSON.stringify(renderer)}`,
      );
    }
    const apng = stringOption(values, "apng");
    const delay = integerOption("render", values, "delay") ?? 100;
    let text: string;
    try {
      text = await Deno.readTextFile(scenePath);
    } catch (e) {
      throw new PxosError("E_IO", `cannot read ${scenePath}: ${(e as Error).message}`, {
        file: scenePath,
      });
    }
    const session = await createGfxSession({ renderer, gpuGranted: true, keepFrames: !!apng });
    const base = dirname(scenePath);
    let result;
    let errors;
    try {
      errors = await runPxterm(text, {
        scene: session.scene,
        draw: (op) => session.sink.draw(op),
        present: () => session.sink.present(),
        async save(path) {
          const target = isAbsolute(path) ? path : join(base, path);
          await writeFileAtomic(target, await encodeFramePng(await session.render()));
          io.out(`saved ${target}\n`);
        },
        print: (t) => io.out(t),
        error: (t) => io.err(t),
      }, scenePath);
    } finally {
      result = await session.finish();
    }
    const final = result.lastFrame ?? renderCpu(session.scene.snapshot());
    await writeFileAtomic(output, await encodeFramePng(final));
    io.out(
      `wrote ${output} (${final.width}x${final.height}, ${session.renderer} renderer` +
        `${errors.length ? `, ${errors.length} bad line(s)` : ""})\n`,
    );
    if (apng) {
      const frames = result.frames.length ? result.frames : [final];
      await writeFileAtomic(apng, await encodeApng(frames, delay));
      io.out(`wrote ${apng} (${frames.length} frame(s))\n`);
    }
    return values.strict && errors.length ? EXIT.INVALID : EXIT.OK;
  },
};

/** `dir/scene.pxterm` → `dir/scene.png`: the default output sits next to its input. */
function besideInput(scenePath: string): string {
  const name = basename(scenePath).replace(/\.pxterm$/i, "");
  return join(dirname(scenePath), `${name}.png`);
}
