/**
 * Played examples, 60 frames per iteration (one second of play: input, `update`, CPU render of
 * each frame), against a baseline of 60 CPU renders of a blank canvas of the same size: the ratio
 * is what the cartridge and its engine add to the renderer's own cost.
 *
 *   deno bench -A bench/play_bench.ts
 *
 * With `PXOS_BENCH_WEBGPU=1` and a WebGPU adapter (here: `DENO_WEBGPU_BACKEND=vulkan`, Mesa's
 * lavapipe) each group also plays with the WebGPU renderer (3 iterations). Per-frame median and p99, CPU and WebGPU side by side:
 * `deno run -A bench/play_frames.ts`.
 */
import { webGpuAdapterAvailable } from "../src/gfx/render_webgpu.ts";
import { createGfxSession } from "../src/gfx/session.ts";
import { playedCarts, playFrames } from "./play_frames.ts";

const SECOND = 60;
// A software adapter (lavapipe) takes seconds for a WASM-4 frame: opt in, few iterations.
const webgpu = Deno.env.get("PXOS_BENCH_WEBGPU") === "1" && await webGpuAdapterAvailable();

for (const cart of await playedCarts()) {
  const blank = await createGfxSession({ renderer: "cpu", width: cart.width, height: cart.height });
  blank.sink.draw({ op: "layerNew", name: "l", z: 0 });
  Deno.bench({
    name: `${SECOND} blank ${cart.width}×${cart.height} renders`,
    group: cart.name,
    baseline: true,
    async fn() {
      for (let i = 0; i < SECOND; i++) await blank.render();
    },
  });
  Deno.bench({
    name: `${SECOND} frames of ${cart.name}`,
    group: cart.name,
    async fn() {
      await playFrames(cart, SECOND);
    },
  });
  Deno.bench({
    name: `${SECOND} frames of ${cart.name}, WebGPU renderer`,
    group: cart.name,
    ignore: !webgpu,
    n: 3,
    warmup: 1,
    async fn() {
      await playFrames(cart, SECOND, "webgpu");
    },
  });
}
