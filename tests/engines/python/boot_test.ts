/**
 * Python cartridges booted whole: the examples from their cartridges, and in the sandbox Worker
 * the two layers (no JavaScript module for the guest; Deno's permissions when a guest reaches
 * JavaScript anyway) and the hard stop of a guest that ignores the deadline.
 */
import { join } from "node:path";
import { collectDirectory } from "../../../src/archive/directory.ts";
import { openCartridge, packCartridge } from "../../../src/archive/cartridge.ts";
import { bootCartridge } from "../../../src/boot/boot.ts";
import { compileSources } from "../../../src/boot/compile_sources.ts";
import { snapshotPath } from "../../../src/boot/python_runtime.ts";
import { bootSandboxed } from "../../../src/boot/sandbox.ts";
import type { DrawOp } from "../../../src/host/gfx_sink.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { makeCartridge } from "../../boot/helpers.ts";
import "./helpers.ts";

const examples = new URL("../../../examples/", import.meta.url).pathname;

async function exampleCartridge(name: string, stripSource = false) {
  const files = await compileSources(await collectDirectory(join(examples, name)), {
    stripSource,
  });
  const { png } = await packCartridge(files);
  return await openCartridge(png, { name: `${name}.pxa` });
}

Deno.test("python-hello boots from its cartridge (source kept beside the bytecode)", async () => {
  const cart = await exampleCartridge("python-hello");
  assertEquals(cart.manifest.entry, "main.pyc");
  let out = "";
  const result = await bootCartridge(cart, { stdout: (t) => (out += t) });
  assertEquals(result.exitCode, 0);
  const cached = await Deno.stat(snapshotPath()!);
  assert(cached.size > 1 << 20, "the first start made the snapshot in the (fresh) cache");
  assertEquals(
    out,
    "Hello, pixels, from a pixel cartridge!\nHello, Python, from a pixel cartridge!\n" +
      "main module: /cart/main.pyc\nPython 3.14\n",
  );
});

Deno.test("python-repo boots from bytecode only: every import from the archive", async () => {
  const cart = await exampleCartridge("python-repo", true);
  const paths = cart.archive.entries.map((e) => e.path);
  assert(!paths.some((p) => p.endsWith(".py")), `no sources: ${paths}`);
  let out = "";
  const result = await bootCartridge(cart, { stdout: (t) => (out += t) });
  assertEquals(result.exitCode, 0);
  assertMatch(out, /^inventory 1\.0: 3 items\n/);
  assertMatch(out, /total +57\.48\n/);
  assertMatch(
    out,
    /modules from the archive: inventory\/__init__\.pyc, inventory\/__main__\.pyc, inventory\/models\.pyc, inventory\/report\/__init__\.pyc, inventory\/report\/table\.pyc\n$/,
  );
});

Deno.test("python-draw presents frames through the pxos module", async () => {
  const ops: DrawOp[] = [];
  let frames = 0;
  let out = "";
  const result = await bootCartridge(await exampleCartridge("python-draw"), {
    stdout: (t) => (out += t),
    gfx: { draw: (op) => ops.push(op), present: () => void frames++ },
  });
  assertEquals(result.exitCode, 0);
  assertEquals(frames, 4);
  assert(ops.some((o) => o.op === "circle"), "the ball is drawn");
  assertMatch(out, /^frame 0: ball at \(20, 84\)\n/);
});

const ESCAPE = [
  "import gc",
  "try:",
  "    import js",
  "except ImportError:",
  "    print('layer 1: no js module')",
  "# A determined guest walks the interpreter's objects to a JavaScript one anyway:",
  "finder = next(o for o in gc.get_objects() if type(o).__name__ == 'JsFinder')",
  "Function = finder.jsproxies['pyodide_js'].constructor.constructor",
  "print('reached JavaScript:', Function('return typeof Deno')())",
  "try:",
  "    print(Function(\"return Deno.readTextFileSync('/etc/hostname')\")())",
  "except Exception as e:",
  "    print('layer 2:', 'NotCapable' in str(e) or 'PermissionDenied' in str(e))",
].join("\n");

Deno.test("sandbox: no js module (layer 1), and Deno's permissions hold when a guest reaches JavaScript (layer 2)", async () => {
  const cart = await makeCartridge({ entry: "main.py" }, { "main.py": ESCAPE });
  let out = "";
  const result = await bootSandboxed(cart, { stdout: (t) => (out += t), stderr: () => {} });
  assertEquals(result.exitCode, 0);
  assertEquals(out, "layer 1: no js module\nreached JavaScript: object\nlayer 2: True\n");
});

Deno.test("pxos boot: a guest that swallows KeyboardInterrupt is ended with exit 124", async () => {
  // Its own process, as pxos boot runs: the stuck Worker thread only ends with the process.
  const encoder = new TextEncoder();
  const manifest = {
    name: "swallow",
    version: "1.0.0",
    entry: "main.py",
    limits: { timeoutMs: 300 },
  };
  const { png } = await packCartridge([
    { path: "pxos.json", data: encoder.encode(JSON.stringify(manifest)) },
    {
      path: "main.py",
      data: encoder.encode(
        "while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt:\n" +
          "        print('interrupted, ignoring it')\n",
      ),
    },
  ]);
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "swallow.pxa");
    await Deno.writeFile(file, png);
    const cli = new URL("../../../cli.ts", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--unstable-worker-options", "--allow-read", "--allow-write", "--allow-env"]
        .concat([cli, "boot", file]),
      env: { PXOS_WORKER_OPTIONS: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 124, stderr);
    assertMatch(stderr, /E_TIMEOUT/);
    assertMatch(new TextDecoder().decode(out.stdout), /^interrupted, ignoring it\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
