/** `pxos pack cart.wasm` and `pxos run cart.wasm` for a bare WASM-4 cartridge. */
import { join } from "node:path";
import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

const GAME = new URL("../../examples/wasm4-game/main.wasm", import.meta.url).pathname;

Deno.test("pxos pack wraps a bare WASM-4 .wasm in one command; it boots and plays", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cart = join(dir, "dodge.pxa");
    const io = capturedIO();
    assertEquals(await runCli(["pack", GAME, "-o", cart, "-q"], io), 0, io.stderr);
    const ls = capturedIO();
    assertEquals(await runCli(["ls", cart], ls), 0);
    assertMatch(ls.stdout, /main\.wasm/);
    assertMatch(ls.stdout, /pxos\.json/);
    const boot = capturedIO();
    assertEquals(await runCli(["boot", cart, "--frames", "5"], boot), 0, boot.stderr);
    assertEquals(boot.stdout, "wasm4-game: best 0\n");
    assertMatch(boot.stderr, /5 frames/);
    // --frames 5 is a count: the frames go to the default folder next to the cartridge.
    assert((await Deno.stat(join(dir, "dodge.frames", "frame-0005.png"))).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pxos run runs a bare WASM-4 cartridge: one frame without --frames, 480×480", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const io = capturedIO();
    const code = await runCli(["run", GAME, "--frames", join(dir, "f")], io);
    assertEquals(code, 0, io.stderr);
    assertEquals(io.stdout, "wasm4-game: best 0\n");
    assertMatch(io.stderr, /frame-0001\.png \(1 frame, cpu\)/);
    const png = await Deno.readFile(join(dir, "f", "frame-0001.png"));
    const view = new DataView(png.buffer);
    assertEquals([view.getUint32(16), view.getUint32(20)], [480, 480]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
