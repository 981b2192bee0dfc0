import { assertEquals, assertPxosError } from "../assert.ts";
import { rgba } from "../../src/gfx/color.ts";
import { MAX_LAYERS, Scene } from "../../src/gfx/scene.ts";

Deno.test("drawing before any layer goes to an implicit default layer", () => {
  const s = new Scene();
  s.apply({ op: "rect", x: 0, y: 0, w: 2, h: 2, color: rgba(1, 1, 1) });
  assertEquals(s.layers.map((l) => l.name), ["default"]);
  assertEquals(s.current?.name, "default");
});

Deno.test("layers: first created is current; use, delete, opacity, visibility", async () => {
  const s = new Scene();
  s.apply({ op: "layerNew", name: "a", z: 5 });
  s.apply({ op: "layerNew", name: "b", z: 1 });
  assertEquals(s.current?.name, "a");
  s.apply({ op: "layerUse", name: "b" });
  s.apply({ op: "layerOpacity", name: "b", opacity: 300 });
  s.apply({ op: "layerVisible", name: "a", visible: false });
  assertEquals(s.snapshot().layers.map((l) => [l.name, l.opacity, l.visible]), [
    ["b", 255, true],
    ["a", 255, false],
  ]);
  s.apply({ op: "layerDelete", name: "b" });
  assertEquals(s.current, undefined);
  await assertPxosError(
    () => s.apply({ op: "layerUse", name: "b" }),
    "E_TRAP",
    /no layer named "b"/,
  );
  await assertPxosError(
    () => s.apply({ op: "layerNew", name: "a", z: 0 }),
    "E_TRAP",
    /already exists/,
  );
  await assertPxosError(
    () => s.apply({ op: "layerNew", name: "bad name", z: 0 }),
    "E_TRAP",
    /layer name/,
  );
  await assertPxosError(() => s.apply({ op: "canvas", width: 0, height: 5 }), "E_TRAP", /canvas/);
});

Deno.test("equal z keeps creation order", () => {
  const s = new Scene();
  for (const name of ["x", "y", "z"]) s.apply({ op: "layerNew", name, z: 0 });
  assertEquals(s.snapshot().layers.map((l) => l.name), ["x", "y", "z"]);
});

Deno.test("layer count is bounded", async () => {
  const s = new Scene();
  for (let i = 0; i < MAX_LAYERS; i++) s.apply({ op: "layerNew", name: `l${i}`, z: i });
  await assertPxosError(
    () => s.apply({ op: "layerNew", name: "one-more", z: 0 }),
    "E_TRAP",
    /too many/,
  );
});

Deno.test("rects clip exactly; empty/off-canvas shapes drop; CLEAR resets", () => {
  const s = new Scene();
  s.apply({ op: "rect", x: -5, y: -5, w: 10, h: 10, color: rgba(1, 2, 3) });
  s.apply({ op: "rect", x: 5, y: 5, w: -3, h: 10, color: rgba(1, 2, 3) });
  s.apply({ op: "rect", x: 5000, y: 0, w: 3, h: 3, color: rgba(1, 2, 3) });
  s.apply({ op: "circle", cx: -100, cy: 10, r: 5, color: rgba(1, 2, 3), filled: true });
  assertEquals(s.current!.commands.map((c) => c.kind === "rect" ? [c.x, c.y, c.w, c.h] : c.kind), [
    [0, 0, 5, 5],
  ]);
  s.apply({ op: "clear", color: rgba(0, 0, 0) });
  assertEquals(s.current!.commands.map((c) => c.kind), ["clear"]);
  assertEquals(s.commandCount, 1);
});
