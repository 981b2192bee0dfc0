/**
 * `pxos run` takes `boot`'s permission options: for a bare program the options are the request,
 * for a project folder the manifest asks and the options answer.
 */
import { join } from "node:path";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A Poh program that tries each action and prints "ok" or "no …" per line. */
function tries(actions: string[]): string {
  const body = actions.map((a) =>
    `try this:\n  ${a}\n  Write "ok"\nif error as e\n  Write "no " plus e\nend try`
  ).join("\n");
  return `Start Program\n${body}\nEnd Program\n`;
}

const ACTIONS = [
  'Write read file at "data/a.txt"',
  'Write read file at "secret.txt"',
  'write "x" to file at "out/new.txt"',
];

/** Outcome per action: "ok" lines and the first word of refusals. */
function outcomes(stdout: string): string[] {
  return stdout.trim().split("\n").filter((l) => l === "ok" || l.startsWith("no "))
    .map((l) => (l === "ok" ? "ok" : "no"));
}

async function withRoot(f: (root: string, prog: string) => Promise<void>): Promise<void> {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(join(root, "data"));
    await Deno.writeTextFile(join(root, "data", "a.txt"), "alpha");
    await Deno.writeTextFile(join(root, "secret.txt"), "secret");
    const prog = join(root, "prog", "main.poh");
    await Deno.mkdir(join(root, "prog"));
    await Deno.writeTextFile(prog, tries(ACTIONS));
    await f(root, prog);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("a bare program gets nothing unless the options name it", async () => {
  await withRoot(async (root, prog) => {
    const r = await cli("run", prog, "--root", root);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(outcomes(r.stdout), ["no", "no", "no"]);
    assertEquals(r.stderr, ""); // nothing asked, nothing to say
  });
});

Deno.test("run --allow-read=./data grants ./data relative to --root, and only that", async () => {
  await withRoot(async (root, prog) => {
    const r = await cli("run", prog, "--root", root, "--allow-read=./data");
    assertEquals(r.code, 0, r.stderr);
    assertEquals(outcomes(r.stdout), ["ok", "no", "no"]);
    assertMatch(r.stdout, /alpha/);
    assertMatch(r.stderr, /# granted: read \.\/data/);
  });
});

Deno.test("run --allow-write creates the granted folder; a bare --allow-read is the whole root", async () => {
  await withRoot(async (root, prog) => {
    const r = await cli("run", prog, "--root", root, "--allow-read", "--allow-write=out");
    assertEquals(r.code, 0, r.stderr);
    assertEquals(outcomes(r.stdout), ["ok", "ok", "ok"]);
    assertEquals(await Deno.readTextFile(join(root, "out", "new.txt")), "x");
  });
});

Deno.test("run --deny-read wins over --allow-read, and --audit records each checked call", async () => {
  await withRoot(async (root, prog) => {
    const audit = join(root, "audit.jsonl");
    const r = await cli(
      "run",
      prog,
      "--root",
      root,
      "--allow-read",
      "--deny-read=secret.txt",
      "--audit",
      audit,
    );
    assertEquals(r.code, 0, r.stderr);
    assertEquals(outcomes(r.stdout), ["ok", "no", "no"]);
    const lines = (await Deno.readTextFile(audit)).trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(lines[0].call, "run.grant");
    const reads = lines.filter((l) => l.call.startsWith("fs."));
    assert(
      reads.some((l) => l.target === "data/a.txt" && l.allowed === true),
      JSON.stringify(lines),
    );
    assert(
      reads.some((l) => l.target === "secret.txt" && l.allowed === false),
      JSON.stringify(lines),
    );
  });
});

Deno.test("run refuses options that cannot be a request: an absolute path, hosts unnamed", async () => {
  await withRoot(async (root, prog) => {
    const abs = await cli("run", prog, "--root", root, "--allow-read=/etc");
    assertEquals(abs.code, 1);
    assertMatch(abs.stderr, /E_USAGE.*--allow-read: .*absolute/);
    const net = await cli("run", prog, "--allow-net");
    assertEquals(net.code, 1);
    assertMatch(net.stderr, /E_USAGE.*name them, e\.g\. --allow-net=127\.0\.0\.1:8080/);
  });
});

Deno.test("run <dir> runs a project: the manifest asks, the options answer", async () => {
  await withRoot(async (root) => {
    const dir = join(root, "prog");
    await Deno.writeTextFile(
      join(dir, "pxos.json"),
      JSON.stringify({
        name: "reader",
        version: "1.0.0",
        entry: "main.poh",
        permissions: { read: ["data", "secret.txt"] },
      }),
    );
    await Deno.writeTextFile(join(dir, ".env"), "not packed");
    const none = await cli("run", dir, "--root", root);
    assertEquals(none.code, 0, none.stderr);
    assertEquals(outcomes(none.stdout), ["no", "no", "no"]);
    assertMatch(none.stderr, /# reader asks for: read \.\/data; read \.\/secret\.txt/);
    assertMatch(none.stderr, /# granted: nothing/);
    const some = await cli("run", dir, "--root", root, "--allow-read=data", "--allow-write");
    assertEquals(outcomes(some.stdout), ["ok", "no", "no"]); // write was never asked for
    const all = await cli("run", dir, "--root", root, "--yes");
    assertEquals(outcomes(all.stdout), ["ok", "ok", "no"]);
  });
});

Deno.test("run <dir> compiles a project whose entry is what its source compiles to", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      join(dir, "pxos.json"),
      JSON.stringify({ name: "asm", version: "1.0.0", entry: "main.pxi" }),
    );
    await Deno.writeTextFile(join(dir, "main.pxasm"), "PUSH 42\nPRINT\nHALT\n");
    const r = await cli("run", dir);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout.trim(), "42");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
