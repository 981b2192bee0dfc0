/**
 * A WASM-4 cartridge that changes its screen every frame plays for long without the scene
 * growing: the profile sends only changed rows, and clears and redraws the layer once the
 * changes outnumber twice a full frame, so what the scene holds (and every frame renders) stays
 * bounded while the pixels stay right. Skipped visibly without clang (required when
 * PXOS_REQUIRE_CLANG=1).
 */
import { hasCompiler } from "../../../examples/wasm_build.ts";
import { loadWasm4Cart } from "./helpers.ts";
import { playSetup } from "../../../src/boot/play.ts";
import { wasmEngine } from "../../../src/engines/wasm/engine.ts";
import { createGfxSession } from "../../../src/gfx/session.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assert, assertEquals } from "../../assert.ts";

/** A bar of palette index 3 moving down one row a frame, over index 0. */
const CART = `#include "wasm4.h"
static int frame = 0;
WASM4_EXPORT(update) void update(void) {
  int y = frame++ % SCREEN_SIZE;
  for (int i = 0; i < SCREEN_SIZE / 4; i++) FRAMEBUFFER[y * (SCREEN_SIZE / 4) + i] = 0xff;
}
`;

const present = await hasCompiler("wasm4");
const required = Deno.env.get("PXOS_REQUIRE_CLANG") === "1";

Deno.test({
  name: `a WASM-4 cartridge's scene stays bounded over 1000 frames${
    present || required ? "" : " (SKIPPED: no clang + lld for wasm32)"
  }`,
  ignore: !present && !required,
  async fn() {
    assert(present, "clang + lld are required (PXOS_REQUIRE_CLANG=1) but missing");
    const program = await loadWasm4Cart(CART);
    let most = 0;
    const session = await createGfxSession({
      renderer: "cpu",
      onFrame: () => void (most = Math.max(most, session.scene.commandCount)),
    });
    const frames = 1000;
    const play = playSetup({ frames, events: [] }, session.sink)!;
    const host = createHost({ stdout: () => {}, gfx: session.sink, input: play.input });
    const run = await wasmEngine.run(program, host, DEFAULT_LIMITS, {
      frameLoop: play.loop,
      flags: { scale: 1 },
    });
    assertEquals(run.exitCode, 0);
    const { lastFrame } = await session.finish();
    // A full frame is 160 one-run rows; without the redraws the scene would hold ~2200.
    assert(most <= 4 * 160, `the scene held up to ${most} commands`);
    // The last frame (999) shows the bar on row 999 % 160 = 39 only.
    const px = (x: number, y: number) =>
      [...lastFrame!.rgba.subarray((y * 160 + x) * 4, (y * 160 + x) * 4 + 3)].join(",");
    assertEquals([px(5, 39), px(150, 39)], ["7,24,33", "7,24,33"]);
    assertEquals([px(5, 38), px(5, 40), px(0, 0)], ["224,248,207", "224,248,207", "224,248,207"]);
  },
});
