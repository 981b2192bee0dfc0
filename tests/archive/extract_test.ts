/**
 * `extractArchive` (src/archive/extract.ts): staging folder moved into place once every member is
 * checked, merging into an existing target, and no trace left when anything fails.
 */
import { join } from "node:path";
import { extractArchive } from "../../src/archive/extract.ts";
import { readArchive } from "../../src/archive/reader.ts";
import { packArchive } from "../../src/archive/writer.ts";
import { assertEquals, assertPxosError } from "../assert.ts";
import { treeOf as tree, utf8 } from "./helpers.ts";

const MEMBERS = [
  { path: "a.txt", data: utf8("first") },
  { path: "dir/b.txt", data: utf8("second") },
  { path: "dir/sub/c.txt", data: utf8("third member, DAMAGE-ME here") },
  { path: "empty", directory: true as const },
];

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pxos-extract-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const EXPECTED = ["a.txt", "dir", "dir/b.txt", "dir/sub", "dir/sub/c.txt", "empty"];

Deno.test("extract into a new target: the whole tree, nothing else next to it", async () => {
  await withTemp(async (dir) => {
    const archive = await readArchive(await packArchive(MEMBERS));
    const written = await extractArchive(archive, join(dir, "out/new"));
    assertEquals(written, ["a.txt", "dir/b.txt", "dir/sub/c.txt"]);
    assertEquals(
      await tree(dir),
      ["out", ...EXPECTED.map((p) => `out/new/${p}`), "out/new"].sort(),
    );
    assertEquals(await Deno.readTextFile(join(dir, "out/new/dir/b.txt")), "second");
  });
});

Deno.test("extract merges into an existing target, keeping what was there", async () => {
  await withTemp(async (dir) => {
    await Deno.mkdir(join(dir, "dir/sub"), { recursive: true });
    await Deno.writeTextFile(join(dir, "dir/mine.txt"), "mine");
    const archive = await readArchive(await packArchive(MEMBERS));
    await extractArchive(archive, dir);
    assertEquals(await tree(dir), [...EXPECTED, "dir/mine.txt"].sort());
    assertEquals(
      await Deno.readTextFile(join(dir, "dir/sub/c.txt")),
      "third member, DAMAGE-ME here",
    );
    // Present files are refused without force, replaced with it.
    await Deno.writeTextFile(join(dir, "a.txt"), "old");
    await assertPxosError(() => extractArchive(archive, dir), "E_IO", /file exists/);
    assertEquals(await Deno.readTextFile(join(dir, "a.txt")), "old");
    await extractArchive(archive, dir, { force: true });
    assertEquals(await Deno.readTextFile(join(dir, "a.txt")), "first");
    assertEquals(await tree(dir), [...EXPECTED, "dir/mine.txt"].sort(), "no staging folder left");
  });
});

Deno.test("a symlinked folder inside the target is refused before anything is written", async () => {
  await withTemp(async (dir) => {
    await Deno.mkdir(join(dir, "target"));
    await Deno.mkdir(join(dir, "elsewhere"));
    await Deno.symlink(join(dir, "elsewhere"), join(dir, "target/dir"));
    const archive = await readArchive(await packArchive(MEMBERS));
    await assertPxosError(
      () => extractArchive(archive, join(dir, "target"), { force: true }),
      "E_PATH",
      /symlink/,
    );
    assertEquals(await tree(join(dir, "elsewhere")), []);
    assertEquals(await tree(join(dir, "target")), ["dir"]);
  });
});

Deno.test("a damaged member found mid-way leaves no file, no staging folder and no new target", async () => {
  await withTemp(async (dir) => {
    const bytes = await packArchive(MEMBERS, { compress: false });
    const at = new TextDecoder("latin1").decode(bytes).indexOf("DAMAGE-ME");
    bytes[at] ^= 0x20;
    const archive = await readArchive(bytes);
    await assertPxosError(() => extractArchive(archive, join(dir, "new/target")), "E_ARCHIVE_HASH");
    assertEquals(await tree(dir), []);
    await Deno.mkdir(join(dir, "kept"));
    await Deno.writeTextFile(join(dir, "kept/x"), "x");
    await assertPxosError(() => extractArchive(archive, join(dir, "kept")), "E_ARCHIVE_HASH");
    assertEquals(await tree(dir), ["kept", "kept/x"]);
  });
});
