/**
 * WASM-4's documented semantics that a clang-built cartridge can observe (wasm4.org's function
 * and memory references, and its text guide): `text` reads one character per byte (`\x86` is the
 * up arrow, UTF-8 bytes are two characters) while `textUtf8` decodes; `diskw`/`diskr` keep at
 * most 1024 bytes and return the count; the runtime-owned NETPLAY byte reads 0 offline; the
 * `memset`/`memcpy` imports of WASM-4's earlier headers work. Skipped visibly without clang
 * (required when PXOS_REQUIRE_CLANG=1).
 */
import { hasCompiler } from "../../../examples/wasm_build.ts";
import { loadWasm4Cart } from "./helpers.ts";
import { playSetup } from "../../../src/boot/play.ts";
import { wasmEngine } from "../../../src/engines/wasm/engine.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assert, assertEquals } from "../../assert.ts";

const CART = `#include "wasm4.h"
WASM4_IMPORT(memset) void *w4_memset(void *dest, int value, unsigned long size);
WASM4_IMPORT(memcpy) void *w4_memcpy(void *dest, const void *src, unsigned long size);
static uint8_t big[2000];
static uint8_t back[2000];

/* How many 8-pixel cells of row y carry colour index 1 (the background slot 2 below). */
static int cells(int y) {
  int n = 0;
  for (int c = 0; c < 20; c++) {
    uint8_t first = FRAMEBUFFER[y * 40 + c * 2] & 3;
    if (first == 1) n++;
  }
  return n;
}
/* The 8 pixels of cell 0 on row y as a number, two bits each, leftmost first. */
static int cell0(int y) {
  int v = 0;
  for (int x = 0; x < 8; x++) v = (v << 2) | ((FRAMEBUFFER[(y * 160 + x) / 4] >> ((x & 3) * 2)) & 3);
  return v;
}

WASM4_EXPORT(start) void start(void) {
  w4_memset(big, 7, sizeof big);
  w4_memcpy(back, big, 3);
  tracef("mem %d %d %d", back[0], back[2], back[3]);
  tracef("disk %d %d", diskw(big, sizeof big), diskr(back, sizeof back));
  tracef("back %d %d", back[1023], back[1024]);
}
WASM4_EXPORT(update) void update(void) {
  tracef("netplay %d", *NETPLAY);
  *(uint8_t *)NETPLAY = 0xff; /* the runtime's byte: reads 0 again next frame */
  *DRAW_COLORS = 0x23; /* glyphs colour 3 (index 2), background colour 2 (index 1) */
  text("\\xc3\\xa9!", 0, 0);             /* three bytes: three cells */
  textUtf8("\\xc3\\xa9!", 3, 0, 8);      /* UTF-8 "é!": two cells */
  text("\\x86", 0, 16);                  /* the up arrow */
  tracef("cells %d %d", cells(0), cells(8));
  tracef("arrow %x %x", cell0(16), cell0(17));
}
`;

const present = await hasCompiler("wasm4");
const required = Deno.env.get("PXOS_REQUIRE_CLANG") === "1";

Deno.test({
  name: `WASM-4's documented text, disk, NETPLAY and memset/memcpy semantics${
    present || required ? "" : " (SKIPPED: no clang + lld for wasm32)"
  }`,
  ignore: !present && !required,
  async fn() {
    assert(present, "clang + lld are required (PXOS_REQUIRE_CLANG=1) but missing");
    const program = await loadWasm4Cart(CART);
    const gfx = { draw: () => {}, present: () => {} };
    const play = playSetup({ frames: 2, events: [] }, gfx)!;
    let out = "";
    const host = createHost({ stdout: (t) => (out += t), gfx, input: play.input });
    const result = await wasmEngine.run(program, host, DEFAULT_LIMITS, { frameLoop: play.loop });
    assertEquals(result.exitCode, 0);
    // The up arrow's rows 0 and 1 (pxOS's drawing: "...##..." then "..####.."): glyph pixels
    // palette index 2, background index 1, two bits a pixel, leftmost first.
    const row = (bits: string) =>
      [...bits].reduce((v, b) => (v << 2) | (b === "#" ? 2 : 1), 0).toString(16);
    assertEquals(
      out,
      "mem 7 7 0\n" +
        "disk 1024 1024\n" +
        "back 7 0\n" +
        `netplay 0\ncells 3 2\narrow ${row("...##...")} ${row("..####..")}\n` +
        `netplay 0\ncells 3 2\narrow ${row("...##...")} ${row("..####..")}\n`,
    );
  },
});
