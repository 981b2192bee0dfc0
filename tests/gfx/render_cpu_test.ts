import { assertEquals } from "../assert.ts";
import { rgba } from "../../src/gfx/color.ts";
import { renderCpu } from "../../src/gfx/render_cpu.ts";
import { Scene } from "../../src/gfx/scene.ts";
import type { DrawOp } from "../../src/host/gfx_sink.ts";

function render(ops: DrawOp[], w = 8, h = 8) {
  const s = new Scene();
  s.apply({ op: "canvas", width: w, height: h });
  for (const op of ops) s.apply(op);
  const f = renderCpu(s.snapshot());
  return (x: number, y: number) =>
    Array.from(f.rgba.subarray((y * w + x) * 4, (y * w + x) * 4 + 4));
}

/** Which pixels of a w×h frame are non-transparent, as rows of '#' and '.'. */
function mask(ops: DrawOp[], w: number, h: number): string[] {
  const at = render(ops, w, h);
  return Array.from(
    { length: h },
    (_, y) => Array.from({ length: w }, (_, x) => (at(x, y)[3] ? "#" : ".")).join(""),
  );
}

Deno.test("compositing order follows z, not creation order", () => {
  const at = render([
    { op: "layerNew", name: "top", z: 2 },
    { op: "layerNew", name: "bottom", z: 1 },
    { op: "layerUse", name: "top" },
    { op: "rect", x: 0, y: 0, w: 4, h: 4, color: rgba(255, 0, 0) },
    { op: "layerUse", name: "bottom" },
    { op: "rect", x: 2, y: 2, w: 4, h: 4, color: rgba(0, 0, 255) },
  ]);
  assertEquals(at(3, 3), [255, 0, 0, 255]);
  assertEquals(at(5, 5), [0, 0, 255, 255]);
  assertEquals(at(7, 7), [0, 0, 0, 0]);
});

Deno.test("layer opacity and visibility", () => {
  const at = render([
    { op: "layerNew", name: "bg", z: 0 },
    { op: "layerNew", name: "fg", z: 1 },
    { op: "layerNew", name: "hidden", z: 2 },
    { op: "layerUse", name: "bg" },
    { op: "clear", color: rgba(0, 0, 0) },
    { op: "layerUse", name: "fg" },
    { op: "clear", color: rgba(255, 255, 255) },
    { op: "layerOpacity", name: "fg", opacity: 128 },
    { op: "layerUse", name: "hidden" },
    { op: "clear", color: rgba(0, 255, 0) },
    { op: "layerVisible", name: "hidden", visible: false },
  ]);
  assertEquals(at(4, 4), [128, 128, 128, 255]);
});

Deno.test("translucent draws blend within a layer in draw order", () => {
  const at = render([
    { op: "rect", x: 0, y: 0, w: 8, h: 8, color: rgba(0, 0, 255, 128) },
    { op: "rect", x: 0, y: 0, w: 8, h: 8, color: rgba(255, 0, 0, 128) },
  ]);
  assertEquals(at(0, 0), [170, 0, 85, 192]);
});

Deno.test("clipping: shapes partly off the canvas draw their visible part only", () => {
  assertEquals(mask([{ op: "rect", x: -2, y: 3, w: 4, h: 9, color: rgba(9, 9, 9) }], 4, 5), [
    "....",
    "....",
    "....",
    "##..",
    "##..",
  ]);
});

Deno.test("line coverage: nearest pixel per step, both ends included", () => {
  assertEquals(mask([{ op: "line", x0: 0, y0: 0, x1: 5, y1: 2, color: rgba(1, 1, 1) }], 6, 3), [
    "##....",
    "..##..",
    "....##",
  ]);
  assertEquals(
    mask([{ op: "line", x0: 2, y0: 2, x1: 2, y1: 2, color: rgba(1, 1, 1) }], 4, 4)[2],
    "..#.",
  );
});

Deno.test("circle coverage: filled and outline", () => {
  const c = (filled: boolean) => ({
    op: "circle" as const,
    cx: 3,
    cy: 3,
    r: 2,
    color: rgba(1, 1, 1),
    filled,
  });
  assertEquals(mask([c(true)], 7, 7), [
    ".......",
    "..###..",
    ".#####.",
    ".#####.",
    ".#####.",
    "..###..",
    ".......",
  ]);
  assertEquals(mask([c(false)], 7, 7)[3], ".#...#.");
});

Deno.test("text draws 5×7 glyphs in 6×8 cells; unknown characters draw '?'", () => {
  const a = mask([{ op: "text", x: 0, y: 0, color: rgba(1, 1, 1), text: "I" }], 6, 8);
  assertEquals(a, [".###..", "..#...", "..#...", "..#...", "..#...", "..#...", ".###..", "......"]);
  const q = mask([{ op: "text", x: 0, y: 0, color: rgba(1, 1, 1), text: "?" }], 6, 8);
  assertEquals(mask([{ op: "text", x: 0, y: 0, color: rgba(1, 1, 1), text: "é" }], 6, 8), q);
  const two = mask([{ op: "text", x: 0, y: 0, color: rgba(1, 1, 1), text: "I\nI" }], 6, 16);
  assertEquals(two.slice(8), a);
});

Deno.test("an empty scene renders transparent black", () => {
  assertEquals(render([])(3, 3), [0, 0, 0, 0]);
});
