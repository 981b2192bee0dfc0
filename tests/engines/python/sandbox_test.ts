import { join } from "node:path";
import { realRoot } from "../../../src/host/fs_access.ts";
import { NO_GRANT } from "../../../src/host/grant.ts";
import type { DrawOp } from "../../../src/host/gfx_sink.ts";
import { PxosError } from "../../../src/errors.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { runPython } from "./helpers.ts";

Deno.test("print, input and sys.exit map to the console and the exit code", async () => {
  const lines = ["Ada", "Grace"];
  const run = await runPython({
    "main.py": [
      "import sys",
      "first = input('name? ')",
      "second = sys.stdin.readline().strip()",
      "print(f'hi {first} and {second}', end='!\\n')",
      "print('to stderr', file=sys.stderr)",
      "print(repr(input()) if False else 'eof:', repr(sys.stdin.readline()))",
      "sys.exit(7)",
    ].join("\n"),
  }, { readLine: () => lines.shift() ?? null });
  assert(run.error === undefined, String(run.error));
  assertEquals(run.result?.exitCode, 7);
  assertEquals(run.out, "name? hi Ada and Grace!\neof: ''\n");
  assertEquals(run.err, "to stderr\n");
});

Deno.test("time and random are virtual and seeded without grants: runs repeat exactly", async () => {
  const program = {
    "main.py": [
      "import time, random, os, secrets",
      "print(time.time(), time.monotonic() < 1, random.random(), os.urandom(4).hex(), secrets.randbelow(1000))",
    ].join("\n"),
  };
  const seed = new Uint8Array([1, 2, 3]);
  const a = await runPython(program, { seed });
  const b = await runPython(program, { seed });
  const c = await runPython(program, { seed: new Uint8Array([9]) });
  assert(a.error === undefined, String(a.error));
  assertEquals(a.out, b.out);
  assert(a.out !== c.out, "another seed gives other numbers");
  assertMatch(a.out, /^946684800\.00\d+ True 0\.\d+ [0-9a-f]{8} \d+\n$/);
  assert(a.audit.some((e) => e.call === "random.bytes" && !e.allowed), "virtual sources audited");
});

Deno.test("files: /cart is read-only, granted folders go through the host's checks and audit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "data"));
    await Deno.mkdir(join(dir, "saves"));
    await Deno.writeTextFile(join(dir, "data", "in.txt"), "host data\n");
    await Deno.writeTextFile(join(dir, "secret.txt"), "not granted\n");
    const run = await runPython({
      "main.py": [
        "import errno, os",
        "print(open('data/in.txt').read().strip(), os.listdir('data'), os.path.isdir('data'))",
        "with open('saves/out.txt', 'w') as f: f.write('written by python')",
        "with open('saves/out.txt', 'a') as f: f.write('!')",
        "print(sorted(os.listdir('/cart')), open('/cart/main.py').readline().strip())",
        "for path in ['secret.txt', '/etc/passwd', '../outside.txt']:",
        "    try: open(path).read(); print('read', path)",
        "    except PermissionError as e: print('refused', path)",
        "try: open('/cart/new.txt', 'w')",
        "except OSError as e: print('cart is read-only:', e.errno in (errno.EROFS, errno.EACCES))",
        "with open('saves/x.txt', 'w+') as f: f.write('rw'); f.seek(0); print('w+', f.read())",
      ].join("\n"),
    }, { grant: { ...NO_GRANT, read: ["data"], write: ["saves"] }, root: await realRoot(dir) });
    assert(run.error === undefined, `${run.error}\n${run.err}`);
    assertEquals(
      run.out,
      "host data ['in.txt'] True\n['main.py'] import errno, os\nrefused secret.txt\nrefused /etc/passwd\n" +
        "refused ../outside.txt\ncart is read-only: True\nw+ rw\n",
    );
    assertEquals(await Deno.readTextFile(join(dir, "saves", "out.txt")), "written by python!");
    const reads = run.audit.filter((e) => e.call === "fs.readBytes");
    assert(reads.some((e) => e.allowed && e.target.includes("in.txt")), "allowed read audited");
    for (const refused of ["secret.txt", "etc", "outside.txt"]) {
      assert(
        run.audit.some((e) => e.call === "fs.stat" && !e.allowed && e.target === refused),
        `refused look-up of ${refused} audited`,
      );
    }
    assert(run.audit.some((e) => e.call === "fs.writeBytes" && e.allowed), "write audited");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("no route to JavaScript is importable; urllib reaches only granted hosts, sockets none", async () => {
  const run = await runPython({
    "main.py": [
      "import sys, urllib.request",
      "for name in ['js', 'pyodide_js', 'pyodide', 'pyodide.ffi', '_pyodide_core', 'micropip']:",
      "    try: __import__(name); print('imported', name)",
      "    except ImportError: print('no', name)",
      "print([m for m in sys.modules if m.split('.')[0] in ('js', 'pyodide', 'pyodide_js', '_pyodide')])",
      "try: urllib.request.urlopen('http://example.com/')",
      "except PermissionError as e: print('net refused')",
      "import http.client, socket",
      "try: http.client.HTTPConnection('example.com').request('GET', '/')",
      "except PermissionError: print('socket refused')",
    ].join("\n"),
  });
  assert(run.error === undefined, `${run.error}\n${run.err}`);
  assertEquals(
    run.out,
    "no js\nno pyodide_js\nno pyodide\nno pyodide.ffi\nno _pyodide_core\nno micropip\n[]\n" +
      "net refused\nsocket refused\n",
  );
  assert(run.audit.some((e) => e.call === "net.fetch" && !e.allowed), "refusal audited");
});

Deno.test("the pxos module draws through the host table", async () => {
  const ops: DrawOp[] = [];
  let frames = 0;
  const run = await runPython({
    "main.py": [
      "import pxos",
      "pxos.gfx_canvas(32, 16)",
      "pxos.gfx_layerNew('bg', 0)",
      "pxos.gfx_clear(pxos.rgba(1, 2, 3))",
      "pxos.gfx_rect(1, 2, 3, 4, 0xff0000ff)",
      "pxos.gfx_present()",
      "print(pxos.cart_read('main.py')[:11], len(pxos.cart_files()))",
      "try: pxos.gfx_rect(1, 2)",
      "except TypeError as e: print(e)",
    ].join("\n"),
  }, { gfx: { draw: (op) => ops.push(op), present: () => void frames++ } });
  assert(run.error === undefined, `${run.error}\n${run.err}`);
  assertEquals(run.out, "b'import pxos' 1\npxos.gfx_rect() takes 5 arguments, got 2\n");
  assertEquals(frames, 1);
  assertEquals(ops.map((o) => o.op), ["canvas", "layerNew", "clear", "rect"]);
});

Deno.test("limits: deadline (KeyboardInterrupt), memory cap and fuel when asked", async () => {
  const spin = await runPython({ "main.py": "while True:\n    pass\n" }, {
    limits: { timeoutMs: 300 },
  });
  assert(spin.error instanceof PxosError && spin.error.code === "E_TIMEOUT", String(spin.error));
  const hog = await runPython({ "main.py": "x = []\nwhile True: x.append(bytearray(1 << 20))\n" }, {
    limits: { memoryBytes: 16 << 20 },
  });
  assert(hog.error instanceof PxosError && hog.error.code === "E_MEMORY", String(hog.error));
  const loop = "i = 0\nwhile True:\n    i += 1\n";
  const fuel = await runPython({ "main.py": loop }, { limits: { fuel: 5000, timeoutMs: 5000 } });
  assert(fuel.error instanceof PxosError && fuel.error.code === "E_FUEL", String(fuel.error));
  const counted = await runPython({ "main.py": "x = sum(range(10))\n" }, { flags: { fuel: true } });
  assert((counted.result?.fuelUsed ?? 0) > 3, `fuel counted: ${counted.result?.fuelUsed}`);
  const after = await runPython({ "main.py": "print('fine')\n" });
  assertEquals(after.out, "fine\n");
});

Deno.test("manifest python requirements are checked before the program starts", async () => {
  const manifest = (python: unknown) => JSON.stringify({ name: "t", python });
  const tooNew = await runPython({
    "pxos.json": manifest({ python_min: "3.99" }),
    "main.py": "print('ran')\n",
  });
  assert(tooNew.error instanceof PxosError && tooNew.error.code === "E_RUNTIME");
  assertMatch(tooNew.error.message, /needs Python 3\.99 or newer; this engine runs Python 3\.14/);
  const missing = await runPython({
    "pxos.json": manifest({ required_packages: ["json", "vendored", "nope_a", "nope_b"] }),
    "vendor/vendored/__init__.py": "",
    "main.py": "print('ran')\n",
  });
  assert(missing.error instanceof PxosError && missing.error.code === "E_RUNTIME");
  assertMatch(missing.error.message, /neither bundled .* nor vendored .*: nope_a, nope_b$/);
  const seedSpelling = await runPython({
    "pxos.json": JSON.stringify({ name: "t", python_min: "3.99" }),
    "main.py": "print('ran')\n",
  });
  assert(seedSpelling.error instanceof PxosError && seedSpelling.error.code === "E_RUNTIME");
  assertMatch(seedSpelling.error.message, /needs Python 3\.99 or newer/);
  assertEquals(missing.out + tooNew.out + seedSpelling.out, "");
});

Deno.test("asyncio.run works without JavaScript's event loop (timers wait with time.sleep)", async () => {
  const run = await runPython({
    "main.py": [
      "import asyncio",
      "async def job(i):",
      "    await asyncio.sleep(0.005 * (3 - i))",
      "    return i * i",
      "async def main():",
      "    return await asyncio.gather(*(job(i) for i in range(3)))",
      "print(asyncio.run(main()), asyncio.run(main()))",
    ].join("\n"),
  });
  assert(run.error === undefined, `${run.error}\n${run.err}`);
  assertEquals(run.out, "[0, 1, 4] [0, 1, 4]\n");
});
