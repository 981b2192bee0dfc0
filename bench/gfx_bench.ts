/**
 * Graphics and pxVM benchmarks. Every group has a plain-JS baseline in the same run.
 *
 *   deno bench --allow-read --allow-env bench/gfx_bench.ts
 *
 * Groups: a 640×480 frame (1,000 rects, 200 text lines, 4 layers) on the CPU (baseline) and on
 * WebGPU; the pxVM fast tier and interpreter on a register loop vs the same loop in plain JS;
 * the CPU renderer's rect fill vs `Uint32Array.fill` of the same areas.
 */
import { assemblePxvm } from "../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../src/engines/pxvm/engine.ts";
import { rgba } from "../src/gfx/color.ts";
import { paintCommand, renderCpu } from "../src/gfx/render_cpu.ts";
import { WebGpuRenderer } from "../src/gfx/render_webgpu.ts";
import { type PaintCommand, Scene } from "../src/gfx/scene.ts";
import { createHost } from "../src/host/host.ts";

/** Deterministic pseudo-random integers. */
function lcg(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s % n;
  };
}

// --- frame --------------------------------------------------------------------------------
const scene = new Scene();
{
  const rnd = lcg(1);
  scene.apply({ op: "canvas", width: 640, height: 480 });
  for (let l = 0; l < 4; l++) scene.apply({ op: "layerNew", name: `layer${l}`, z: l });
  for (let i = 0; i < 1000; i++) {
    scene.apply({ op: "layerUse", name: `layer${i % 4}` });
    const alpha = i % 3 === 0 ? 255 : 64 + rnd(192);
    scene.apply({
      op: "rect",
      x: rnd(640) - 20,
      y: rnd(480) - 20,
      w: 10 + rnd(120),
      h: 10 + rnd(90),
      color: rgba(rnd(256), rnd(256), rnd(256), alpha),
    });
  }
  scene.apply({ op: "layerUse", name: "layer3" });
  for (let i = 0; i < 200; i++) {
    scene.apply({
      op: "text",
      x: rnd(560),
      y: rnd(470),
      color: rgba(255, 255, 255, 220),
      text: `pxOS text line ${i}: The quick brown fox`,
    });
  }
}
const snapshot = scene.snapshot();

Deno.bench({
  name: "frame 640x480: CPU renderer",
  group: "frame",
  baseline: true,
  n: 20,
  warmup: 3,
  fn() {
    renderCpu(snapshot);
  },
});

const adapter = await navigator.gpu?.requestAdapter().catch(() => null) ?? null;
if (adapter) {
  const gpu = await WebGpuRenderer.create();
  Deno.bench({
    name: `frame 640x480: WebGPU renderer (${gpu.adapterName})`,
    group: "frame",
    n: 5,
    warmup: 1,
    async fn() {
      await gpu.render(snapshot);
    },
  });
} else {
  console.warn("no WebGPU adapter: the WebGPU frame benchmark is not run");
}

// --- pxVM register loop -------------------------------------------------------------------
const LOOP = (n: number) =>
  `IMM32 R1, ${n}\nIMM8 R2, 1\nIMM8 R3, 0\nloop: ADD R3, R3, R1\nSUB R1, R1, R2\n` +
  "JNZ R1, loop\nHALT";
const host = createHost({ stdout: () => {} });
const limits = { fuel: 1e12, timeoutMs: 60_000, memoryBytes: 0, outputBytes: 1 << 30 };
const loop10m = pxvmEngine.load(assemblePxvm(LOOP(10_000_000)), { path: "loop.pxvm" });
const loop1m = pxvmEngine.load(assemblePxvm(LOOP(1_000_000)), { path: "loop.pxvm" });
let sink = 0;

function plainLoop(n: number): number {
  let r1 = n;
  const r2 = 1;
  let r3 = 0;
  while (r1 !== 0) {
    r3 = (r3 + r1) | 0;
    r1 = (r1 - r2) | 0;
  }
  return r3;
}

Deno.bench({
  name: "10M-iteration loop: plain JS",
  group: "pxvm-loop",
  baseline: true,
  n: 10,
  fn() {
    sink ^= plainLoop(10_000_000);
  },
});
Deno.bench({
  name: "10M-iteration loop: pxVM (fast tier)",
  group: "pxvm-loop",
  n: 10,
  async fn() {
    await pxvmEngine.run(loop10m, host, limits);
  },
});
Deno.bench({
  name: "1M-iteration loop: plain JS",
  group: "pxvm-interpreter",
  baseline: true,
  n: 10,
  fn() {
    sink ^= plainLoop(1_000_000);
  },
});
Deno.bench({
  name: "1M-iteration loop: pxVM interpreter only (flags.jit = false)",
  group: "pxvm-interpreter",
  n: 5,
  async fn() {
    await pxvmEngine.run(loop1m, host, limits, { flags: { jit: false } });
  },
});

// --- rect fill ----------------------------------------------------------------------------
const W = 640;
const H = 480;
const rects: PaintCommand[] = [];
{
  const rnd = lcg(2);
  for (let i = 0; i < 1000; i++) {
    const x = rnd(600);
    const y = rnd(440);
    rects.push({ kind: "rect", x, y, w: 1 + rnd(W - x), h: 1 + rnd(H - y), px: 0xff000000 | i });
  }
}
const target = new Uint32Array(W * H);

Deno.bench({
  name: "1,000 opaque rects: Uint32Array.fill per row",
  group: "rect-fill",
  baseline: true,
  n: 50,
  fn() {
    for (const r of rects) {
      if (r.kind !== "rect") continue;
      for (let y = r.y; y < r.y + r.h; y++) target.fill(r.px, y * W + r.x, y * W + r.x + r.w);
    }
  },
});
Deno.bench({
  name: "1,000 opaque rects: CPU renderer paintCommand",
  group: "rect-fill",
  n: 50,
  fn() {
    for (const r of rects) paintCommand(target, W, H, r);
  },
});

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});
