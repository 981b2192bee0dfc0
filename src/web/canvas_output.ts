/**
 * Where the web player's frames go: a WebGPU canvas when the browser has an adapter (the scene
 * is rendered by pxOS's WebGPU renderer, `src/gfx/render_webgpu.ts`, and the frame is written to
 * the canvas's current texture), a 2D canvas otherwise (the CPU renderer's frame through
 * `putImageData`). A canvas keeps the first kind of context it was asked for, so the choice is
 * made once, before the first frame.
 *
 * @module
 */
/// <reference lib="dom" />
import { createGfxSession, type GfxSession, type GfxSessionOptions } from "../gfx/session.ts";
import type { Frame } from "../gfx/render_cpu.ts";

/** What the page asked for: `auto` (WebGPU when available), `webgpu` or `cpu`. */
export type CanvasChoice = "auto" | "webgpu" | "cpu";

/** A graphics session drawing onto a page's canvas. */
export interface CanvasOutput {
  /** The session (its sink is the host's `gfx`). */
  session: GfxSession;
  /** `webgpu` or `2d`: the canvas context in use. */
  kind: "webgpu" | "2d";
  /** A line for the page: which renderer draws, and why not WebGPU when it does not. */
  label: string;
  /** The canvas's pixels now, RGBA (for WebGPU: the frame last written to its texture). */
  pixels(): Uint8Array;
}

/**
 * Why WebGPU is not used here, or null when an adapter answers. Under `auto` a software fallback
 * adapter (e.g. SwiftShader) is passed over: it renders a frame far slower than the CPU renderer.
 */
async function webGpuMissing(choice: CanvasChoice): Promise<string | null> {
  if (!("gpu" in navigator) || !navigator.gpu) return "this browser has no navigator.gpu";
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return "the browser offers no WebGPU adapter";
    const fallback = (adapter.info as { isFallbackAdapter?: boolean } | undefined)
      ?.isFallbackAdapter;
    if (choice === "auto" && fallback) {
      return "the only WebGPU adapter is a software fallback, slower than the CPU renderer";
    }
    return null;
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${(e as Error).message}`;
  }
}

/**
 * Opens the canvas's WebGPU context on a device of its own (the renderer's device is destroyed
 * when the session finishes, which would drop the last frame before the page shows it); null
 * when there is none.
 */
async function webGpuCanvas(canvas: HTMLCanvasElement) {
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter?.requestDevice();
  // The DOM library knows no "webgpu" context id; the object is a GPUCanvasContext.
  const context = canvas.getContext("webgpu" as "2d") as unknown as GPUCanvasContext | null;
  if (!device || !context) return null;
  const name = adapter?.info?.description || adapter?.info?.vendor || "adapter";
  let size = "";
  let shown: Uint8Array = new Uint8Array(0);
  return {
    name,
    /** The last frame written to the canvas's texture. */
    shown: () => shown,
    show(frame: Frame): void {
      shown = frame.rgba;
      if (size !== `${frame.width}x${frame.height}`) {
        canvas.width = frame.width;
        canvas.height = frame.height;
        // rgba8unorm holds the frame's bytes as they are; opaque: no blending with the page.
        context.configure({
          device,
          format: "rgba8unorm",
          alphaMode: "opaque",
          usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_DST,
        });
        size = `${frame.width}x${frame.height}`;
      }
      device.queue.writeTexture(
        { texture: context.getCurrentTexture() },
        frame.rgba as Uint8Array<ArrayBuffer>,
        { bytesPerRow: frame.width * 4, rowsPerImage: frame.height },
        { width: frame.width, height: frame.height },
      );
    },
  };
}

/**
 * Creates the session and its canvas output: WebGPU (renderer and canvas) when `choice` allows
 * and the browser has an adapter (under `auto`: a hardware one), else the CPU renderer and a 2D
 * canvas.
 *
 * @example
 * ```ts ignore
 * const out = await createCanvasOutput(canvas, "auto", { width: 160, height: 160 });
 * label.textContent = out.label;
 * ```
 */
export async function createCanvasOutput(
  canvas: HTMLCanvasElement,
  choice: CanvasChoice,
  options: Pick<GfxSessionOptions, "width" | "height">,
): Promise<CanvasOutput> {
  let why = choice === "cpu" ? "the page asked for the CPU renderer" : await webGpuMissing(choice);
  if (why === null) {
    let session: GfxSession | undefined;
    try {
      // The renderer first: when it cannot start, the canvas is still free for a 2D context.
      let gpu: Awaited<ReturnType<typeof webGpuCanvas>> = null;
      session = await createGfxSession({
        ...options,
        renderer: "webgpu",
        onFrame: (frame) => gpu?.show(frame),
      });
      gpu = await webGpuCanvas(canvas);
      if (gpu) {
        return {
          session,
          kind: "webgpu",
          label: `WebGPU (${gpu.name})`,
          // Headless Chromium reads a WebGPU canvas back as zeros (drawImage, or a copy of its
          // texture), though it shows the frame: report what was written to the texture (the
          // browser test compares a screenshot of the canvas with it).
          pixels: () => gpu!.shown(),
        };
      }
      why = "the canvas has no WebGPU context";
    } catch (e) {
      why = `WebGPU failed: ${(e as Error).message}`;
    }
    await session?.finish().catch(() => {});
    if (choice === "webgpu") throw new Error(why);
  } else if (choice === "webgpu") {
    throw new Error(`WebGPU was asked for, but ${why}`);
  }
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error(`no 2D canvas either (${why})`);
  const session = await createGfxSession({
    ...options,
    renderer: "cpu",
    onFrame(frame) {
      canvas.width = frame.width;
      canvas.height = frame.height;
      const pixels = new Uint8ClampedArray(frame.rgba);
      context.putImageData(new ImageData(pixels, frame.width, frame.height), 0, 0);
    },
  });
  return {
    session,
    kind: "2d",
    label: `2D canvas, CPU renderer (${why})`,
    pixels: () => new Uint8Array(context.getImageData(0, 0, canvas.width, canvas.height).data),
  };
}
