/**
 * Headless play, record and replay through the CLI, for every engine's played example: a run
 * with scripted input writes a recording, frame digests and a WAV; `pxos replay` of the
 * recording gives the same digests, sound and output byte for byte, and a run without the input
 * gives different frames (so the comparison can fail).
 */
import { join } from "node:path";
import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { assert, assertEquals, assertMatch, assertNotEquals } from "../assert.ts";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

/** Each played example, the input script it gets, and what its output must show. */
const PLAYED: { name: string; script: string; out: RegExp }[] = [
  {
    name: "poh-game",
    script: "frames 24\n2 p1 left\n6 p1 right x\n10 p1 -\n",
    out: /^ready\n$/,
  },
  {
    name: "pxvm-play",
    script: "frames 12\n1 p1 right down\n6 p1 x left\n9 p1 -\n",
    out: /^pxvm-play: ready\n$/,
  },
  {
    name: "wasm-play",
    script: "frames 60\n0 p1 right\n50 p1 left x\n56 p1 -\n",
    out: /^wasm-play: ready\nscore 1 at frame 4\d\n$/,
  },
  {
    name: "wasm4-game",
    script: "frames 90\n0 p1 right\n30 p1 x\n32 p1 left\n70 p1 x\n72 p1 -\n",
    out: /^wasm4-game: best 0\n/,
  },
  {
    name: "python-play",
    script: "frames 90\n0 p1 left\n20 p1 right x\n60 p1 -\n",
    out: /^python-play: ready\n$/,
  },
  {
    name: "pixelvm-play",
    script: "frames 8\n1 p1 left\n3 p1 right\n5 p1 -\n",
    out: /^pixelvm-play: ready\n1\nleft\n2\nleft\n3\nright\n4\nright\n$/,
  },
];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

for (const { name, script, out } of PLAYED) {
  Deno.test(`${name}: a played run replays byte for byte`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const cart = join(dir, `${name}.pxa`);
      const packed = await run(["pack", join(EXAMPLES, name), "-o", cart, "--compile", "-q"]);
      assertEquals(packed.code, 0, packed.err);
      await Deno.writeTextFile(join(dir, "in.pxin"), script);
      const p = (f: string) => join(dir, f);
      const first = await run([
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
        "--frames",
        p("fa"),
      ]);
      assertEquals(first.code, 0, first.err);
      assertMatch(first.out, out);
      const frames = Number(/^frames (\d+)$/m.exec(script)![1]);
      const digests = (await Deno.readTextFile(p("a.txt"))).trim().split("\n");
      // Every frame has its line (numbered), then the sound's.
      assertEquals(digests.length, frames + 1);
      digests.slice(0, frames).forEach((line, i) =>
        assertMatch(line, new RegExp(`^${i} [0-9a-f]{64}$`))
      );
      assertMatch(digests[frames], /^sound [0-9a-f]{64}$/);

      const again = await run([
        "replay",
        cart,
        p("rec.pxin"),
        "--frame-digests",
        p("b.txt"),
        "--wav",
        p("b.wav"),
        "--frames",
        p("fb"),
      ]);
      assertEquals(again.code, 0, again.err);
      assertEquals(again.out, first.out);
      assertEquals(await Deno.readTextFile(p("b.txt")), await Deno.readTextFile(p("a.txt")));
      assertEquals(await Deno.readFile(p("b.wav")), await Deno.readFile(p("a.wav")));

      // Without the input the run differs: the digests see what the input did.
      const idle = await run([
        "boot",
        cart,
        "--frames",
        String(frames),
        "--frame-digests",
        p("c.txt"),
      ]);
      assertEquals(idle.code, 0, idle.err);
      if (name === "pixelvm-play") {
        assertNotEquals(idle.out, first.out); // PixelVM plays in text: its output differs
      } else {
        assertNotEquals(await Deno.readTextFile(p("c.txt")), await Deno.readTextFile(p("a.txt")));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("--input without a frame count is a usage error naming what is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "in.pxin"), "0 p1 x\n");
    const r = await run([
      "run",
      join(EXAMPLES, "pxvm-play/main.pxvmasm"),
      "--input",
      join(dir, "in.pxin"),
    ]);
    assertEquals(r.code, 1, r.err);
    assertMatch(r.err, /expected --frames N/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a malformed .pxin line is refused with file:line:col", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "bad.pxin"), "frames 3\n1 p1 jump\n");
    const r = await run([
      "run",
      join(EXAMPLES, "pxvm-play/main.pxvmasm"),
      "--input",
      join(dir, "bad.pxin"),
    ]);
    assert(r.code !== 0);
    assertMatch(r.err, /bad\.pxin:2:6: expected one of x, z, left, right, up, down, found "jump"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
