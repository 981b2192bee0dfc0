/**
 * Played examples, 60 frames per iteration (one second of play: input, `update`, CPU render of
 * each frame), against a baseline of 60 CPU renders of a blank canvas of the same size: the ratio
 * is what the cartridge and its engine add to the renderer's own cost.
 *
 *   deno bench -A bench/play_bench.ts
 *
 * Per-frame median and p99: `deno run -A bench/play_frames.ts`.
 */
import { createGfxSession } from "../src/gfx/session.ts";
import { playedCarts, playFrames } from "./play_frames.ts";

const SECOND = 60;

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
}
