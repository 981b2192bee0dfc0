/**
 * A WASM-4 cartridge built here with clang against the documented API (`wasm4.h`) runs on the
 * WASM-4 profile: the memory map's defaults, input written into memory each frame, the
 * framebuffer cleared and drawn through the host, `trace`/`tracef`, `diskw`/`diskr`, `tone`.
 * Skipped visibly without clang (required when PXOS_REQUIRE_CLANG=1).
 */
import { hasCompiler } from "../../../examples/wasm_build.ts";
import { loadWasm4Cart } from "./helpers.ts";
import { playSetup } from "../../../src/boot/play.ts";
import { wasmEngine } from "../../../src/engines/wasm/engine.ts";
import type { DrawOp } from "../../../src/host/gfx_sink.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import type { ToneEvent } from "../../../src/host/play_host.ts";
import { assert, assertEquals } from "../../assert.ts";

const CART = `#include "wasm4.h"
static uint32_t saved = 0;
WASM4_EXPORT(start) void start(void) {
  tracef("palette %x colors %x", PALETTE[0], *DRAW_COLORS);
  uint32_t v = 0xabcd;
  diskw(&v, sizeof v);
  diskr(&saved, sizeof saved);
  tracef("disk %x", saved);
}
WASM4_EXPORT(update) void update(void) {
  tracef("pad %d mouse %d %d %d fb %d", *GAMEPAD1, *MOUSE_X, *MOUSE_Y, *MOUSE_BUTTONS, FRAMEBUFFER[0]);
  FRAMEBUFFER[0] = 0xff; /* the top-left 4 pixels: palette index 3 */
  *DRAW_COLORS = 2;
  rect(10, 10, 5, 5);
  if (*GAMEPAD1 & BUTTON_1) tone(440, 4, 50, TONE_PULSE2);
  if (*GAMEPAD1 & BUTTON_2) *SYSTEM_FLAGS = SYSTEM_PRESERVE_FRAMEBUFFER;
}
`;

const present = await hasCompiler("wasm4");
const required = Deno.env.get("PXOS_REQUIRE_CLANG") === "1";

Deno.test({
  name: `a clang-built WASM-4 cartridge runs on the WASM-4 profile${
    present || required ? "" : " (SKIPPED: no clang + lld for wasm32)"
  }`,
  ignore: !present && !required,
  async fn() {
    assert(present, "clang + lld are required (PXOS_REQUIRE_CLANG=1) but missing");
    const program = await loadWasm4Cart(CART);
    const ops: DrawOp[] = [];
    let presents = 0;
    const gfx = { draw: (op: DrawOp) => void ops.push(op), present: () => void presents++ };
    const play = playSetup({
      frames: 4,
      events: [
        { frame: 1, kind: "pad", player: 0, buttons: 1 },
        { frame: 1, kind: "mouse", x: 31, y: 62, buttons: 2 },
        { frame: 2, kind: "pad", player: 0, buttons: 2 },
      ],
    }, gfx)!;
    let out = "";
    const tones: ToneEvent[] = [];
    const host = createHost({
      stdout: (t) => (out += t),
      gfx,
      input: play.input,
      sound: (t) => tones.push(t),
    });
    const result = await wasmEngine.run(program, host, DEFAULT_LIMITS, {
      frameLoop: play.loop,
      flags: { scale: 2 },
    });
    assertEquals(result.exitCode, 0);
    assertEquals(
      out,
      "palette e0f8cf colors 1203\ndisk abcd\n" +
        "pad 0 mouse 0 0 0 fb 0\n" +
        // The mouse is in canvas pixels, scaled back to the 160×160 screen; the framebuffer
        // was cleared before the update.
        "pad 1 mouse 15 31 2 fb 0\n" +
        // SYSTEM_PRESERVE_FRAMEBUFFER, set during frame 2's update, keeps what frame 2 drew.
        "pad 2 mouse 15 31 2 fb 0\n" +
        "pad 2 mouse 15 31 2 fb 255\n",
    );
    assertEquals(tones, [{ frame: 1, frequency: 440, duration: 4, volume: 50, flags: 1 }]);
    assertEquals(presents, 4);
    assertEquals(ops[0], { op: "canvas", width: 320, height: 320 });
    // The first run of row 0: 4 pixels of palette index 3 (0x071821), scaled by 2.
    assertEquals(ops.find((o) => o.op === "rect"), {
      op: "rect",
      x: 0,
      y: 0,
      w: 8,
      h: 2,
      color: 0x071821ff,
    });
    // The rect (colour 2 = palette index 1) at (10,10), scaled: a run starting at x 20, y 20.
    assert(
      ops.some((o) =>
        o.op === "rect" && o.x === 20 && o.y === 20 && o.w === 10 && o.color === 0x86c06cff
      ),
    );
  },
});
