/**
 * The wasm examples as cartridges, end to end: `pxos pack` then `pxos boot` (through the sandbox
 * Worker), plus the deadline and `pxos run … -- args`.
 */
import { join } from "node:path";
import { packCartridge } from "../../../src/archive/cartridge.ts";
import { capturedIO } from "../../../src/cli/io.ts";
import { runCli } from "../../../src/cli/main.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { buildModule } from "./helpers.ts";

const examples = new URL("../../../examples/", import.meta.url).pathname;

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function packed(dir: string, name: string): Promise<string> {
  const out = join(dir, `${name}.pxa`);
  const { code, stderr } = await cli("pack", `${examples}${name}`, "-o", out, "-q");
  assertEquals(code, 0, stderr);
  return out;
}

Deno.test("wasm boot: hello and rust cartridges boot with their manifest args", async () => {
  const dir = await Deno.makeTempDir();
  const hello = await cli("boot", await packed(dir, "wasm-hello"), "--root", dir);
  assertEquals(hello.code, 3, hello.stderr);
  assertMatch(hello.stdout, /argv\[1\] = from-the-manifest\n/);
  assertMatch(hello.stdout, /cart says: Pixels are storage/);
  Deno.env.set("HELLO_NAME", "Ada");
  const denied = await cli("boot", join(dir, "wasm-hello.pxa"), "--root", dir);
  assertMatch(denied.stdout, /^Hello from C on pxOS!\n/);
  const granted = await cli(
    "boot",
    join(dir, "wasm-hello.pxa"),
    "--root",
    dir,
    "--allow-env",
    "--",
    "x",
  );
  assertMatch(granted.stdout, /^Hello from C on Ada!\nargv\[0\] = main.wasm\nargv\[1\] = x\n/);
  const rust = await cli(
    "boot",
    await packed(dir, "wasm-rust"),
    "--root",
    dir,
    "--frames",
    join(dir, "rf"),
  );
  assertEquals(rust.code, 5, rust.stderr);
  assertMatch(rust.stdout, /Hello from Rust std on pxOS!/);
  assert((await Deno.stat(join(dir, "rf", "frame-0001.png"))).isFile);
});

Deno.test("wasm boot: grep reads the granted input and writes the granted report, audited", async () => {
  const dir = await Deno.makeTempDir();
  const cart = await packed(dir, "wasm-grep");
  await Deno.mkdir(join(dir, "input"));
  await Deno.writeTextFile(join(dir, "input", "x.txt"), "one pixel\ntwo\nthree pixels\n");
  const audit = join(dir, "audit.jsonl");
  const run = await cli("boot", cart, "--root", dir, "--yes", "--audit", audit);
  assertEquals(run.code, 0, run.stderr);
  assertMatch(run.stdout, /2 matching lines for "pixel" in 1 files/);
  assertMatch(run.stdout, /\/etc\/passwd: refused/);
  const report = await Deno.readTextFile(join(dir, "report", "matches.txt"));
  assertEquals(report.split("\n")[0], "x.txt:1: one pixel");
  const entries = (await Deno.readTextFile(audit)).trim().split("\n").map((l) => JSON.parse(l));
  assert(entries.some((e) => e.call === "fs.readBytes" && e.target === "input/x.txt" && e.allowed));
  // Without the write grant the report cannot be opened: the program says so and exits 2.
  const denied = await cli("boot", cart, "--root", dir, "--allow-read=./input", "--deny-write");
  assertEquals(denied.code, 2, denied.stdout + denied.stderr);
});

Deno.test("wasm boot: life draws one PNG frame per generation through the pxos imports", async () => {
  const dir = await Deno.makeTempDir();
  const frames = join(dir, "frames");
  const run = await cli("boot", await packed(dir, "wasm-life"), "--root", dir, "--frames", frames);
  assertEquals(run.code, 0, run.stderr);
  const names = [...Deno.readDirSync(frames)].map((e) => e.name).sort();
  assertEquals(names.length, 24);
  assertEquals(names[0], "frame-0001.png");
});

Deno.test("wasm boot: an endless loop ends at the deadline (124) or with E_FUEL", async () => {
  const dir = await Deno.makeTempDir();
  const wasm = buildModule({ funcs: [{ body: [0x03, 0x40, 0x0c, 0x00, 0x0b], export: "_start" }] });
  const manifest = { name: "spin", version: "1.0.0", entry: "spin.wasm" };
  const { png } = await packCartridge([
    { path: "pxos.json", data: new TextEncoder().encode(JSON.stringify(manifest)) },
    { path: "spin.wasm", data: wasm },
  ]);
  await Deno.writeFile(join(dir, "spin.pxa"), png);
  // Fuel enough for hours, so the deadline is what stops it (1e9, the default, can run out first).
  const timeout = await cli(
    "boot",
    join(dir, "spin.pxa"),
    "--root",
    dir,
    "--timeout",
    "300",
    "--fuel",
    String(1e15),
  );
  assertEquals(timeout.code, 124, timeout.stderr);
  const fuel = await cli("boot", join(dir, "spin.pxa"), "--root", dir, "--fuel", "100000");
  assertMatch(fuel.stderr, /E_FUEL/);
  await Deno.writeFile(join(dir, "spin.wasm"), wasm);
  const bare = await cli("run", join(dir, "spin.wasm"), "--fuel", "1000");
  assertMatch(bare.stderr, /E_FUEL/);
});

Deno.test("wasm run: arguments after -- reach argv", async () => {
  const run = await cli("run", `${examples}wasm-hello/main.wasm`, "--", "a b", "--fuel");
  assertEquals(run.code, 3, run.stderr);
  assertMatch(run.stdout, /argv\[1\] = a b\nargv\[2\] = --fuel\n/);
});
