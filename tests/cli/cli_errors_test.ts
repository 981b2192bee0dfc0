import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

Deno.test("--json on a failing command prints a JSON error on stdout and the line on stderr", async () => {
  const r = await cli("ls", "no-such-cart.pxa", "--json");
  assertEquals(r.code, 2);
  const { error } = JSON.parse(r.stdout);
  assertEquals(error.code, "E_IO");
  assertEquals(error.file, "no-such-cart.pxa");
  assertMatch(error.message, /cannot read input: no such file/);
  assertEquals(r.stderr, `error [E_IO]: ${error.message}\n`);
  // Without --json, stdout stays empty.
  assertEquals((await cli("ls", "no-such-cart.pxa")).stdout, "");
});

Deno.test("an unknown command or option gets the error [E_USAGE] form, exit 1", async () => {
  const command = await cli("frobnicate");
  assertEquals(command.code, 1);
  assertMatch(
    command.stderr,
    /^error \[E_USAGE\]: unknown command "frobnicate"; expected one of boot, /,
  );
  assertEquals(command.stderr.trim().split("\n").length, 1);
  const option = await cli("ls", "--bogus", "x.pxa");
  assertEquals(option.code, 1);
  assertMatch(
    option.stderr,
    /^error \[E_USAGE\]: pxos ls: unknown option --bogus; expected one of /,
  );
  const json = await cli("frobnicate", "--json");
  assertEquals(JSON.parse(json.stdout).error.code, "E_USAGE");
});

Deno.test("render without -o writes next to the input", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const scene = join(dir, "desk.pxterm");
    await Deno.writeTextFile(scene, "CANVAS 4 2\nCLEAR 0 255 0\n");
    const r = await cli("render", scene, "--renderer", "cpu");
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stdout, /wrote .*desk\.png \(4x2/);
    assert((await Deno.stat(join(dir, "desk.png"))).size > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const CLI = new URL("../../cli.ts", import.meta.url).href;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/** Runs `pxos args` in a child process, reads `keep` bytes of stdout, then closes the pipe. */
async function readThenClose(args: string[], keep: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--config", CONFIG, CLI, ...args],
    env: { NO_COLOR: "1", PXOS_WORKER_OPTIONS: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  let got = 0;
  while (got < keep) {
    const chunk = await reader.read();
    if (chunk.done) break;
    got += chunk.value.length;
  }
  await reader.cancel();
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  return { code: status.code, stderr, got };
}

Deno.test("a closed pipe ends quietly: pxos run prog | head, pxos ls | head, pxos boot | head", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const prog = join(dir, "loop.poh");
    await Deno.writeTextFile(
      prog,
      "Set i to 0\nRepeat 200000 times\n    Write i\n    Set i to i plus 1\nEnd\n",
    );
    const run = await readThenClose(["run", prog], 16);
    assert(run.got >= 16);
    assertEquals(run.code, 0, run.stderr);
    assert(!run.stderr.includes("internal error"), run.stderr);

    await Deno.writeTextFile(
      join(dir, "pxos.json"),
      JSON.stringify({ name: "many", version: "1.0.0", entry: "loop.poh" }),
    );
    for (let i = 0; i < 3000; i++) {
      await Deno.writeTextFile(join(dir, `f${i}-${"x".repeat(60)}.txt`), "");
    }
    const cart = join(dir, "many.pxa");
    assertEquals((await cli("pack", dir, "-o", cart)).code, 0);
    const ls = await readThenClose(["ls", cart], 1);
    assertEquals(ls.code, 0, ls.stderr);
    assertEquals(ls.stderr, "");

    // boot: the sandbox process is stopped, not left writing into a pipe nobody reads.
    const endless = join(dir, "endless");
    await Deno.mkdir(endless);
    await Deno.writeTextFile(join(endless, "main.poh"), 'While 1 < 2\n  Write "x"\nEnd\n');
    await Deno.writeTextFile(
      join(endless, "pxos.json"),
      JSON.stringify({ name: "endless", version: "1.0.0", entry: "main.poh" }),
    );
    const started = Date.now();
    const boot = await readThenClose(["boot", endless, "--timeout", "60000"], 1);
    assertEquals(boot.code, 0, boot.stderr);
    assertEquals(boot.stderr, "");
    assert(Date.now() - started < 30_000, "the guest ran on after its reader went");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
