/**
 * A played Python cartridge (examples/python-play): update() runs once per frame with scripted
 * input; `pxos replay` of the recording gives the same frame digests, sound and output byte for
 * byte, and a run without the input gives other frames (so the comparison can fail).
 */
import { join } from "node:path";
import { capturedIO } from "../../../src/cli/io.ts";
import { runCli } from "../../../src/cli/main.ts";
import { assertEquals, assertMatch, assertNotEquals } from "../../assert.ts";
import { runPython } from "./helpers.ts";

const EXAMPLE = new URL("../../../examples/python-play", import.meta.url).pathname;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

Deno.test("python-play: update() per frame with scripted input replays byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  const p = (f: string) => join(dir, f);
  try {
    const cart = p("python-play.pxa");
    const packed = await cli(["pack", EXAMPLE, "-o", cart, "-q"]);
    assertEquals(packed.code, 0, packed.err);
    const frames = 90;
    await Deno.writeTextFile(p("in.pxin"), `frames ${frames}\n0 p1 left\n20 p1 right x\n60 p1 -\n`);
    const first = await cli([
      "boot",
      cart,
      "--input",
      p("in.pxin"),
      "--record",
      p("rec.pxin"),
      "--frame-digests",
      p("a.txt"),
      "--wav",
      p("a.wav"),
    ]);
    assertEquals(first.code, 0, first.err);
    assertEquals(first.out, "python-play: ready\n");
    const digests = (await Deno.readTextFile(p("a.txt"))).trim().split("\n");
    assertEquals(digests.length, frames + 1);
    digests.slice(0, frames).forEach((line, i) =>
      assertMatch(line, new RegExp(`^${i} [0-9a-f]{64}$`))
    );
    assertNotEquals(digests[0].split(" ")[1], digests[frames - 1].split(" ")[1], "frames move");

    const again = await cli([
      "replay",
      cart,
      p("rec.pxin"),
      "--frame-digests",
      p("b.txt"),
      "--wav",
      p("b.wav"),
    ]);
    assertEquals(again.code, 0, again.err);
    assertEquals(again.out, first.out);
    assertEquals(await Deno.readTextFile(p("b.txt")), await Deno.readTextFile(p("a.txt")));
    assertEquals(await Deno.readFile(p("b.wav")), await Deno.readFile(p("a.wav")));

    const idle = await cli([
      "boot",
      cart,
      "--frames",
      String(frames),
      "--frame-digests",
      p("c.txt"),
    ]);
    assertEquals(idle.code, 0, idle.err);
    assertNotEquals(await Deno.readTextFile(p("c.txt")), await Deno.readTextFile(p("a.txt")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("update: sys.exit in a frame ends the run with its code; no update means one run", async () => {
  const { pythonEngine } = await import("../../../src/engines/python/engine.ts");
  const { createHost } = await import("../../../src/host/host.ts");
  const { DEFAULT_LIMITS } = await import("../../../src/host/limits.ts");
  const files = new Map([[
    "main.py",
    new TextEncoder().encode(
      "import sys\nn = 0\ndef update():\n    global n\n    n += 1\n    print('frame', n)\n" +
        "    if n == 3: sys.exit(5)\n",
    ),
  ]]);
  const program = await pythonEngine.load(files.get("main.py")!, { path: "main.py", files });
  let out = "";
  const ended: number[] = [];
  const result = await pythonEngine.run(
    program,
    createHost({ stdout: (t) => (out += t), cartFiles: files }),
    DEFAULT_LIMITS,
    { frameLoop: { frames: 10, beginFrame: () => {}, endFrame: (f) => void ended.push(f) } },
  );
  assertEquals(result.exitCode, 5);
  assertEquals(out, "frame 1\nframe 2\nframe 3\n");
  assertEquals(ended, [0, 1, 2]);
  // Without a frame loop, update is not called.
  const once = await runPython({ "main.py": "def update():\n    print('no')\nprint('once')\n" });
  assertEquals(once.out, "once\n");
});
