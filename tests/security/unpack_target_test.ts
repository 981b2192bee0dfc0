/**
 * Attacks (issue 10 §6) on `pxos unpack`: a cartridge file named `...pxa` (or `..pxa`, `.pxa`)
 * unpacked without `-o` into `..` or `.`; a 1,000-byte path segment that gave "internal error:
 * File name too long" and left an empty target folder; member and file names with C1 control
 * characters printed raw by `ls`/`unpack`. Stopped by the CLI (`src/cli/commands/unpack.ts`:
 * the default target; `ls.ts`/`unpack.ts`: `escapeForTerminal`) and the archive layer
 * (`src/archive/directory.ts`: OS errors become `E_PATH`, what a failed run made is removed).
 */
import { join } from "node:path";
import { openCartridge } from "../../src/archive/cartridge.ts";
import { extractArchive } from "../../src/archive/extract.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../assert.ts";
import { inTempDir, pxos, writeCart } from "./in_process.ts";

const MAIN = { entry: "main.poh" };
const PROGRAM = { "main.poh": 'Start Program\nWrite "hi"\nEnd Program\n' };

/** Every name under `dir`, recursively, sorted (to prove nothing appeared). */
async function tree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    out.push(prefix + e.name);
    if (e.isDirectory) out.push(...await tree(join(dir, e.name), `${prefix}${e.name}/`));
  }
  return out.sort();
}

/** Runs `fn` with the current directory set to `dir`, restored afterwards. */
async function inDirectory<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = Deno.cwd();
  Deno.chdir(dir);
  try {
    return await fn();
  } finally {
    Deno.chdir(before);
  }
}

Deno.test("security: unpack without -o never targets . or .. (…pxa, ..pxa, .pxa refused with E_USAGE)", async () => {
  await inTempDir(async (dir) => {
    const work = join(dir, "work");
    await Deno.mkdir(work);
    for (const name of ["...pxa", "..pxa", ".pxa", "....pxa", "..PNG"]) {
      await writeCart(join(work, name), MAIN, PROGRAM);
    }
    const before = await tree(dir);
    for (const name of ["...pxa", "..pxa", ".pxa", "....pxa", "..PNG"]) {
      const r = await inDirectory(work, () => pxos("unpack", name));
      assertEquals(r.code, 1, `${name}: ${r.stderr}`);
      assertMatch(r.stderr, /^error \[E_USAGE\]: unpack: a folder named after .* -o DIR\n$/);
      // A mistaken default would have written main.poh into work/ or dir/.
      assertEquals(await tree(dir), before, name);
    }
    // With -o the same file unpacks where it is told.
    const told = await inDirectory(work, () => pxos("unpack", "...pxa", "-o", "safe"));
    assertEquals(told.code, 0, told.stderr);
    assertEquals(await Deno.readTextFile(join(work, "safe/main.poh")), PROGRAM["main.poh"]);
  });
});

Deno.test("security: the default target is a new folder, refused with E_IO when it exists (unless --force)", async () => {
  await inTempDir(async (dir) => {
    await writeCart(join(dir, "game.pxa"), MAIN, PROGRAM);
    const first = await inDirectory(dir, () => pxos("unpack", "game.pxa"));
    assertEquals(first.code, 0, first.stderr);
    assertEquals(first.stdout, "unpacked 2 files (" + first.stdout.split("(")[1]);
    assertMatch(first.stdout, /into game\n$/);
    await Deno.writeTextFile(join(dir, "game/mine.txt"), "mine");
    const again = await inDirectory(dir, () => pxos("unpack", "game.pxa"));
    assertEquals(again.code, 2);
    assertMatch(again.stderr, /^error \[E_IO\]: game already exists: .*-o DIR, or use --force\n$/);
    assertEquals(await tree(join(dir, "game")), ["main.poh", "mine.txt", "pxos.json"]);
    const forced = await inDirectory(dir, () => pxos("unpack", "game.pxa", "--force"));
    assertEquals(forced.code, 0, forced.stderr);
    assertEquals(await Deno.readTextFile(join(dir, "game/mine.txt")), "mine");
  });
});

Deno.test("security: a 1,000-byte path segment is E_PATH naming it, and no target folder is left", async () => {
  await inTempDir(async (dir) => {
    const long = "d".repeat(1000);
    const cart = await writeCart(join(dir, "long.pxa"), MAIN, {
      ...PROGRAM,
      [`${long}/x.txt`]: "x",
    });
    const before = await tree(dir);
    const withOutput = await pxos("unpack", cart, "-o", join(dir, "out/deeper"));
    assertEquals(withOutput.code, 2);
    assertMatch(
      withOutput.stderr,
      /^error \[E_PATH\]: \S+\/x\.txt: could not unpack: File name too long/,
    );
    assert(withOutput.stderr.includes(long), "the error names the path");
    assert(!withOutput.stderr.includes("internal error"), withOutput.stderr);
    const byDefault = await inDirectory(dir, () => pxos("unpack", "long.pxa"));
    assertEquals(byDefault.code, 2);
    assertMatch(byDefault.stderr, /E_PATH/);
    assertEquals(await tree(dir), before, "neither out/, out/deeper/ nor long/ remains");

    // The API says the same: PxosError E_PATH, and the target it created is gone.
    const opened = await openCartridge(await Deno.readFile(cart));
    await assertPxosError(
      () => extractArchive(opened.archive, join(dir, "api")),
      "E_PATH",
      /File name too long/,
    );
    assertEquals(await tree(dir), before);
    // An existing target stays, empty as it was.
    await Deno.mkdir(join(dir, "kept"));
    await assertPxosError(() => extractArchive(opened.archive, join(dir, "kept")), "E_PATH");
    assertEquals(await tree(join(dir, "kept")), []);
  });
});

Deno.test("security: ls and unpack show control characters in names escaped, never raw", async () => {
  await inTempDir(async (dir) => {
    const evil = "evil\u009b2J\u202e";
    const cart = await writeCart(join(dir, `${evil}.pxa`), MAIN, {
      ...PROGRAM,
      [`${evil}.txt`]: "x",
    });
    const listed = await pxos("ls", cart);
    assertEquals(listed.code, 0, listed.stderr);
    assertMatch(listed.stdout, /evil\\x9b2J\\u\{202e\}\.txt\n/);
    const unpacked = await inDirectory(dir, () => pxos("unpack", `${evil}.pxa`));
    assertEquals(unpacked.code, 0, unpacked.stderr);
    assertMatch(unpacked.stdout, /into evil\\x9b2J\\u\{202e\}\n$/);
    for (const out of [listed.stdout, unpacked.stdout]) {
      assert(!/[\u0080-\u009f\u202e]/.test(out), JSON.stringify(out));
    }
    // The file itself keeps its real name: only what is shown is escaped.
    assertEquals(await Deno.readTextFile(join(dir, evil, `${evil}.txt`)), "x");
  });
});
