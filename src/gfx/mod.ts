/**
 * Graphics: the scene and its layers, the shared blending arithmetic, the built-in font, the
 * CPU (reference) and WebGPU renderers, PXTERM v1, PNG/APNG frames and graphics sessions.
 *
 * @module
 */
export { blendOver, colorToPixel, rgba, withOpacity } from "./color.ts";
export { CELL_HEIGHT, CELL_WIDTH, FONT_5X7, layoutText } from "./font.ts";
export {
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  type FrameScene,
  type Layer,
  MAX_CANVAS,
  type PaintCommand,
  Scene,
} from "./scene.ts";
export { type Frame, renderCpu } from "./render_cpu.ts";
export { webGpuAdapterAvailable, WebGpuRenderer } from "./render_webgpu.ts";
export {
  formatPxtermCommand,
  parsePxterm,
  type PxtermCommand,
  type PxtermError,
  type PxtermLine,
  type PxtermParse,
  writePxterm,
} from "./pxterm.ts";
export { type PxtermTarget, runPxterm, sceneInfo, sceneLayers } from "./pxterm_run.ts";
export { encodeApng, encodeFramePng } from "./png_frame.ts";
export {
  createGfxSession,
  type GfxSession,
  type GfxSessionOptions,
  type GfxSessionResult,
  type RendererChoice,
} from "./session.ts";
export { frameFileName, type FramesDirWriter, framesDirWriter } from "./frames_writer.ts";
export {
  createFrameOutput,
  defaultFramesDir,
  type FrameOutput,
  type FrameOutputOptions,
  type FrameOutputResult,
} from "./frame_output.ts";
