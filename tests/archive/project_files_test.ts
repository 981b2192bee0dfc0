/**
 * A project without a `.pxosignore` is collected without loading the `ignore` package: the
 * default skip rules are matched directly. They must skip exactly what `ignore` skips, for the
 * same reason (the last matching rule, as `ignore` reports it).
 */
import ignore from "ignore";
import { join } from "node:path";
import { collectProject, DEFAULT_SKIP_RULES } from "../../src/archive/project_files.ts";
import { assert, assertEquals } from "../assert.ts";

const NAMES = [
  "main.pxasm",
  ".env",
  ".git",
  "..x",
  "a~",
  "~",
  "~a",
  "notes.swp",
  "notes.SWP",
  "x.swo",
  "x.swox",
  "#draft#",
  "#",
  "##",
  "#a",
  "a#",
  "old.bak",
  "old.Bak",
  ".old.bak",
  "game.pxa",
  "GAME.PXA",
  "game.pxa.txt",
  "run.frames",
  "x.frames.y",
  "a.b.c",
  "pxa",
  "bak",
];

Deno.test("the default skip rules match what the ignore package matches, with its reasons", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      join(dir, "pxos.json"),
      '{"name":"x","version":"1.0.0","entry":"main.pxasm"}',
    );
    await Deno.mkdir(join(dir, "files"));
    await Deno.mkdir(join(dir, "folders"));
    for (const name of NAMES) {
      await Deno.writeTextFile(join(dir, "files", name), "x");
      await Deno.mkdir(join(dir, "folders", name));
      await Deno.writeTextFile(join(dir, "folders", name, "inside.txt"), "x");
    }
    const { files, skipped } = await collectProject(dir);
    const rules = ignore().add(
      DEFAULT_SKIP_RULES.map((r) => ({ pattern: r.pattern, mark: r.reason })),
    );
    const expectedSkipped: { path: string; reason: string }[] = [];
    const expectedFiles: string[] = ["pxos.json"];
    for (const [folder, directory] of [["files", false], ["folders", true]] as const) {
      for (const name of [...NAMES].sort()) {
        const shown = `${folder}/${name}${directory ? "/" : ""}`;
        const mark = rules.test(shown).rule?.mark as string | undefined;
        if (mark !== undefined) expectedSkipped.push({ path: shown, reason: mark });
        else expectedFiles.push(directory ? `${folder}/${name}/inside.txt` : shown);
      }
    }
    const byPath = (a: { path: string }, b: { path: string }) => a.path < b.path ? -1 : 1;
    assertEquals([...skipped].sort(byPath), expectedSkipped.sort(byPath));
    assertEquals(files.map((f) => f.path).sort(), expectedFiles.sort());
    assert(expectedSkipped.length > 20 && expectedFiles.length > 10, "names cover both sides");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
