import { join } from "node:path";
import { collectDirectory } from "../../src/archive/directory.ts";
import { openCartridge, packCartridge } from "../../src/archive/cartridge.ts";
import { bootCartridge } from "../../src/boot/boot.ts";
import { compileSources } from "../../src/boot/compile_sources.ts";
import { createFrameOutput } from "../../src/gfx/frame_output.ts";
import { createGfxSession } from "../../src/gfx/session.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import { assert, assertEquals } from "../assert.ts";
import { EXPECTED as PIXELVM_EXPECTED } from "../engines/pixelvm/expected.ts";

const examples = new URL("../../examples/", import.meta.url).pathname;

/** Packs an example folder the way `pxos pack --compile` does and opens the cartridge. */
async function cartridgeOf(name: string) {
  const { png } = await packCartridge(
    await compileSources(await collectDirectory(join(examples, name))),
  );
  return await openCartridge(png, { name: `${name}.pxa` });
}

Deno.test("the hello example boots from its cartridge", async () => {
  let out = "";
  const result = await bootCartridge(await cartridgeOf("hello"), { stdout: (t) => (out += t) });
  assertEquals(result.exitCode, 0);
  assertEquals(out, "Hello from a pixel cartridge!\n3\n2\n1\nLiftoff.\n");
});

for (const [name, expected] of Object.entries(PIXELVM_EXPECTED)) {
  Deno.test(`PixelVM example ${name} boots from its cartridge with the expected output`, async () => {
    const cart = await cartridgeOf(name);
    assert(cart.manifest.entry.endsWith(".pxi"), "the entry is bytecode");
    let out = "";
    const result = await bootCartridge(cart, { stdout: (t) => (out += t) });
    assertEquals(out, expected.stdout);
    assertEquals(result.exitCode, expected.exitCode);
  });
}

for (const name of ["pxvm-hello", "pxvm-window"]) {
  Deno.test(`pxVM example ${name} boots and presents frames`, async () => {
    const framesDir = await Deno.makeTempDir();
    const output = await createFrameOutput({ renderer: "cpu", framesDir });
    let out = "";
    try {
      const result = await bootCartridge(await cartridgeOf(name), {
        stdout: (t) => (out += t),
        gfx: output.sink,
      });
      assertEquals(result.exitCode, 0);
    } finally {
      const frames = await output.finish();
      assert(frames.frameCount >= 1, "at least one frame");
      assert(frames.lastFramePath !== undefined);
    }
    assert(out.length > 0, "console output");
    await Deno.remove(framesDir, { recursive: true });
  });
}

const POH_EXPECTED: Record<string, string> = {
  "poh-hello": "Hello from PohLang on pxOS!\n",
  "poh-fizzbuzz": Array.from({ length: 15 }, (_, i) => {
    const n = i + 1;
    return n % 15 === 0 ? "FizzBuzz" : n % 3 === 0 ? "Fizz" : n % 5 === 0 ? "Buzz" : String(n);
  }).join("\n") + "\n",
  "poh-wordcount": "counting the bundled sample (./input.txt not granted or missing)\n" +
    "distinct words: 11\nthe: 4\nquick: 1\nbrown: 1\nfox: 2\njumps: 1\nover: 1\n" +
    "lazy: 1\ndog: 2\nsleeps: 1\nand: 1\nruns: 1\n",
};

for (const [name, expected] of Object.entries(POH_EXPECTED)) {
  Deno.test(`Poh example ${name} boots from its compiled cartridge (entry retargeted to .pbc)`, async () => {
    const cart = await cartridgeOf(name);
    assertEquals(cart.manifest.entry, "main.pbc");
    let out = "";
    const result = await bootCartridge(cart, { stdout: (t) => (out += t) });
    assertEquals(out, expected);
    assertEquals(result.exitCode, 0);
  });
}

Deno.test("Poh example poh-graphics boots with the CPU renderer and draws its frames", async () => {
  const cart = await cartridgeOf("poh-graphics");
  assertEquals(cart.manifest.entry, "main.pbc");
  const canvas = cart.manifest.canvas!;
  assertEquals([canvas.width, canvas.height], [160, 120]);
  const session = await createGfxSession({
    renderer: "cpu",
    width: canvas.width,
    height: canvas.height,
    keepFrames: true,
  });
  let out = "";
  const result = await bootCartridge(cart, { stdout: (t) => (out += t), gfx: session.sink });
  const { frames } = await session.finish();
  assertEquals(result.exitCode, 0);
  assertEquals(out, "drew 3 frames\n");
  assertEquals(frames.length, 3);
  const pixel = (f: number, x: number, y: number) => {
    const { rgba, width } = frames[f];
    const i = (y * width + x) * 4;
    return Array.from(rgba.subarray(i, i + 4), (v) => v.toString(16).padStart(2, "0")).join("");
  };
  const SKY = "1e3250ff", BALL = "e04040ff";
  for (const f of [0, 1, 2]) {
    assertEquals([frames[f].width, frames[f].height], [160, 120]);
    assertEquals(pixel(f, 150, 50), SKY, "sky");
    assertEquals(pixel(f, 150, 100), "2e8b57ff", "grass (rgb colour)");
    assertEquals(pixel(f, 0, 90), "246b43ff", "stripe line (0xRRGGBBAA colour)");
    assertEquals(pixel(f, 140, 20), "ffcc00ff", "filled sun circle");
    assertEquals(pixel(f, 4, 4), "ffffffff", "title text");
  }
  // The ball layer is cleared and redrawn each frame: it moves.
  assertEquals([pixel(0, 30, 80), pixel(0, 20, 80), pixel(0, 80, 50)], [BALL, "000000ff", SKY]);
  assertEquals([pixel(1, 80, 50), pixel(1, 30, 80)], [BALL, SKY]);
  assertEquals([pixel(2, 130, 80), pixel(2, 80, 50)], [BALL, SKY]);
});

Deno.test("a cartridge whose entry is a PXTERM draw list boots and presents its frame", async () => {
  const framesDir = await Deno.makeTempDir();
  const output = await createFrameOutput({ renderer: "cpu", framesDir });
  let out = "";
  const result = await bootCartridge(await cartridgeOf("pxterm-desktop"), {
    stdout: (t) => (out += t),
    gfx: output.sink,
  });
  const frames = await output.finish();
  assertEquals(result.exitCode, 0);
  assert(frames.frameCount >= 1);
  assert(out.includes("canvas 320x200"), out);
  await Deno.remove(framesDir, { recursive: true });
});

Deno.test("Poh example poh-wordcount counts ./input.txt when reading it is granted", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.writeTextFile(join(root, "input.txt"), "b a b\nc b\n");
    const cart = await cartridgeOf("poh-wordcount");
    let out = "";
    await bootCartridge(cart, {
      stdout: (t) => (out += t),
      grant: { ...NO_GRANT, read: ["input.txt"] },
      root,
    });
    assertEquals(out, "counting ./input.txt\ndistinct words: 3\nb: 3\na: 1\nc: 1\n");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
