import { decode as decodePngLibrary } from "fast-png";
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { COMMANDS } from "../../src/cli/commands/mod.ts";
import { pseudoRandomBytes, utf8 } from "../archive/helpers.ts";

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The entry: a program (pack checks that it compiles), long enough to be worth compressing. */
const ENTRY_SOURCE = "; the entry\n".repeat(50) + "HALT\n";

/** A directory of text, binary, empty and nested files with a manifest. */
async function makeInputDir(root: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>([
    ["pxos.json", utf8(JSON.stringify({ name: "fixture", version: "1.0.0", entry: "main.pxasm" }))],
    ["main.pxasm", utf8(ENTRY_SOURCE)],
    ["data/blob.bin", pseudoRandomBytes(70_000, 7)],
    ["data/empty.txt", new Uint8Array(0)],
    ["a/b/c/d/deep.txt", utf8("deep")],
    ["unicodé/ファイル.txt", utf8("non-ASCII names survive")],
  ]);
  for (const [path, data] of files) {
    await Deno.mkdir(join(root, ...path.split("/").slice(0, -1)), { recursive: true });
    await Deno.writeFile(join(root, ...path.split("/")), data);
  }
  await Deno.mkdir(join(root, "empty-dir"));
  return files;
}

Deno.test("pack → verify → unpack gives back identical bytes", async () => {
  const tmp = await Deno.makeTempDir();
  const files = await makeInputDir(join(tmp, "in"));
  const cart = join(tmp, "fixture.pxa");
  const packed = await cli("pack", join(tmp, "in"), "-o", cart);
  assertEquals(packed.code, 0, packed.stderr);
  assertMatch(packed.stdout, /packed 6 files/);

  const verified = await cli("verify", cart, "--json");
  assertEquals(verified.code, 0, verified.stderr);
  assertEquals(JSON.parse(verified.stdout).ok, true);

  const out = join(tmp, "out");
  const unpacked = await cli("unpack", cart, "-o", out);
  assertEquals(unpacked.code, 0, unpacked.stderr);
  for (const [path, data] of files) {
    assertEquals(await Deno.readFile(join(out, ...path.split("/"))), data, path);
  }
  assert((await Deno.stat(join(out, "empty-dir"))).isDirectory);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("the cartridge is an ordinary picture another PNG decoder opens", async () => {
  const tmp = await Deno.makeTempDir();
  await makeInputDir(join(tmp, "in"));
  const cart = join(tmp, "c.pxa");
  assertEquals((await cli("pack", join(tmp, "in"), "-o", cart)).code, 0);
  const image = decodePngLibrary(await Deno.readFile(cart));
  assert(image.width > 0 && image.height > 0);
  const inspected = JSON.parse((await cli("inspect", cart, "--json")).stdout);
  assertEquals([inspected.image.width, inspected.image.height], [image.width, image.height]);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("ls and inspect report files, sizes, hashes and permissions", async () => {
  const tmp = await Deno.makeTempDir();
  await makeInputDir(join(tmp, "in"));
  const cart = join(tmp, "c.pxa");
  await cli("pack", join(tmp, "in"), "-o", cart);
  const ls = JSON.parse((await cli("ls", cart, "--json")).stdout);
  const blob = ls.find((e: { path: string }) => e.path === "data/blob.bin");
  assertEquals(blob.size, 70_000);
  assertEquals(blob.sha256.length, 64);
  const text = (await cli("inspect", cart)).stdout;
  assertMatch(text, /permissions\s+none requested/);
  assertMatch(text, /data\/blob\.bin\s+68 KiB\s+stored/);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("unpack never overwrites without --force, and does with it", async () => {
  const tmp = await Deno.makeTempDir();
  await makeInputDir(join(tmp, "in"));
  const cart = join(tmp, "c.pxa");
  await cli("pack", join(tmp, "in"), "-o", cart);
  const out = join(tmp, "out");
  await Deno.mkdir(out);
  await Deno.writeTextFile(join(out, "main.pxasm"), "mine");
  const refused = await cli("unpack", cart, "-o", out);
  assertEquals(refused.code, 2);
  assertMatch(refused.stderr, /file exists; use --force/);
  assertEquals(await Deno.readTextFile(join(out, "main.pxasm")), "mine");
  assertEquals([...Deno.readDirSync(out)].length, 1, "a refusal writes nothing");
  assertEquals((await cli("unpack", cart, "-o", out, "--force")).code, 0);
  assertEquals(await Deno.readTextFile(join(out, "main.pxasm")), ENTRY_SOURCE);
  const leftovers = [...Deno.readDirSync(out)].filter((e) => e.name.endsWith(".pxos-tmp"));
  assertEquals(leftovers, []);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("unpack does not follow a symlink planted in the target", async () => {
  const tmp = await Deno.makeTempDir();
  await makeInputDir(join(tmp, "in"));
  const cart = join(tmp, "c.pxa");
  await cli("pack", join(tmp, "in"), "-o", cart);
  const out = join(tmp, "out");
  const elsewhere = join(tmp, "elsewhere");
  await Deno.mkdir(out);
  await Deno.mkdir(elsewhere);
  await Deno.symlink(elsewhere, join(out, "data"));
  const result = await cli("unpack", cart, "-o", out, "--force");
  assertEquals(result.code, 2);
  assertMatch(result.stderr, /symlink/);
  assertEquals([...Deno.readDirSync(elsewhere)], []);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("pack refuses a symlink that points outside the input directory", async () => {
  const tmp = await Deno.makeTempDir();
  await makeInputDir(join(tmp, "in"));
  await Deno.writeTextFile(join(tmp, "secret.txt"), "secret");
  await Deno.symlink(join(tmp, "secret.txt"), join(tmp, "in", "leak.txt"));
  const result = await cli("pack", join(tmp, "in"), "-o", join(tmp, "c.pxa"));
  assertEquals(result.code, 2);
  assertMatch(result.stderr, /E_PATH.*outside the input directory/);
  await assertNoFile(join(tmp, "c.pxa"));
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("a symlink inside the input directory is packed as the file it points to", async () => {
  const tmp = await Deno.makeTempDir();
  await makeInputDir(join(tmp, "in"));
  await Deno.symlink("main.pxasm", join(tmp, "in", "alias.txt"));
  assertEquals((await cli("pack", join(tmp, "in"), "-o", join(tmp, "c.pxa"))).code, 0);
  assertEquals((await cli("unpack", join(tmp, "c.pxa"), "-o", join(tmp, "out"))).code, 0);
  assertEquals((await Deno.lstat(join(tmp, "out", "alias.txt"))).isSymlink, false);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("bad input: one clear line, exit 2, nothing written", async () => {
  const tmp = await Deno.makeTempDir();
  const notPng = join(tmp, "not.pxa");
  await Deno.writeTextFile(notPng, "hello, I am text");
  for (const command of ["verify", "ls", "inspect", "unpack"]) {
    const r = await cli(command, notPng, ...(command === "unpack" ? ["-o", join(tmp, "out")] : []));
    assertEquals(r.code, 2, command);
    assertMatch(r.stderr, /^error \[E_PNG_CORRUPT\]: .+\n$/);
  }
  await assertNoFile(join(tmp, "out"));
  const missing = await cli("verify", join(tmp, "missing.pxa"));
  assertEquals(missing.code, 2);
  assertMatch(missing.stderr, /E_IO.*no such file/);
  // no manifest
  await Deno.mkdir(join(tmp, "nomanifest"));
  await Deno.writeTextFile(join(tmp, "nomanifest", "a.txt"), "a");
  const noManifest = await cli("pack", join(tmp, "nomanifest"), "-o", join(tmp, "x.pxa"));
  assertEquals(noManifest.code, 2);
  assertMatch(noManifest.stderr, /E_MANIFEST/);
  // a label that is not a PNG
  await makeInputDir(join(tmp, "in"));
  const badLabel = await cli("pack", join(tmp, "in"), "-o", join(tmp, "y.pxa"), "--label", notPng);
  assertEquals(badLabel.code, 2);
  assertMatch(badLabel.stderr, /E_LABEL/);
  await assertNoFile(join(tmp, "x.pxa"));
  await assertNoFile(join(tmp, "y.pxa"));
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("usage errors exit 1; --debug adds the stack", async () => {
  assertEquals((await cli("pack")).code, 1);
  assertEquals((await cli("verify", "--bogus", "x")).code, 1);
  const io = capturedIO({ debug: true });
  assertEquals(await runCli(["verify", "/nonexistent/x.pxa", "--debug"], io), 2);
  assertMatch(io.stderr, /at .*files\.ts/);
});

Deno.test("every command has --help with usage and exit codes", async () => {
  for (const c of COMMANDS) {
    const r = await cli(c.name, "--help");
    assertEquals(r.code, 0, c.name);
    assertMatch(r.stdout, new RegExp(`Usage: pxos ${c.name}`));
    assertMatch(r.stdout, /Exit codes:/);
  }
});

async function assertNoFile(path: string): Promise<void> {
  try {
    await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  throw new Error(`${path} should not exist`);
}

Deno.test("boot refuses --renderer webgpu for a cartridge that does not request gpu", async () => {
  const tmp = await Deno.makeTempDir();
  const cart = join(tmp, "w.pxa");
  const examples = new URL("../../examples/pxvm-hello", import.meta.url).pathname;
  assertEquals((await cli("pack", examples, "-o", cart, "--compile")).code, 0);
  const r = await cli("boot", cart, "--renderer", "webgpu", "--frames", join(tmp, "f"));
  assertEquals(r.code, 2);
  assertMatch(r.stderr, /E_PERMISSION.*gpu permission/);
  await Deno.remove(tmp, { recursive: true });
});
