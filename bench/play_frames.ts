/**
 * Frame times of the played examples: one frame = input set, `update`, and the CPU (or WebGPU)
 * renderer's render of what was drawn. Shared by `play_bench.ts` (Deno.bench groups) and the
 * per-frame median/p99 report:
 *
 *   DENO_WEBGPU_BACKEND=vulkan deno run -A bench/play_frames.ts [frames] [runs] [webgpu frames]
 *
 * The report plays each cart with the CPU renderer and, when an adapter exists, the WebGPU
 * renderer, interleaved run by run.
 */
import { assemblePxvm } from "../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../src/engines/pxvm/engine.ts";
import { pohEngine } from "../src/engines/poh/engine.ts";
import { wasmEngine } from "../src/engines/wasm/engine.ts";
import type { Engine } from "../src/engines/engine.ts";
import { webGpuAdapterAvailable } from "../src/gfx/render_webgpu.ts";
import { createGfxSession, type RendererChoice } from "../src/gfx/session.ts";
import { createHost } from "../src/host/host.ts";
import { DEFAULT_LIMITS } from "../src/host/limits.ts";
import { playSetup } from "../src/boot/play.ts";
import type { InputEvent } from "../src/host/input.ts";

const examples = new URL("../examples/", import.meta.url);
const read = (path: string) => Deno.readFileSync(new URL(path, examples));

/** A played example: its engine, program, canvas and input. */
export interface PlayedCart {
  name: string;
  engine: Engine;
  program: unknown;
  width: number;
  height: number;
  events: InputEvent[];
}

/** Steering every example understands: right, then X, then left. */
const STEER: InputEvent[] = [
  { frame: 0, kind: "pad", player: 0, buttons: 32 },
  { frame: 20, kind: "pad", player: 0, buttons: 1 | 16 },
  { frame: 40, kind: "pad", player: 0, buttons: 16 },
];

/** Loads the played examples that draw. */
export async function playedCarts(): Promise<PlayedCart[]> {
  const limits = { path: "main" };
  return [
    {
      name: "wasm4-game (160×160 WASM-4, ×3)",
      engine: wasmEngine as Engine,
      program: await wasmEngine.load(read("wasm4-game/main.wasm"), { path: "main.wasm" }),
      width: 480,
      height: 480,
      events: STEER,
    },
    {
      name: "pxvm-play (640×480 pxVM)",
      engine: pxvmEngine as Engine,
      program: pxvmEngine.load(
        assemblePxvm(new TextDecoder().decode(read("pxvm-play/main.pxvmasm"))),
        { ...limits, path: "main.pxvm" },
      ),
      width: 640,
      height: 480,
      events: STEER,
    },
    {
      name: "poh-game (160×120 Poh)",
      engine: pohEngine as Engine,
      program: await pohEngine.load(read("poh-game/main.poh"), { path: "main.poh" }),
      width: 160,
      height: 120,
      events: STEER,
    },
    {
      name: "wasm-play (160×120 C/WASI)",
      engine: wasmEngine as Engine,
      program: await wasmEngine.load(read("wasm-play/main.wasm"), { path: "main.wasm" }),
      width: 160,
      height: 120,
      events: STEER,
    },
  ];
}

/** Plays `frames` frames of `cart`; resolves to each frame's time in ms (update + render). */
export async function playFrames(
  cart: PlayedCart,
  frames: number,
  renderer: RendererChoice = "cpu",
): Promise<number[]> {
  const session = await createGfxSession({
    renderer,
    gpuGranted: renderer === "webgpu",
    width: cart.width,
    height: cart.height,
  });
  const times: number[] = [];
  let started = 0;
  const play = playSetup({ frames, events: cart.events })!;
  const loop = {
    frames,
    beginFrame(frame: number) {
      play.loop.beginFrame(frame);
      started = performance.now();
    },
    async endFrame() {
      await session.sink.present();
      times.push(performance.now() - started);
    },
  };
  const host = createHost({ stdout: () => {}, gfx: session.sink, input: play.input });
  try {
    await cart.engine.run(cart.program, host, { ...DEFAULT_LIMITS, timeoutMs: 600_000 }, {
      frameLoop: loop,
    });
  } finally {
    await session.finish();
  }
  return times;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Median and p99 of one run's frame times (frame 0 left out: it warms up). */
async function frameStats(cart: PlayedCart, frames: number, renderer: RendererChoice) {
  const sorted = (await playFrames(cart, frames, renderer)).slice(1).sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** The WebGPU adapter's description, or null when there is none. */
async function webGpuAdapter(): Promise<string | null> {
  if (!(await webGpuAdapterAvailable())) return null;
  const adapter = await navigator.gpu.requestAdapter();
  return adapter?.info?.description || adapter?.info?.device || "WebGPU adapter";
}

if (import.meta.main) {
  const frames = Number(Deno.args[0] ?? 300);
  const runs = Number(Deno.args[1] ?? 3);
  // WebGPU on a software adapter takes seconds for a WASM-4 frame: fewer frames a run.
  const gpuFrames = Number(Deno.args[2] ?? 30);
  const adapter = await webGpuAdapter();
  const renderers: RendererChoice[] = adapter ? ["cpu", "webgpu"] : ["cpu"];
  console.log(
    `${frames} frames a run, ${runs} runs, CPU renderer and WebGPU (${adapter ?? "no adapter"})`,
  );
  console.log("each cell: the median over the runs of each run's statistic (min–max of the runs)");
  console.log("| cart | CPU median ms | CPU p99 ms | WebGPU median ms | WebGPU p99 ms |");
  console.log("| ---- | ------------: | ---------: | ---------------: | ------------: |");
  const f = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    return `${s[Math.floor(s.length / 2)].toFixed(2)} (${s[0].toFixed(2)}–${s.at(-1)!.toFixed(2)})`;
  };
  for (const cart of await playedCarts()) {
    const stats = new Map(
      renderers.map((r) => [r, { median: [] as number[], p99: [] as number[] }]),
    );
    for (let run = 0; run < runs; run++) {
      for (const renderer of renderers) { // interleaved, so load changes hit both alike
        const count = renderer === "webgpu" ? gpuFrames : frames;
        const { median, p99 } = await frameStats(cart, count, renderer);
        stats.get(renderer)!.median.push(median);
        stats.get(renderer)!.p99.push(p99);
      }
    }
    const cpu = stats.get("cpu")!;
    const gpu = stats.get("webgpu");
    console.log(
      `| ${cart.name} | ${f(cpu.median)} | ${f(cpu.p99)} | ${gpu ? f(gpu.median) : "—"} | ${
        gpu ? f(gpu.p99) : "—"
      } |`,
    );
  }
}
