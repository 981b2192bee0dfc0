/**
 * `pxos boot <dir>`: a project folder is packed in memory (the pack rules apply) and booted; the
 * sandbox process packs it again and must find the same digest.
 */
import { join } from "node:path";
import { toHex } from "../../src/archive/hash.ts";
import { runAsSandboxChild } from "../../src/cli/boot_run.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { openProjectFolder } from "../../src/cli/project.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import { isPxosError } from "../../src/errors.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function project(files: Record<string, string>): Promise<string> {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, ...path.split("/").slice(0, -1)), { recursive: true });
    await Deno.writeTextFile(join(dir, ...path.split("/")), text);
  }
  return dir;
}

const HELLO = {
  "pxos.json": JSON.stringify({ name: "hi", version: "1.0.0", entry: "main.poh" }),
  "main.poh": 'Write "hello from a folder"\n',
  ".git/HEAD": "ref",
  "old.pxa": "debris",
};

Deno.test("pxos boot <dir> boots a project folder as it is", async () => {
  const dir = await project(HELLO);
  try {
    const r = await cli("boot", dir);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout, "hello from a folder\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pxos boot <dir> refuses a broken project before running anything", async () => {
  const dir = await project({ ...HELLO, "main.poh": 'Write "x"\nSet y to (\n' });
  try {
    const r = await cli("boot", dir);
    assertEquals(r.code, 2);
    assertEquals(r.stdout, "");
    assertMatch(r.stderr, /E_ASSEMBLE/);
    assert(r.stderr.includes(`${join(dir, "main.poh")}:2:`), r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a folder packed in memory twice has one digest; a changed file changes it", async () => {
  const dir = await project(HELLO);
  try {
    const first = toHex((await openProjectFolder(dir)).archive.digest);
    assertEquals(toHex((await openProjectFolder(dir)).archive.digest), first);
    // Debris is not part of it: changing a skipped file keeps the digest.
    await Deno.writeTextFile(join(dir, "old.pxa"), "other debris");
    assertEquals(toHex((await openProjectFolder(dir)).archive.digest), first);
    await Deno.writeTextFile(join(dir, "main.poh"), 'Write "changed"\n');
    assert(toHex((await openProjectFolder(dir)).archive.digest) !== first);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the sandbox process refuses a folder that changed after it was shown", async () => {
  const dir = await project(HELLO);
  try {
    const digest = toHex((await openProjectFolder(dir)).archive.digest);
    await Deno.writeTextFile(join(dir, "main.poh"), 'Write "swapped in"\n');
    const io = capturedIO();
    const plan = { grant: NO_GRANT, limits: DEFAULT_LIMITS, root: dir, digest };
    const error = await runAsSandboxChild(dir, {}, io, plan).then(() => null, (e) => e);
    assert(isPxosError(error, "E_ARCHIVE_HASH"), String(error));
    assertMatch(error.message, /changed after it was checked/);
    assertEquals(io.stdout, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
