/**
 * A played Python program: update() runs once per frame. (examples/python-play's record and
 * byte-exact replay through the CLI is in tests/cli/play_test.ts, with every engine's example.)
 */
import { pythonEngine } from "../../../src/engines/python/engine.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assertEquals } from "../../assert.ts";
import { runPython } from "./helpers.ts";

Deno.test("update: sys.exit in a frame ends the run with its code; no update means one run", async () => {
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
