/**
 * One-call frame output for `pxos run` / `pxos boot`: a graphics session whose presented frames
 * are written as numbered PNGs to a folder (and optionally as one APNG), or whose draw list is
 * recorded as PXTERM text. This is CLI-layer glue (it writes files); engines only see the sink.
 *
 * @module
 */
import { basename, dirname, extname, join } from "../paths.ts";
import { framesDirWriter, writeFileAtomic } from "./frames_writer.ts";
import { encodeApng } from "./png_frame.ts";
import { createGfxSession, type RendererChoice } from "./session.ts";
import type { GfxSink } from "../host/gfx_sink.ts";
import type { Scene } from "./scene.ts";
import type { Frame } from "./render_cpu.ts";

/** Options for {@link createFrameOutput}. */
export interface FrameOutputOptions {
  /** `--renderer`; default `auto`. */
  renderer?: RendererChoice;
  /** Whether the cartridge was granted `gpu` (auto uses WebGPU only then). */
  gpuGranted?: boolean;
  /** `--frames DIR`: where numbered frames go (see {@link defaultFramesDir}). */
  framesDir: string;
  /** `--apng FILE`: also write all frames as one animated PNG. */
  apng?: string;
  /** APNG frame delay in ms (default 100). */
  apngDelayMs?: number;
  /** `--pxterm`: record the draw list as PXTERM text instead of rendering. */
  pxterm?: boolean;
  /** Initial canvas size (e.g. from the manifest). */
  width?: number;
  /** Initial canvas height. */
  height?: number;
  /** Also called with each rendered frame (e.g. to digest it for `--frame-digests`). */
  onRendered?: (frame: Frame, index: number) => void | Promise<void>;
}

/** What {@link FrameOutput.finish} reports. */
export interface FrameOutputResult {
  /** Frames written. */
  frameCount: number;
  /** Path of the last frame written, if any (print it: "frame: …"). */
  lastFramePath?: string;
  /** The APNG path, when one was written. */
  apngPath?: string;
  /** The draw list as PXTERM when `pxterm` was set (print it to stdout). */
  pxterm?: string;
  /** The renderer used (`none` in PXTERM mode). */
  renderer: "cpu" | "webgpu" | "none";
}

/** A running frame output. */
export interface FrameOutput {
  /** Pass as `HostOptions.gfx`. */
  readonly sink: GfxSink;
  /** The scene being drawn (for `INFO`/`LAYERS`). */
  readonly scene: Scene;
  /** Call after the run (also after a failed run, to release the GPU and keep what was drawn). */
  finish(): Promise<FrameOutputResult>;
}

/**
 * The default frames folder for a program: next to it, named after it (`game.pxa` →
 * `game.frames/`).
 *
 * @example
 * ```ts
 * import { defaultFramesDir } from "@pxos/core";
 * console.log(defaultFramesDir("carts/game.pxa")); // "carts/game.frames"
 * ```
 */
export function defaultFramesDir(programPath: string): string {
  const base = basename(programPath);
  const name = base.slice(0, base.length - extname(base).length) || "pxos";
  return join(dirname(programPath), `${name}.frames`);
}

/**
 * Creates a frame output: a session that writes `framesDir/frame-0001.png`, … as frames are
 * presented (the folder is created on the first frame).
 *
 * @example
 * ```ts ignore
 * import { createFrameOutput, createHost, defaultFramesDir } from "@pxos/core";
 * const output = await createFrameOutput({ framesDir: defaultFramesDir("hello.pxvm") });
 * const host = createHost({ stdout: (t) => console.log(t), gfx: output.sink });
 * // … engine.run(program, host, limits) …
 * const { lastFramePath } = await output.finish();
 * ```
 */
export async function createFrameOutput(options: FrameOutputOptions): Promise<FrameOutput> {
  let writer: Awaited<ReturnType<typeof framesDirWriter>> | undefined;
  const session = await createGfxSession({
    renderer: options.renderer,
    gpuGranted: options.gpuGranted,
    pxterm: options.pxterm,
    width: options.width,
    height: options.height,
    keepFrames: options.apng !== undefined,
    async onFrame(frame, index) {
      writer ??= await framesDirWriter(options.framesDir);
      await writer.onFrame(frame, index);
      await options.onRendered?.(frame, index);
    },
  });
  return {
    sink: session.sink,
    scene: session.scene,
    async finish(): Promise<FrameOutputResult> {
      const result = await session.finish();
      let apngPath: string | undefined;
      if (options.apng !== undefined && result.frames.length > 0) {
        await writeFileAtomic(options.apng, await encodeApng(result.frames, options.apngDelayMs));
        apngPath = options.apng;
      }
      return {
        frameCount: result.frameCount,
        lastFramePath: writer?.paths.at(-1),
        apngPath,
        pxterm: result.pxterm,
        renderer: session.renderer,
      };
    },
  };
}
