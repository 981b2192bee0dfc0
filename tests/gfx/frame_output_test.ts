import { decode, decodeApng } from "fast-png";
import { assertEquals, assertMatch } from "../assert.ts";
import { assemblePxvm } from "../../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../../src/engines/pxvm/engine.ts";
import { createFrameOutput, defaultFramesDir } from "../../src/gfx/frame_output.ts";
import { runPxtermEntry } from "../../src/boot/pxterm_entry.ts";
import { createHost } from "../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";

const SRC = "IMM32 R1, 0xff0000ff\nSYSCALL CLEAR\nSYSCALL PRESENT\n" +
  "IMM32 R1, 0x00ff00ff\nSYSCALL CLEAR\nSYSCALL PRESENT\nHALT";

async function runWith(options: Parameters<typeof createFrameOutput>[0]) {
  const output = await createFrameOutput(options);
  let out = "";
  const host = createHost({ stdout: (t) => (out += t), gfx: output.sink });
  await pxvmEngine.run(
    pxvmEngine.load(assemblePxvm(SRC), { path: "p.pxvm" }),
    host,
    DEFAULT_LIMITS,
  );
  return { out, result: await output.finish() };
}

Deno.test("defaultFramesDir puts frames next to the program", () => {
  assertEquals(defaultFramesDir("carts/game.pxa"), "carts/game.frames");
  assertEquals(defaultFramesDir("hello.pxvm"), "hello.frames");
});

Deno.test("createFrameOutput writes numbered frames and an APNG; names the last", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { result } = await runWith({
      renderer: "cpu",
      framesDir: `${dir}/frames`,
      apng: `${dir}/anim.png`,
      width: 4,
      height: 2,
    });
    assertEquals(result.frameCount, 2);
    assertEquals(result.renderer, "cpu");
    assertMatch(result.lastFramePath!, /frames\/frame-0002\.png$/);
    const names = [];
    for await (const e of Deno.readDir(`${dir}/frames`)) names.push(e.name);
    assertEquals(names.sort(), ["frame-0001.png", "frame-0002.png"]);
    const last = decode(await Deno.readFile(result.lastFramePath!));
    assertEquals(Array.from((last.data as Uint8Array).subarray(0, 4)), [0, 255, 0, 255]);
    assertEquals(decodeApng(await Deno.readFile(result.apngPath!)).frames.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createFrameOutput --pxterm: no files, returns the draw list", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { result } = await runWith({ framesDir: `${dir}/frames`, pxterm: true });
    assertEquals(result.frameCount, 0);
    assertEquals(result.lastFramePath, undefined);
    assertEquals(result.pxterm, "CLEAR 255 0 0 255\nPRESENT\nCLEAR 0 255 0 255\nPRESENT\n");
    assertEquals(await Deno.stat(`${dir}/frames`).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runPxtermEntry: SAVE in a cartridge presents a frame, never writes a path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const output = await createFrameOutput({ renderer: "cpu", framesDir: `${dir}/f` });
    let out = "";
    let err = "";
    const run = await runPxtermEntry(
      `CANVAS 4 4\nCLEAR 1 2 3\nSAVE ${dir}/escape.png\nNOPE\nINFO\n`,
      "main.pxterm",
      { stdout: (t) => (out += t), stderr: (t) => (err += t), gfx: output.sink },
    );
    const result = await output.finish();
    assertEquals(run.exitCode, 0);
    assertEquals(err.trim().split("\n").length, 1, err);
    assertMatch(err, /main\.pxterm:4: error: unknown command "NOPE"/);
    assertMatch(out, /canvas 4x4/);
    assertEquals(result.frameCount, 1);
    assertEquals(await Deno.stat(`${dir}/escape.png`).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
