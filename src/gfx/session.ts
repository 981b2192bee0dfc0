/**
 * A graphics session: the {@link GfxSink} a run's host draws into, the renderer that turns
 * presented frames into pixels, and optionally a recorder that keeps the draw list as PXTERM.
 * Embedders (e.g. `pxos run`/`boot`) create one, pass `session.sink` as `HostOptions.gfx`, and
 * call `finish()` after the run.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { DrawOp, GfxSink } from "../host/gfx_sink.ts";
import type { PxtermCommand } from "./pxterm.ts";
import { type Frame, renderCpu } from "./render_cpu.ts";
import type { WebGpuRenderer } from "./render_webgpu.ts";
import { Scene } from "./scene.ts";

/** Which renderer to use. `auto`: WebGPU when an adapter exists and `gpu` is granted. */
export type RendererChoice = "auto" | "cpu" | "webgpu";

/** Options for {@link createGfxSession}. */
export interface GfxSessionOptions {
  /** Renderer choice; default `auto`. */
  renderer?: RendererChoice;
  /** Whether the `gpu` permission is granted (needed for WebGPU under `auto`); default false. */
  gpuGranted?: boolean;
  /** Initial canvas size (e.g. from the manifest); default 800×600. */
  width?: number;
  /** Initial canvas height. */
  height?: number;
  /** Record the draw list as PXTERM instead of rendering (`--pxterm`). */
  pxterm?: boolean;
  /** Called with each rendered frame (0-based index), e.g. to write it to a frames folder. */
  onFrame?: (frame: Frame, index: number) => void | Promise<void>;
  /** Keep every rendered frame in memory (for APNG output). */
  keepFrames?: boolean;
  /** Most frames rendered before `E_MEMORY` (a guest presenting in a loop); default 10000. */
  maxFrames?: number;
}

/** What a session produced. */
export interface GfxSessionResult {
  /** Frames rendered (presented ones, plus a final one when drawing followed the last present). */
  frameCount: number;
  /** The last rendered frame, if any. */
  lastFrame?: Frame;
  /** All frames when `keepFrames` was set. */
  frames: Frame[];
  /** The recorded draw list as PXTERM text when `pxterm` was set. */
  pxterm?: string;
}

/** A live graphics session. */
export interface GfxSession {
  /** Pass as `HostOptions.gfx`. */
  readonly sink: GfxSink;
  /** The scene being drawn. */
  readonly scene: Scene;
  /** The renderer in use (`none` when recording PXTERM). */
  readonly renderer: "cpu" | "webgpu" | "none";
  /** Renders the current scene now (without counting a frame). */
  render(): Promise<Frame>;
  /**
   * Ends the session: renders a final frame if anything was drawn since the last present (or
   * nothing was presented yet and something was drawn), releases the GPU, returns the results.
   */
  finish(): Promise<GfxSessionResult>;
}

/**
 * Creates a graphics session.
 *
 * @example
 * ```ts
 * import { assemblePxvm, createGfxSession, createHost } from "@pxos/core";
 * import { DEFAULT_LIMITS, pxvmEngine } from "@pxos/core";
 * const session = await createGfxSession({ renderer: "cpu", width: 64, height: 48 });
 * const host = createHost({ stdout: () => {}, gfx: session.sink });
 * const src = "IMM8 R1, 3\nSYSCALL LAYER_USE_ID\nSYSCALL PRESENT\nHALT\n";
 * const program = pxvmEngine.load(assemblePxvm(src), { path: "x.pxvm" });
 * await pxvmEngine.run(program, host, DEFAULT_LIMITS);
 * const result = await session.finish();
 * console.log(result.frameCount); // 1
 * ```
 */
export async function createGfxSession(options: GfxSessionOptions = {}): Promise<GfxSession> {
  const scene = new Scene();
  if (options.width !== undefined || options.height !== undefined) {
    scene.apply({ op: "canvas", width: options.width ?? 800, height: options.height ?? 600 });
  }
  const recorded: PxtermCommand[] = [];
  const frames: Frame[] = [];
  const maxFrames = options.maxFrames ?? 10_000;
  let gpu: WebGpuRenderer | undefined;
  const choice = options.renderer ?? "auto";
  // The WebGPU renderer and the PXTERM writer are loaded only by runs that use them.
  const webgpu = () => import("./render_webgpu.ts");
  const pxterm = options.pxterm ? await import("./pxterm.ts") : undefined;
  if (!options.pxterm) {
    if (choice === "webgpu") {
      gpu = await (await webgpu()).WebGpuRenderer.create();
    } else if (
      choice === "auto" && options.gpuGranted && await (await webgpu()).webGpuAdapterAvailable()
    ) {
      // auto never fails for want of a GPU: a device that cannot start means the CPU renderer.
      gpu = await (await webgpu()).WebGpuRenderer.create().catch(() => undefined);
    } else if (choice !== "auto" && choice !== "cpu") {
      throw new PxosError("E_USAGE", `expected renderer auto, cpu or webgpu, found ${choice}`);
    }
  }
  let frameCount = 0;
  let lastFrame: Frame | undefined;
  let dirty = false;

  const render = (): Promise<Frame> =>
    gpu ? gpu.render(scene.snapshot()) : Promise.resolve(renderCpu(scene.snapshot()));

  const present = async (): Promise<void> => {
    if (options.pxterm) {
      recorded.push({ op: "present" });
      dirty = false;
      return;
    }
    if (frameCount >= maxFrames) {
      throw new PxosError("E_MEMORY", `too many frames presented (at most ${maxFrames})`);
    }
    const frame = await render();
    const index = frameCount++;
    lastFrame = frame;
    dirty = false;
    if (options.keepFrames) frames.push(frame);
    await options.onFrame?.(frame, index);
  };

  const sink: GfxSink = {
    draw(op: DrawOp): void {
      scene.apply(op);
      if (options.pxterm) recorded.push(op);
      dirty = true;
    },
    present,
  };

  return {
    sink,
    scene,
    renderer: options.pxterm ? "none" : gpu ? "webgpu" : "cpu",
    render,
    async finish(): Promise<GfxSessionResult> {
      try {
        if (!options.pxterm && dirty) await present();
      } finally {
        gpu?.destroy();
        gpu = undefined;
      }
      return {
        frameCount,
        lastFrame,
        frames,
        pxterm: pxterm ? pxterm.writePxterm(recorded) : undefined,
      };
    },
  };
}
