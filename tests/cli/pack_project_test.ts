import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Writes `files` (path → text) under `root`, making folders as needed. */
async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split("/");
    await Deno.mkdir(join(root, ...parts.slice(0, -1)), { recursive: true });
    await Deno.writeTextFile(join(root, ...parts), text);
  }
}

const MANIFEST = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: "proj", version: "1.0.0", entry: "main.poh", ...extra });

/** A project with every kind of debris the default rules skip. */
const DEBRIS = {
  ".git/HEAD": "ref: refs/heads/main\n",
  ".git/objects/ab/cdef": "blob",
  ".DS_Store": "x",
  ".env": "SECRET=1",
  "main.poh~": "old",
  ".main.poh.swp": "swap",
  "main.poh.swo": "swap",
  "#main.poh#": "autosave",
  "notes.bak": "backup",
  "earlier.pxa": "not a cartridge",
  "run.frames/frame-0001.png": "png",
};

async function packedPaths(cart: string): Promise<string[]> {
  const r = await cli("ls", cart, "--json");
  assertEquals(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).map((e: { path: string }) => e.path).sort();
}

Deno.test("pack skips dot-entries, backups, earlier outputs and render output, and says why", async () => {
  const tmp = await Deno.makeTempDir();
  const dir = join(tmp, "proj");
  await writeTree(dir, {
    "pxos.json": MANIFEST(),
    "main.poh": 'Write "hi"\n',
    "data/words.txt": "a b c\n",
    ...DEBRIS,
  });
  const cart = join(tmp, "proj.pxa");
  const r = await cli("pack", dir, "-o", cart, "--json");
  assertEquals(r.code, 0, r.stderr);
  assertEquals(await packedPaths(cart), ["data/words.txt", "main.poh", "pxos.json"]);
  const skipped = new Map<string, string>(
    JSON.parse(r.stdout).skipped.map((s: { path: string; reason: string }) => [s.path, s.reason]),
  );
  assertEquals(skipped.get(".git/"), "dot-entry");
  assertEquals(skipped.get(".env"), "dot-entry");
  assertEquals(skipped.get(".DS_Store"), "dot-entry");
  for (const backup of ["main.poh~", "main.poh.swo", "#main.poh#", "notes.bak"]) {
    assertEquals(skipped.get(backup), "editor backup", backup);
  }
  assertEquals(skipped.get("earlier.pxa"), "earlier pack output");
  assertEquals(skipped.get("run.frames/"), "render output");
  // Nothing inside a skipped folder is looked at, so nothing inside it is listed.
  assert(![...skipped.keys()].some((p) => p.startsWith(".git/") && p !== ".git/"));
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("pack run twice into its own folder does not pack its first output", async () => {
  const tmp = await Deno.makeTempDir();
  await writeTree(tmp, { "pxos.json": MANIFEST(), "main.poh": 'Write "hi"\n' });
  // An output name the default rules would not skip: only the -o rule keeps it out.
  const out = join(tmp, "build.png");
  assertEquals((await cli("pack", tmp, "-o", out)).code, 0);
  const first = await Deno.readFile(out);
  const again = await cli("pack", tmp, "-o", out, "--json");
  assertEquals(again.code, 0, again.stderr);
  assertEquals(await packedPaths(out), ["main.poh", "pxos.json"]);
  assertEquals(JSON.parse(again.stdout).skipped, [{
    path: "build.png",
    reason: "the pack output (-o)",
  }]);
  assertEquals(await Deno.readFile(out), first); // same project, same bytes
  await Deno.remove(tmp, { recursive: true });
});

Deno.test(".pxosignore adds gitignore rules and can take a default back", async () => {
  const tmp = await Deno.makeTempDir();
  const dir = join(tmp, "p");
  await writeTree(dir, {
    "pxos.json": MANIFEST(),
    "main.poh": 'Write "hi"\n',
    ".pxosignore": "# build folders\nbuild/\n*.log\n!keep.bak\n",
    "build/out.bin": "x",
    "logs/today.log": "x",
    "keep.bak": "wanted",
    "other.bak": "not wanted",
  });
  const r = await cli("pack", dir, "-o", join(tmp, "p.pxa"), "--json");
  assertEquals(r.code, 0, r.stderr);
  assertEquals(await packedPaths(join(tmp, "p.pxa")), ["keep.bak", "main.poh", "pxos.json"]);
  const reasons = JSON.parse(r.stdout).skipped.map((s: { reason: string }) => s.reason);
  assert(reasons.includes(".pxosignore line 2: build/"), reasons.join("\n"));
  assert(reasons.includes(".pxosignore line 3: *.log"), reasons.join("\n"));
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("the manifest's files list names what is packed (pxos.json always is)", async () => {
  const tmp = await Deno.makeTempDir();
  const dir = join(tmp, "p");
  await writeTree(dir, {
    "pxos.json": MANIFEST({ files: ["*.poh", "data/"] }),
    "main.poh": 'Write "hi"\n',
    "data/a.txt": "a",
    "scratch/notes.txt": "not listed",
    "README.md": "not listed",
  });
  const r = await cli("pack", dir, "-o", join(tmp, "p.pxa"), "--json");
  assertEquals(r.code, 0, r.stderr);
  assertEquals(await packedPaths(join(tmp, "p.pxa")), ["data/a.txt", "main.poh", "pxos.json"]);
  await Deno.writeTextFile(join(dir, "pxos.json"), MANIFEST({ files: "*.poh" }));
  const wrong = await cli("pack", dir, "-o", join(tmp, "q.pxa"));
  assertEquals(wrong.code, 2);
  assertMatch(wrong.stderr, /E_MANIFEST.*files: expected an array of strings/);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("pack refuses a broken entry: missing, skipped, no engine, or source that does not compile", async (t) => {
  const tmp = await Deno.makeTempDir();
  const out = join(tmp, "out.pxa");
  const attempt = async (files: Record<string, string>) => {
    const dir = await Deno.makeTempDir({ dir: tmp });
    await writeTree(dir, files);
    return { dir, ...(await cli("pack", dir, "-o", out)) };
  };
  await t.step("missing", async () => {
    const r = await attempt({ "pxos.json": MANIFEST({ entry: "gone.poh" }) });
    assertEquals(r.code, 2);
    assertMatch(
      r.stderr,
      /E_MANIFEST.*pxos\.json: entry: expected a file of the project, found no "gone\.poh"/,
    );
  });
  await t.step("left out by a rule", async () => {
    const r = await attempt({ "pxos.json": MANIFEST({ entry: "main.bak" }), "main.bak": "x" });
    assertEquals(r.code, 2);
    assertMatch(
      r.stderr,
      /entry: main\.bak is left out of the project \(main\.bak: editor backup\)/,
    );
  });
  await t.step("no engine for its extension", async () => {
    const r = await attempt({ "pxos.json": MANIFEST({ entry: "main.txt" }), "main.txt": "x" });
    assertEquals(r.code, 2);
    assertMatch(r.stderr, /E_ENGINE.*pxos\.json: entry: no engine runs "main\.txt"/);
  });
  await t.step("bytecode the engine's verifier refuses", async () => {
    const r = await attempt({ "pxos.json": MANIFEST({ entry: "main.pxi" }), "main.pxi": "junk" });
    assertEquals(r.code, 2);
    assert(r.stderr.includes(join(r.dir, "main.pxi")), r.stderr);
  });
  await t.step("a source its engine only compiles, named as the entry", async () => {
    const r = await attempt({
      "pxos.json": MANIFEST({ entry: "main.pxvmasm" }),
      "main.pxvmasm": "IMM32 R1, 5\nSYSCALL PRINT_INT\nHALT\n",
    });
    assertEquals(r.code, 2);
    assertMatch(
      r.stderr,
      /main\.pxvmasm is source the pxvm engine does not load as it is; name its compiled form \(main\.pxvm\) as the entry/,
    );
  });
  await t.step("a syntax error shows at pack time with file:line:col", async () => {
    const r = await attempt({ "pxos.json": MANIFEST(), "main.poh": 'Write "hi"\nSet x to (\n' });
    assertEquals(r.code, 2);
    assertMatch(r.stderr, /E_ASSEMBLE/);
    assert(r.stderr.includes(`${join(r.dir, "main.poh")}:2:`), r.stderr);
  });
  await t.step("an entry only compiling makes needs --compile", async () => {
    const files = {
      "pxos.json": MANIFEST({ entry: "main.pxi" }),
      "main.pxasm": "PUSH 1\nPRINT\nHALT\n",
    };
    const r = await attempt(files);
    assertEquals(r.code, 2);
    assertMatch(r.stderr, /main\.pxi is not in the project .* pack with --compile/);
    assertEquals(await Deno.stat(out).catch(() => null), null); // no refusal wrote anything
    assertEquals((await cli("pack", r.dir, "-o", out, "--compile")).code, 0);
  });
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("a source beside its own build packs without --compile (no clash), both kept", async () => {
  const tmp = await Deno.makeTempDir();
  const dir = join(tmp, "p");
  await writeTree(dir, {
    "pxos.json": MANIFEST({ entry: "main.pxi" }),
    "main.pxasm": "PUSH 7\nPRINT\nHALT\n",
  });
  assertEquals((await cli("asm", join(dir, "main.pxasm"))).code, 0); // writes main.pxi beside it
  const r = await cli("pack", dir, "-o", join(tmp, "p.pxa"));
  assertEquals(r.code, 0, r.stderr);
  assertEquals(await packedPaths(join(tmp, "p.pxa")), ["main.pxasm", "main.pxi", "pxos.json"]);
  // A syntax error in the source is still found.
  await Deno.writeTextFile(join(dir, "main.pxasm"), "PUSH\n");
  const bad = await cli("pack", dir, "-o", join(tmp, "p.pxa"));
  assertEquals(bad.code, 2);
  assert(bad.stderr.includes(`${join(dir, "main.pxasm")}:1`), bad.stderr);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("pack -q prints nothing on success", async () => {
  const tmp = await Deno.makeTempDir();
  await writeTree(tmp, { "pxos.json": MANIFEST(), "main.poh": 'Write "hi"\n', ".env": "x" });
  const r = await cli("pack", tmp, "-o", join(tmp, "q.pxa"), "-q");
  assertEquals([r.code, r.stdout, r.stderr], [0, "", ""]);
  const loud = await cli("pack", tmp, "-o", join(tmp, "q.pxa"));
  assertMatch(loud.stdout, /packed 2 files .*skipped 2/);
  await Deno.remove(tmp, { recursive: true });
});
