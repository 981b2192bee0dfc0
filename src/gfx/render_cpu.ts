/**
 * The CPU renderer: the reference. Each visible layer is painted into a transparent buffer,
 * command by command, then composited source-over (with its opacity) onto the frame, back to
 * front. Every command touches each pixel at most once, so the order inside a command does not
 * matter — which is what lets the GPU paint a command's pixels in parallel and agree.
 *
 * Coverage rules (shared with the WebGPU shaders):
 * - rect: the clipped integer rectangle; pixel = 1×1 rect; clear = every pixel, *set* not blended.
 * - line: n = max(|dx|, |dy|); for i in 0..n the pixel (x0 + R(i·dx, n), y0 + R(i·dy, n)),
 *   R(p, n) = ⌊(2p + n) / 2n⌋ (nearest, halves up); n = 0 is one pixel.
 * - circle: filled is dx² + dy² ≤ r² + r; outline is filled(r) and not filled(r − 1).
 * - text: the set bits of each 5×7 glyph placed by `layoutText`.
 *
 * @module
 */
import { blendOver, withOpacity } from "./color.ts";
import { FONT_5X7, GLYPH_HEIGHT, GLYPH_WIDTH } from "./font.ts";
import type { FrameScene, PaintCommand } from "./scene.ts";

/** A rendered frame: RGBA8 bytes, row-major, no padding. */
export interface Frame {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** `width * height * 4` bytes, RGBA. */
  readonly rgba: Uint8Array;
}

/** Nearest-integer division used by line coverage: ⌊(2p + n) / 2n⌋ for n > 0. */
export function roundDiv(p: number, n: number): number {
  return Math.floor((2 * p + n) / (2 * n));
}

/** Blends `px` at index `i` of `buf`. */
function plot(buf: Uint32Array, i: number, px: number): void {
  buf[i] = blendOver(buf[i], px);
}

/** Paints one command into a layer buffer of `w × h`. */
export function paintCommand(buf: Uint32Array, w: number, h: number, cmd: PaintCommand): void {
  const px = cmd.px;
  const alpha = px >>> 24;
  switch (cmd.kind) {
    case "clear":
      buf.fill(px);
      return;
    case "rect": {
      if (alpha === 0) return;
      const x0 = cmd.x;
      const x1 = Math.min(cmd.x + cmd.w, w);
      const y1 = Math.min(cmd.y + cmd.h, h);
      if (x1 <= x0) return;
      for (let y = cmd.y; y < y1; y++) {
        const row = y * w;
        if (alpha === 255) {
          buf.fill(px, row + x0, row + x1);
          continue;
        }
        // Runs of equal destination pixels blend to equal results: compute once per run.
        let lastDst = -1;
        let lastOut = 0;
        for (let i = row + x0; i < row + x1; i++) {
          const d = buf[i];
          if (d !== lastDst) {
            lastDst = d;
            lastOut = blendOver(d, px);
          }
          buf[i] = lastOut;
        }
      }
      return;
    }
    case "line": {
      if (alpha === 0) return;
      const dx = cmd.x1 - cmd.x0;
      const dy = cmd.y1 - cmd.y0;
      const n = Math.max(Math.abs(dx), Math.abs(dy));
      for (let i = 0; i <= n; i++) {
        const x = n === 0 ? cmd.x0 : cmd.x0 + roundDiv(i * dx, n);
        const y = n === 0 ? cmd.y0 : cmd.y0 + roundDiv(i * dy, n);
        if (x >= 0 && x < w && y >= 0 && y < h) plot(buf, y * w + x, px);
      }
      return;
    }
    case "text": {
      if (alpha === 0) return;
      const g = cmd.glyphs;
      for (let k = 0; k < g.length; k += 3) {
        const gx = g[k];
        const gy = g[k + 1];
        const base = g[k + 2] * GLYPH_WIDTH;
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          const x = gx + col;
          if (x < 0 || x >= w) continue;
          const bits = FONT_5X7[base + col];
          for (let row = 0; row < GLYPH_HEIGHT; row++) {
            const y = gy + row;
            if ((bits >> row) & 1 && y >= 0 && y < h) plot(buf, y * w + x, px);
          }
        }
      }
      return;
    }
    case "circle": {
      if (alpha === 0) return;
      const { cx, cy, r } = cmd;
      const outer = r * r + r;
      const inner = r >= 1 ? (r - 1) * (r - 1) + (r - 1) : -1;
      const ya = Math.max(cy - r, 0);
      const yb = Math.min(cy + r, h - 1);
      const xa = Math.max(cx - r, 0);
      const xb = Math.min(cx + r, w - 1);
      for (let y = ya; y <= yb; y++) {
        const dy2 = (y - cy) * (y - cy);
        for (let x = xa; x <= xb; x++) {
          const d = (x - cx) * (x - cx) + dy2;
          if (d <= outer && (cmd.filled || d > inner)) plot(buf, y * w + x, px);
        }
      }
      return;
    }
  }
}

/** Composites `layer` (with `opacity`) onto `frame`, source-over. */
export function compositeLayer(frame: Uint32Array, layer: Uint32Array, opacity: number): void {
  for (let i = 0; i < frame.length; i++) {
    const src = layer[i];
    if (src === 0) continue;
    frame[i] = blendOver(frame[i], withOpacity(src, opacity));
  }
}

/**
 * Renders a scene on the CPU.
 *
 * @example
 * ```ts
 * import { renderCpu, rgba, Scene } from "@pxos/core";
 * const scene = new Scene();
 * scene.apply({ op: "canvas", width: 4, height: 4 });
 * scene.apply({ op: "clear", color: rgba(0, 0, 255) });
 * const frame = renderCpu(scene.snapshot());
 * console.log(frame.rgba.slice(0, 4)); // Uint8Array [0, 0, 255, 255]
 * ```
 */
export function renderCpu(scene: FrameScene): Frame {
  const { width: w, height: h } = scene;
  const frame = new Uint32Array(w * h);
  const layerBuf = new Uint32Array(w * h);
  let frameEmpty = true;
  for (const layer of scene.layers) {
    if (!layer.visible || layer.opacity === 0 || layer.commands.length === 0) continue;
    layerBuf.fill(0);
    for (const cmd of layer.commands) paintCommand(layerBuf, w, h, cmd);
    if (frameEmpty && layer.opacity === 255) {
      // Source-over onto transparent black returns the source exactly (see color.ts).
      frame.set(layerBuf);
    } else {
      compositeLayer(frame, layerBuf, layer.opacity);
    }
    frameEmpty = false;
  }
  return { width: w, height: h, rgba: new Uint8Array(frame.buffer) };
}
