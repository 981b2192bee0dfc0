import { capturedIO } from "../../../src/cli/io.ts";
import { runCli } from "../../../src/cli/main.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";

const EXAMPLES = new URL("../../../examples/", import.meta.url).pathname;

async function withSource(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/prog.pxasm`, text);
    await fn(`${dir}/prog.pxasm`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("pxos run assembles source on the fly and prints the program's output", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["run", `${EXAMPLES}countdown/main.pxasm`], io), 0);
  assertEquals(io.stdout, "5\n4\n3\n2\n1\n");
  assertEquals(io.stderr, "");
});

Deno.test("pxos run resolves imports from the files next to the program", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["run", `${EXAMPLES}modules/main.pxasm`], io), 0);
  assertMatch(io.stdout, /^math module loaded\n49\n27\n/);
});

Deno.test("pxos run exits with the program's exit code", async () => {
  await withSource("PUSH 7\nHOST_CALL exit\n", async (path) => {
    assertEquals(await runCli(["run", path], capturedIO()), 7);
  });
});

Deno.test("pxos run --trace prints one line per instruction to stderr", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["run", `${EXAMPLES}countdown/main.pxasm`, "--trace"], io), 0);
  const lines = io.stderr.trim().split("\n");
  assertEquals(lines.length, 32);
  assertMatch(lines[0], /^\s*0\s+PUSH 5\s+\[\]$/);
  assertMatch(lines[6], /^\s+14\s+JNZ loop\s+\[4 4\]$/); // the user's label, not L_5
  assertEquals(io.stdout, "5\n4\n3\n2\n1\n");
});

Deno.test("pxos run --profile prints opcode and label counts, hottest first; --json too", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["run", `${EXAMPLES}countdown/main.pxasm`, "--profile"], io), 0);
  assertMatch(io.stderr, /profile: 32 instructions\nopcodes:\n {2}DUP\s+10\n/);
  assertMatch(io.stderr, /labels:\n {2}loop\s+31\n {2}\(entry\)\s+1\n/);
  const json = capturedIO();
  assertEquals(await runCli(["run", `${EXAMPLES}fib/main.pxasm`, "--profile", "--json"], json), 0);
  const report = JSON.parse(json.stderr);
  const ops = report.profile[0].rows as { name: string; count: number }[];
  assertEquals(report.profile.map((s: { title: string }) => s.title), ["opcodes", "labels"]);
  assert(ops.every((r, i) => i === 0 || ops[i - 1].count >= r.count), "sorted hottest first");
  assertEquals(ops.reduce((n, r) => n + r.count, 0), report.fuelUsed);
});

Deno.test("pxos run --fuel and --timeout stop runaway programs (exit 2 and 124)", async () => {
  await withSource("l: JMP l\n", async (path) => {
    const io = capturedIO();
    assertEquals(await runCli(["run", path, "--fuel", "1000"], io), 2);
    assertMatch(io.stderr, /\[E_FUEL\]/);
    const io2 = capturedIO();
    assertEquals(
      await runCli(["run", path, "--fuel", "1000000000000", "--timeout", "50"], io2),
      124,
    );
    assertMatch(io2.stderr, /\[E_TIMEOUT\]/);
  });
});

Deno.test("pxos run: traps are one clean line with pc and op; bad options are usage errors", async () => {
  await withSource("PUSH 1\nPUSH 0\nDIV\nHALT\n", async (path) => {
    const io = capturedIO();
    assertEquals(await runCli(["run", path], io), 2);
    assertMatch(io.stderr, /\[E_TRAP\]: .*trap at pc 10 \(DIV\): division by zero\n$/);
    const io2 = capturedIO();
    assertEquals(await runCli(["run", path, "--fuel", "lots"], io2), 1);
    assertMatch(io2.stderr, /--fuel expects an integer from 1 to/);
    const io3 = capturedIO();
    assertEquals(await runCli(["run", path, "--flag", "bad name"], io3), 1);
  });
});

Deno.test("pxos run reads lines from the IO's input and passes --flag values through", async () => {
  const src = "PUSH 0\nPUSH 20\nHOST_CALL read_line\nPUSH 0\nSWAP\nHOST_CALL write_str\nHALT\n";
  await withSource(src, async (path) => {
    const io = Object.assign(capturedIO(), { readLine: () => "typed" });
    assertEquals(await runCli(["run", path, "--flag", "strict", "--flag", "n=3"], io), 0);
    assertEquals(io.stdout, "typed");
  });
});
