/**
 * The WebGPU renderer: Deno's built-in `navigator.gpu`, one WGSL compute shader
 * (`webgpu_shader.ts`). Per visible layer it zeroes a layer buffer, runs one dispatch per paint
 * command (each invocation owns one pixel of that command, so there are no races; dispatches in
 * a pass are ordered), composites the layer onto the frame buffer, then writes the frame into an
 * offscreen `rgba8uint` texture and reads it back with `copyTextureToBuffer` (rows padded to 256
 * bytes). Validation and out-of-memory errors are caught with error scopes and an
 * `uncapturederror` listener and become `PxosError` `E_GPU`.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { FONT_5X7 } from "./font.ts";
import type { Frame } from "./render_cpu.ts";
import type { FrameScene, PaintCommand } from "./scene.ts";
import { GFX_WGSL, GPU_KIND, WORKGROUP } from "./webgpu_shader.ts";

/** Bytes between command records in the uniform buffer (the dynamic-offset alignment). */
const RECORD_STRIDE = 256;
/** Bytes of one command record. */
const RECORD_SIZE = 64;
/** Records per submission; bounds the uniform buffer at 1 MiB. */
const CHUNK = 4096;

/**
 * Requests the adapter. Mesa's window-system code prints "XDG_RUNTIME_DIR is invalid or not set"
 * on every request when that variable is missing (common under sudo, in containers and CI); a
 * user rendering frames should not see it, so a private folder is set up first when it is.
 */
async function requestAdapter(): Promise<GPUAdapter | null> {
  try {
    const dir = Deno.env.get("XDG_RUNTIME_DIR");
    if (!dir || !(await Deno.stat(dir).then((s) => s.isDirectory, () => false))) {
      Deno.env.set("XDG_RUNTIME_DIR", await Deno.makeTempDir({ prefix: "pxos-xdg-" }));
    }
  } catch {
    // No env or write permission: Mesa may complain, the adapter still works.
  }
  return await navigator.gpu.requestAdapter();
}

/** Whether this process can get a WebGPU adapter at all. */
export async function webGpuAdapterAvailable(): Promise<boolean> {
  try {
    return navigator.gpu ? (await requestAdapter()) != null : false;
  } catch {
    return false;
  }
}

function gpuError(message: string, cause?: unknown): PxosError {
  return new PxosError("E_GPU", message, { cause });
}

interface Sized {
  width: number;
  height: number;
  layer: GPUBuffer;
  frame: GPUBuffer;
  texture: GPUTexture;
  readback: GPUBuffer;
  paddedRow: number;
}

/**
 * Renders scenes with WebGPU, byte-identical to {@link renderCpu}.
 *
 * @example
 * ```ts ignore
 * import { rgba, Scene, WebGpuRenderer } from "@pxos/core";
 * const gpu = await WebGpuRenderer.create();
 * const scene = new Scene();
 * scene.apply({ op: "rect", x: 0, y: 0, w: 10, h: 10, color: rgba(255, 0, 0) });
 * const frame = await gpu.render(scene.snapshot());
 * gpu.destroy();
 * ```
 */
export class WebGpuRenderer {
  readonly #device: GPUDevice;
  readonly #pipeline: GPUComputePipeline;
  readonly #layout: GPUBindGroupLayout;
  readonly #uniforms: GPUBuffer;
  readonly #font: GPUBuffer;
  #sized: Sized | undefined;
  #uncaptured: GPUError | undefined;
  #lost: string | undefined;
  /** A description of the adapter, for messages and the benchmark record. */
  readonly adapterName: string;

  private constructor(device: GPUDevice, adapterName: string) {
    this.#device = device;
    this.adapterName = adapterName;
    device.addEventListener("uncapturederror", (event) => {
      this.#uncaptured ??= (event as GPUUncapturedErrorEvent).error;
    });
    device.lost.then((info) => (this.#lost = info.message || info.reason || "device lost"));
    this.#layout = device.createBindGroupLayout({
      entries: [
        {
          binding: 0,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: "uniform", hasDynamicOffset: true, minBindingSize: RECORD_SIZE },
        },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: "read-only-storage" } },
        { binding: 4, visibility: GPUShaderStage.COMPUTE, buffer: { type: "read-only-storage" } },
        {
          binding: 5,
          visibility: GPUShaderStage.COMPUTE,
          storageTexture: { access: "write-only", format: "rgba8uint" },
        },
      ],
    });
    const module = device.createShaderModule({ code: GFX_WGSL });
    this.#pipeline = device.createComputePipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [this.#layout] }),
      compute: { module, entryPoint: "main" },
    });
    this.#uniforms = device.createBuffer({
      size: CHUNK * RECORD_STRIDE,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const fontBytes = new Uint8Array(Math.ceil(FONT_5X7.length / 4) * 4);
    fontBytes.set(FONT_5X7);
    this.#font = device.createBuffer({
      size: fontBytes.length,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(this.#font, 0, fontBytes);
  }

  /** Opens the adapter and device; `E_GPU` when there is no adapter or it fails. */
  static async create(): Promise<WebGpuRenderer> {
    if (!("gpu" in navigator) || !navigator.gpu) {
      throw gpuError("WebGPU is not available in this runtime (navigator.gpu is missing)");
    }
    let adapter: GPUAdapter | null;
    try {
      adapter = await requestAdapter();
    } catch (e) {
      throw gpuError(`requesting a WebGPU adapter failed: ${(e as Error).message}`, e);
    }
    if (!adapter) throw gpuError("no WebGPU adapter found (use --renderer cpu)");
    const device = await adapter.requestDevice();
    device.pushErrorScope("validation");
    const renderer = new WebGpuRenderer(device, adapter.info?.description || "WebGPU adapter");
    const error = await device.popErrorScope();
    if (error) throw gpuError(`WebGPU setup failed: ${error.message}`);
    return renderer;
  }

  #ensureSize(width: number, height: number): Sized {
    if (this.#sized && this.#sized.width === width && this.#sized.height === height) {
      return this.#sized;
    }
    this.#destroySized();
    const d = this.#device;
    const bytes = width * height * 4;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const paddedRow = Math.ceil((width * 4) / 256) * 256;
    this.#sized = {
      width,
      height,
      paddedRow,
      layer: d.createBuffer({ size: bytes, usage: storage }),
      frame: d.createBuffer({ size: bytes, usage: storage }),
      texture: d.createTexture({
        size: { width, height },
        format: "rgba8uint",
        usage: GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.COPY_SRC,
      }),
      readback: d.createBuffer({
        size: paddedRow * height,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      }),
    };
    return this.#sized;
  }

  #destroySized(): void {
    if (!this.#sized) return;
    this.#sized.layer.destroy();
    this.#sized.frame.destroy();
    this.#sized.texture.destroy();
    this.#sized.readback.destroy();
    this.#sized = undefined;
  }

  /** Renders one scene; rejects with `E_GPU` on any GPU error. */
  async render(scene: FrameScene): Promise<Frame> {
    if (this.#lost) throw gpuError(`the WebGPU device was lost: ${this.#lost}`);
    const d = this.#device;
    d.pushErrorScope("out-of-memory");
    d.pushErrorScope("validation");
    let rgba: Uint8Array | undefined;
    let failure: unknown;
    try {
      rgba = await this.#render(scene);
    } catch (e) {
      failure = e;
    }
    const validation = await d.popErrorScope();
    const memory = await d.popErrorScope();
    const error = validation ?? memory ?? this.#uncaptured;
    this.#uncaptured = undefined;
    if (error) throw gpuError(`WebGPU error while rendering: ${error.message}`);
    if (failure) {
      if (failure instanceof PxosError) throw failure;
      throw gpuError(`WebGPU rendering failed: ${(failure as Error).message}`, failure);
    }
    return { width: scene.width, height: scene.height, rgba: rgba! };
  }

  async #render(scene: FrameScene): Promise<Uint8Array> {
    const { width, height } = scene;
    const d = this.#device;
    const sized = this.#ensureSize(width, height);
    const { records, glyphs } = buildRecords(scene);
    const glyphBuffer = d.createBuffer({
      size: Math.max(16, glyphs.byteLength),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    if (glyphs.byteLength > 0) d.queue.writeBuffer(glyphBuffer, 0, glyphs);
    const bindGroup = d.createBindGroup({
      layout: this.#layout,
      entries: [
        { binding: 0, resource: { buffer: this.#uniforms, size: RECORD_SIZE } },
        { binding: 1, resource: { buffer: sized.layer } },
        { binding: 2, resource: { buffer: sized.frame } },
        { binding: 3, resource: { buffer: glyphBuffer } },
        { binding: 4, resource: { buffer: this.#font } },
        { binding: 5, resource: sized.texture.createView() },
      ],
    });
    const total = records.length / 16;
    for (let start = 0; start < total; start += CHUNK) {
      const count = Math.min(CHUNK, total - start);
      const upload = new Uint32Array((RECORD_STRIDE / 4) * count);
      for (let k = 0; k < count; k++) {
        upload.set(records.subarray((start + k) * 16, (start + k + 1) * 16), k * 64);
      }
      d.queue.writeBuffer(this.#uniforms, 0, upload);
      const encoder = d.createCommandEncoder();
      if (start === 0) encoder.clearBuffer(sized.frame);
      const pass = encoder.beginComputePass();
      pass.setPipeline(this.#pipeline);
      for (let k = 0; k < count; k++) {
        const rec = records.subarray((start + k) * 16, (start + k + 1) * 16);
        pass.setBindGroup(0, bindGroup, [k * RECORD_STRIDE]);
        pass.dispatchWorkgroups(rec[3], Math.ceil(Math.ceil(rec[2] / WORKGROUP) / rec[3]));
      }
      pass.end();
      d.queue.submit([encoder.finish()]);
    }
    const encoder = d.createCommandEncoder();
    encoder.copyTextureToBuffer(
      { texture: sized.texture },
      { buffer: sized.readback, bytesPerRow: sized.paddedRow, rowsPerImage: height },
      { width, height },
    );
    d.queue.submit([encoder.finish()]);
    await sized.readback.mapAsync(GPUMapMode.READ);
    const padded = new Uint8Array(sized.readback.getMappedRange());
    const out = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      out.set(padded.subarray(y * sized.paddedRow, y * sized.paddedRow + width * 4), y * width * 4);
    }
    sized.readback.unmap();
    glyphBuffer.destroy();
    return out;
  }

  /** Releases GPU resources. */
  destroy(): void {
    this.#destroySized();
    this.#uniforms.destroy();
    this.#font.destroy();
    this.#device.destroy();
  }
}

/**
 * Turns a scene into uniform records (16 words each: kind, px, count, groupsX, width, height,
 * opacity, pad, a–h) and the concatenated text placements.
 */
function buildRecords(
  scene: FrameScene,
): { records: Uint32Array<ArrayBuffer>; glyphs: Int32Array<ArrayBuffer> } {
  const { width: W, height: H } = scene;
  const words: number[] = [];
  const glyphParts: Int32Array[] = [];
  let glyphCount = 0;
  const push = (kind: number, px: number, count: number, opacity: number, args: number[]) => {
    if (count <= 0) return;
    const groups = Math.ceil(count / WORKGROUP);
    const groupsX = Math.min(groups, 65535);
    words.push(kind, px >>> 0, count, groupsX, W, H, opacity, 0);
    for (let i = 0; i < 8; i++) words.push((args[i] ?? 0) >>> 0);
  };
  const paint = (cmd: PaintCommand) => {
    switch (cmd.kind) {
      case "clear":
        return push(GPU_KIND.set, cmd.px, W * H, 255, []);
      case "rect": {
        const cw = Math.min(cmd.x + cmd.w, W) - cmd.x;
        const ch = Math.min(cmd.y + cmd.h, H) - cmd.y;
        if (cw <= 0 || ch <= 0 || cmd.px >>> 24 === 0) return;
        return push(GPU_KIND.rect, cmd.px, cw * ch, 255, [cmd.x, cmd.y, cw, ch]);
      }
      case "line": {
        if (cmd.px >>> 24 === 0) return;
        const n = Math.max(Math.abs(cmd.x1 - cmd.x0), Math.abs(cmd.y1 - cmd.y0));
        return push(GPU_KIND.line, cmd.px, n + 1, 255, [cmd.x0, cmd.y0, cmd.x1, cmd.y1]);
      }
      case "text": {
        if (cmd.px >>> 24 === 0) return;
        const n = cmd.glyphs.length / 3;
        push(GPU_KIND.text, cmd.px, n * 35, 255, [glyphCount]);
        glyphParts.push(cmd.glyphs);
        glyphCount += n;
        return;
      }
      case "circle": {
        if (cmd.px >>> 24 === 0) return;
        const xa = Math.max(cmd.cx - cmd.r, 0);
        const xb = Math.min(cmd.cx + cmd.r, W - 1);
        const ya = Math.max(cmd.cy - cmd.r, 0);
        const yb = Math.min(cmd.cy + cmd.r, H - 1);
        if (xb < xa || yb < ya) return;
        const bw = xb - xa + 1;
        return push(GPU_KIND.circle, cmd.px, bw * (yb - ya + 1), 255, [
          cmd.cx,
          cmd.cy,
          cmd.r,
          cmd.filled ? 1 : 0,
          xa,
          ya,
          bw,
        ]);
      }
    }
  };
  for (const layer of scene.layers) {
    if (!layer.visible || layer.opacity === 0 || layer.commands.length === 0) continue;
    push(GPU_KIND.set, 0, W * H, 255, []);
    for (const cmd of layer.commands) paint(cmd);
    push(GPU_KIND.composite, 0, W * H, layer.opacity, []);
  }
  push(GPU_KIND.output, 0, W * H, 255, []);
  const glyphs = new Int32Array(glyphCount * 3);
  let at = 0;
  for (const part of glyphParts) {
    glyphs.set(part, at);
    at += part.length;
  }
  return { records: Uint32Array.from(words), glyphs };
}
