/** Test scenes shared by the CPU/WebGPU equality and golden tests. */
import { rgba } from "../../src/gfx/color.ts";
import type { DrawOp } from "../../src/host/gfx_sink.ts";

/** Named draw lists. */
export const SCENES: Record<string, DrawOp[]> = {
  solid: [
    { op: "canvas", width: 64, height: 48 },
    { op: "clear", color: rgba(10, 200, 30) },
  ],
  "overlapping translucent layers": [
    { op: "canvas", width: 70, height: 50 },
    { op: "layerNew", name: "a", z: 0 },
    { op: "layerNew", name: "b", z: 1 },
    { op: "layerNew", name: "c", z: 1 },
    { op: "layerUse", name: "a" },
    { op: "clear", color: rgba(0, 0, 80, 200) },
    { op: "rect", x: 5, y: 5, w: 40, h: 30, color: rgba(255, 0, 0, 100) },
    { op: "rect", x: 15, y: 10, w: 40, h: 30, color: rgba(0, 255, 0, 77) },
    { op: "layerUse", name: "b" },
    { op: "rect", x: 20, y: 0, w: 30, h: 50, color: rgba(255, 255, 0, 130) },
    { op: "layerOpacity", name: "b", opacity: 90 },
    { op: "layerUse", name: "c" },
    { op: "rect", x: 0, y: 20, w: 70, h: 10, color: rgba(0, 200, 255, 255) },
    { op: "layerOpacity", name: "c", opacity: 170 },
  ],
  text: [
    { op: "canvas", width: 120, height: 40 },
    { op: "clear", color: rgba(0, 0, 40) },
    { op: "text", x: 2, y: 2, color: rgba(255, 255, 255), text: "Hello, pxOS! ~{}[]" },
    { op: "text", x: -3, y: 12, color: rgba(200, 200, 255, 150), text: "clipped\nsecond line é" },
    { op: "text", x: 100, y: 35, color: rgba(255, 0, 0, 200), text: "edge" },
  ],
  "clipped shapes": [
    { op: "canvas", width: 50, height: 40 },
    { op: "rect", x: -10, y: -10, w: 30, h: 25, color: rgba(255, 0, 255, 180) },
    { op: "rect", x: 40, y: 30, w: 100, h: 100, color: rgba(0, 255, 255) },
    { op: "line", x0: -20, y0: 5, x1: 70, y1: 33, color: rgba(255, 255, 255, 140) },
    { op: "line", x0: 49, y0: -5, x1: 3, y1: 60, color: rgba(255, 128, 0) },
    { op: "circle", cx: 45, cy: 5, r: 12, color: rgba(0, 0, 255, 120), filled: true },
    { op: "circle", cx: 5, cy: 35, r: 9, color: rgba(0, 255, 0), filled: false },
    { op: "hline", x: -5, y: 20, len: 100, color: rgba(10, 10, 10, 60) },
    { op: "vline", x: 25, y: -5, len: 100, color: rgba(10, 10, 10, 60) },
    { op: "pixel", x: 49, y: 39, color: rgba(255, 255, 255) },
    { op: "pixel", x: 50, y: 39, color: rgba(255, 255, 255) },
  ],
  "empty layers": [
    { op: "canvas", width: 30, height: 20 },
    { op: "layerNew", name: "empty1", z: 0 },
    { op: "layerNew", name: "full", z: 1 },
    { op: "layerNew", name: "empty2", z: 2 },
    { op: "layerUse", name: "full" },
    { op: "rect", x: 3, y: 3, w: 10, h: 10, color: rgba(9, 8, 7, 66) },
    { op: "layerUse", name: "empty2" },
    { op: "rect", x: 0, y: 0, w: 30, h: 20, color: rgba(9, 8, 7, 0) },
  ],
  "nothing at all": [{ op: "canvas", width: 5, height: 3 }],
};
