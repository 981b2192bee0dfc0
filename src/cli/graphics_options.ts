/**
 * The graphics switches shared by `pxos boot` and `pxos run` (`--frames`, `--renderer`, `--apng`,
 * `--pxterm`), and how their results are reported. The frame output (renderer, PNG writer) is
 * loaded when a run opens it, not with these options: `pxos boot`'s sandbox process parses them
 * before it starts its Worker, and the deciding side only prints their help.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { FrameOutput, FrameOutputResult } from "../gfx/frame_output.ts";
import { importLazily } from "../lazy_import.ts";
import type { RendererChoice } from "../gfx/session.ts";
import type { Frame } from "../gfx/render_cpu.ts";
import type { OptionSpec, ParsedArgs } from "./command.ts";
import { stringOption } from "./command.ts";
import type { CliIO } from "./io.ts";

/** Option specs to spread into a command's `parseCommandArgs` options. */
export const GRAPHICS_OPTIONS: OptionSpec = {
  frames: { type: "string" },
  renderer: { type: "string" },
  apng: { type: "string" },
  pxterm: { type: "boolean" },
};

/** The `--help` lines for {@link GRAPHICS_OPTIONS}. */
export const GRAPHICS_HELP = `Graphics (programs that draw):
  --frames DIR        where presented frames go (default: <program>.frames/ next to it);
                      a number instead (--frames 600) plays that many frames (see Play)
  --renderer R        auto | cpu | webgpu (auto: WebGPU when an adapter exists and gpu is granted)
  --apng FILE         also write all frames as one animated PNG
  --pxterm            print the draw list as PXTERM text instead of rendering`;

/** Opens the frame output the switches ask for. */
export async function openFrameOutput(
  command: string,
  values: ParsedArgs["values"],
  programPath: string,
  options: {
    gpuGranted?: boolean;
    canvas?: { width: number; height: number };
    onRendered?: (frame: Frame, index: number) => void | Promise<void>;
  } = {},
): Promise<FrameOutput> {
  const renderer = stringOption(values, "renderer") ?? "auto";
  if (!["auto", "cpu", "webgpu"].includes(renderer)) {
    throw new PxosError(
      "E_USAGE",
      `pxos ${command}: --renderer expects auto, cpu or webgpu, found ${JSON.stringify(renderer)}`,
    );
  }
  const { createFrameOutput, defaultFramesDir } = await importLazily<
    typeof import("../gfx/frame_output.ts")
  >(new URL("../gfx/frame_output.ts", import.meta.url));
  return await createFrameOutput({
    renderer: renderer as RendererChoice,
    gpuGranted: options.gpuGranted ?? false,
    framesDir: framesDirOption(values) ?? defaultFramesDir(programPath),
    apng: stringOption(values, "apng"),
    pxterm: values.pxterm === true,
    width: options.canvas?.width,
    height: options.canvas?.height,
    onRendered: options.onRendered,
  });
}

/** `--frames DIR`; a value of digits only is a frame count (`--frames 600`), not a folder. */
export function framesDirOption(values: ParsedArgs["values"]): string | undefined {
  const given = stringOption(values, "frames");
  return given === undefined || /^\d+$/.test(given) ? undefined : given;
}

/** Prints where the frames went (stderr), or the PXTERM text (stdout). */
export function reportFrames(io: CliIO, result: FrameOutputResult): void {
  if (result.pxterm !== undefined) {
    io.out(result.pxterm);
    return;
  }
  if (result.lastFramePath) {
    io.err(
      `frame: ${result.lastFramePath} (${result.frameCount} frame${
        result.frameCount === 1 ? "" : "s"
      }, ${result.renderer})\n`,
    );
  }
  if (result.apngPath) io.err(`apng: ${result.apngPath}\n`);
}
