import { assertEquals, assertMatch, assertPxosError } from "../assert.ts";
import { assemblePxvm } from "../../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../../src/engines/pxvm/engine.ts";
import { parsePxterm } from "../../src/gfx/pxterm.ts";
import { createGfxSession, type GfxSessionOptions } from "../../src/gfx/session.ts";
import { createHost } from "../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";

const PROGRAM = `
    IMM8 R1, 3
    SYSCALL LAYER_USE_ID
    IMM32 R1, 1
    IMM32 R2, 2
    IMM32 R3, 3
    IMM32 R4, 4
    IMM32 R5, 0xff0000ff
    SYSCALL RECT
    SYSCALL PRESENT
    IMM32 R1, 5
    IMM32 R3, 0xff0000ff
    SYSCALL PIXEL
    HALT`;

async function run(options: GfxSessionOptions) {
  const session = await createGfxSession(options);
  const host = createHost({ stdout: () => {}, gfx: session.sink });
  const program = pxvmEngine.load(assemblePxvm(PROGRAM), { path: "s.pxvm" });
  await pxvmEngine.run(program, host, DEFAULT_LIMITS);
  return { session, result: await session.finish() };
}

Deno.test("a session renders each PRESENT, plus a final frame after later drawing", async () => {
  const indexes: number[] = [];
  const { session, result } = await run({
    renderer: "cpu",
    width: 16,
    height: 8,
    keepFrames: true,
    onFrame: (_f, i) => void indexes.push(i),
  });
  assertEquals(session.renderer, "cpu");
  assertEquals(result.frameCount, 2);
  assertEquals(indexes, [0, 1]);
  assertEquals([result.lastFrame!.width, result.lastFrame!.height], [16, 8]);
  const at = (f: number, x: number, y: number) =>
    Array.from(result.frames[f].rgba.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4));
  assertEquals(at(0, 1, 2), [255, 0, 0, 255]);
  assertEquals(at(0, 5, 2), [0, 0, 0, 0]);
  assertEquals(at(1, 5, 2), [255, 0, 0, 255]); // the PIXEL after PRESENT is in the final frame
});

Deno.test("--pxterm mode records the draw list as PXTERM text instead of rendering", async () => {
  const { session, result } = await run({ pxterm: true });
  assertEquals(session.renderer, "none");
  assertEquals(result.frameCount, 0);
  const { lines, errors } = parsePxterm(result.pxterm!);
  assertEquals(errors, []);
  assertEquals(lines.map((l) => l.command.op), [
    "layerNew",
    "layerNew",
    "layerNew",
    "layerNew",
    "layerUse",
    "rect",
    "present",
    "pixel",
  ]);
  assertMatch(result.pxterm!, /^RECT 1 2 3 4 255 0 0 255$/m);
});

Deno.test("auto uses the CPU renderer unless the gpu permission is granted", async () => {
  const { session } = await run({ renderer: "auto", gpuGranted: false });
  assertEquals(session.renderer, "cpu");
});

Deno.test("presenting past maxFrames is E_MEMORY", async () => {
  await assertPxosError(() => run({ renderer: "cpu", maxFrames: 0 }), "E_MEMORY", /frames/);
});
