import { assertEquals, fail } from "../assert.ts";
import { renderCpu } from "../../src/gfx/render_cpu.ts";
import { WebGpuRenderer } from "../../src/gfx/render_webgpu.ts";
import { Scene } from "../../src/gfx/scene.ts";
import { rgba } from "../../src/gfx/color.ts";
import { SCENES } from "./scenes.ts";

const adapter = await navigator.gpu?.requestAdapter().catch(() => null) ?? null;
const required = Deno.env.get("PXOS_REQUIRE_GPU") === "1";

if (!adapter) {
  if (required) {
    Deno.test("WebGPU adapter is available (PXOS_REQUIRE_GPU=1)", () => {
      fail("no WebGPU adapter: navigator.gpu.requestAdapter() returned null");
    });
  } else {
    console.warn("SKIPPING WebGPU tests: no adapter (set PXOS_REQUIRE_GPU=1 to fail instead)");
  }
}

/** The first differing byte, for a readable failure. */
function firstDifference(a: Uint8Array, b: Uint8Array): string {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return `byte ${i} (pixel ${i >> 2}): cpu ${a[i]} gpu ${b[i]}`;
  }
  return a.length === b.length ? "none" : `lengths ${a.length} vs ${b.length}`;
}

Deno.test({
  name: "WebGPU frames are byte-identical to the CPU renderer on every test scene",
  ignore: !adapter,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const gpu = await WebGpuRenderer.create();
    try {
      for (const [name, ops] of Object.entries(SCENES)) {
        const scene = new Scene();
        for (const op of ops) scene.apply(op);
        const cpu = renderCpu(scene.snapshot());
        const frame = await gpu.render(scene.snapshot());
        assertEquals(frame.width, cpu.width);
        assertEquals(firstDifference(cpu.rgba, frame.rgba), "none", name);
      }
    } finally {
      gpu.destroy();
    }
  },
});

Deno.test({
  name: "WebGPU matches the CPU on a random scene of many translucent shapes",
  ignore: !adapter,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % n;
    };
    const scene = new Scene();
    scene.apply({ op: "canvas", width: 97, height: 61 }); // odd sizes exercise row padding
    for (let l = 0; l < 3; l++) scene.apply({ op: "layerNew", name: `l${l}`, z: rnd(3) });
    for (let i = 0; i < 120; i++) {
      scene.apply({ op: "layerUse", name: `l${i % 3}` });
      const color = rgba(rnd(256), rnd(256), rnd(256), rnd(256));
      const kind = i % 4;
      if (kind === 0) {
        scene.apply({
          op: "rect",
          x: rnd(120) - 10,
          y: rnd(80) - 10,
          w: rnd(50),
          h: rnd(50),
          color,
        });
      } else if (kind === 1) {
        scene.apply({
          op: "line",
          x0: rnd(140) - 20,
          y0: rnd(100) - 20,
          x1: rnd(140) - 20,
          y1: rnd(100) - 20,
          color,
        });
      } else if (kind === 2) {
        scene.apply({
          op: "circle",
          cx: rnd(97),
          cy: rnd(61),
          r: rnd(30),
          color,
          filled: rnd(2) === 1,
        });
      } else {
        scene.apply({ op: "text", x: rnd(97) - 10, y: rnd(61) - 4, color, text: `t${i}#&` });
      }
    }
    scene.apply({ op: "layerOpacity", name: "l1", opacity: 140 });
    const gpu = await WebGpuRenderer.create();
    try {
      const frame = await gpu.render(scene.snapshot());
      assertEquals(firstDifference(renderCpu(scene.snapshot()).rgba, frame.rgba), "none");
    } finally {
      gpu.destroy();
    }
  },
});

Deno.test({
  name: "a lost WebGPU device is reported as E_GPU, not a crash",
  ignore: !adapter,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { assertPxosError } = await import("../assert.ts");
    const gpu = await WebGpuRenderer.create();
    gpu.destroy();
    await new Promise((r) => setTimeout(r, 10));
    await assertPxosError(() => gpu.render(new Scene().snapshot()), "E_GPU", /lost/);
  },
});
