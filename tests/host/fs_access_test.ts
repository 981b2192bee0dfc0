/**
 * Host file access: the grant, `..`/absolute/symlink escapes (also a link swapped in after the
 * check, through the `afterCheck` seam), size caps, atomic writes and each `fs.*` operation.
 * Every test builds its own tree under a temporary directory:
 *
 *   tmp/outside/secret.txt          "SECRET"       (never to be read or written)
 *   tmp/outside/s.txt               "OUTSIDE"
 *   tmp/root/data/a.txt             "alpha"
 *   tmp/root/data/sub/s.txt         "inside"
 *   tmp/root/data/secret/k.txt      "key"
 *   tmp/root/saves/old.txt          "old"
 *   tmp/root/top.txt                "top"
 */
import { join } from "node:path";
import {
  FsAccess,
  type FsAccessOptions,
  type FsGrant,
  realRoot,
} from "../../src/host/fs_access.ts";
import { assert, assertEquals, assertPxosError } from "../assert.ts";

interface Tree {
  tmp: string;
  root: string;
  outside: string;
  /** An FsAccess on this tree (default: read data, write saves). */
  fs(grant?: Partial<Omit<FsGrant, "root">>, options?: Partial<FsAccessOptions>): FsAccess;
}

async function withTree(fn: (t: Tree) => Promise<void>): Promise<void> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "pxos-fs-" }));
  try {
    const root = join(tmp, "root");
    const outside = join(tmp, "outside");
    for (
      const d of [outside, join(root, "data/sub"), join(root, "data/secret"), join(root, "saves")]
    ) {
      await Deno.mkdir(d, { recursive: true });
    }
    const files: [string, string][] = [
      [join(outside, "secret.txt"), "SECRET"],
      [join(outside, "s.txt"), "OUTSIDE"],
      [join(root, "data/a.txt"), "alpha"],
      [join(root, "data/sub/s.txt"), "inside"],
      [join(root, "data/secret/k.txt"), "key"],
      [join(root, "saves/old.txt"), "old"],
      [join(root, "top.txt"), "top"],
    ];
    for (const [p, text] of files) await Deno.writeTextFile(p, text);
    await fn({
      tmp,
      root,
      outside,
      fs: (grant = {}, options = {}) =>
        new FsAccess({
          root,
          read: grant.read ?? { allow: ["data"], deny: [] },
          write: grant.write ?? { allow: ["saves"], deny: [] },
        }, { maxReadBytes: 1 << 20, ...options }),
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** Sorted names in a directory (to prove nothing appeared or went away). */
async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/** The outside directory exactly as the tree made it. */
async function assertOutsideUntouched(outside: string): Promise<void> {
  assertEquals(await names(outside), ["s.txt", "secret.txt"]);
  assertEquals(await Deno.readTextFile(join(outside, "secret.txt")), "SECRET");
  assertEquals(await Deno.readTextFile(join(outside, "s.txt")), "OUTSIDE");
}

const RW = { allow: ["data"], deny: [] };
const NONE = { allow: [], deny: [] };
const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("fs: reads inside the grant", async () => {
  await withTree(async ({ fs }) => {
    const access = fs();
    assertEquals(await access.readText("fs.readText", "data/a.txt"), "alpha");
    assertEquals(await access.readText("fs.readText", "./data/sub/../a.txt"), "alpha");
    assertEquals(await access.readBytes("fs.readBytes", "data/sub/s.txt"), enc("inside"));
  });
});

Deno.test("fs: paths outside the grant, .. escapes, absolute, NUL and backslash refused", async () => {
  await withTree(async ({ fs, root, outside }) => {
    const access = fs();
    const refused: [string, RegExp][] = [
      ["top.txt", /read grant covers only \.\/data/],
      ["saves/old.txt", /read grant covers only/],
      ["database", /read grant covers only/],
      ["data/../top.txt", /covers only/],
      ["../outside/secret.txt", /escapes the root/],
      ["data/../../outside/secret.txt", /escapes the root/],
      [join(outside, "secret.txt"), /absolute path/],
      [join(root, "data/a.txt"), /absolute path/],
      ["data/a.txt\0", /separators/],
      ["data\\a.txt", /separators/],
    ];
    for (const [path, why] of refused) {
      await assertPxosError(() => access.readText("fs.readText", path), "E_PERMISSION", why);
      await assertPxosError(() => access.exists("fs.exists", path), "E_PERMISSION");
    }
    await assertPxosError(
      () => access.readText("fs.readText", "../x"),
      "E_PERMISSION",
      /^fs\.readText: /,
    );
  });
});

Deno.test("fs: read implies nothing about write, nor write about read", async () => {
  await withTree(async ({ fs, root }) => {
    const readOnly = fs({ read: RW, write: NONE });
    await assertPxosError(
      () => readOnly.write("fs.writeText", "data/a.txt", enc("x")),
      "E_PERMISSION",
      /write is not granted/,
    );
    await assertPxosError(
      () => readOnly.append("fs.appendText", "data/a.txt", enc("x")),
      "E_PERMISSION",
    );
    await assertPxosError(() => readOnly.mkdir("fs.mkdir", "data/new"), "E_PERMISSION");
    await assertPxosError(() => readOnly.remove("fs.remove", "data/a.txt"), "E_PERMISSION");
    assertEquals(await Deno.readTextFile(join(root, "data/a.txt")), "alpha");
    assertEquals(await names(join(root, "data")), ["a.txt", "secret", "sub"]);

    const writeOnly = fs({ read: NONE, write: RW });
    await assertPxosError(
      () => writeOnly.readText("fs.readText", "data/a.txt"),
      "E_PERMISSION",
      /read is not granted/,
    );
    await assertPxosError(() => writeOnly.exists("fs.exists", "data/a.txt"), "E_PERMISSION");
    await assertPxosError(() => writeOnly.list("fs.list", "data"), "E_PERMISSION");
    // What is granted works (so the refusals are about the kind of access).
    await writeOnly.write("fs.writeText", "data/a.txt", enc("beta"));
    assertEquals(await readOnly.readText("fs.readText", "data/a.txt"), "beta");
  });
});

Deno.test("fs: denied paths inside a grant are refused, for read and for write", async () => {
  await withTree(async ({ fs, root }) => {
    const access = fs({
      read: { allow: ["data"], deny: ["data/secret"] },
      write: { allow: ["data"], deny: ["data/secret"] },
    });
    await assertPxosError(
      () => access.readText("fs.readText", "data/secret/k.txt"),
      "E_PERMISSION",
      /denied for read/,
    );
    await assertPxosError(
      () => access.readText("fs.readText", "data/sub/../secret/k.txt"),
      "E_PERMISSION",
      /denied/,
    );
    await assertPxosError(() => access.list("fs.list", "data/secret"), "E_PERMISSION");
    await assertPxosError(() => access.exists("fs.exists", "data/secret/none"), "E_PERMISSION");
    await assertPxosError(
      () => access.write("fs.writeText", "data/secret/k.txt", enc("x")),
      "E_PERMISSION",
      /denied for write/,
    );
    await assertPxosError(() => access.remove("fs.remove", "data/secret/k.txt"), "E_PERMISSION");
    await assertPxosError(() => access.mkdir("fs.mkdir", "data/secret/d"), "E_PERMISSION");
    assertEquals(await Deno.readTextFile(join(root, "data/secret/k.txt")), "key");
    assertEquals(await access.readText("fs.readText", "data/a.txt"), "alpha");
  });
});

Deno.test("fs: symlinks that lead out of the grant are refused; links inside it work", async () => {
  await withTree(async ({ fs, root, outside }) => {
    await Deno.symlink(join(outside, "secret.txt"), join(root, "data/file-link"));
    await Deno.symlink(outside, join(root, "data/dir-link"));
    await Deno.symlink("../../outside/secret.txt", join(root, "data/relative-link"));
    await Deno.symlink("../top.txt", join(root, "data/to-root")); // inside root, outside grant
    await Deno.symlink("a.txt", join(root, "data/alias"));
    await Deno.symlink("sub", join(root, "data/sub-alias"));
    const access = fs({ read: RW, write: RW });
    for (
      const path of [
        "data/file-link",
        "data/dir-link/secret.txt",
        "data/relative-link",
        "data/to-root",
      ]
    ) {
      await assertPxosError(
        () => access.readText("fs.readText", path),
        "E_PERMISSION",
        /outside \.\/data through a symbolic link/,
      );
      await assertPxosError(() => access.exists("fs.exists", path), "E_PERMISSION");
      await assertPxosError(() => access.write("fs.writeText", path, enc("pwn")), "E_PERMISSION");
      await assertPxosError(() => access.append("fs.appendText", path, enc("pwn")), "E_PERMISSION");
    }
    await assertPxosError(() => access.list("fs.list", "data/dir-link"), "E_PERMISSION");
    await assertPxosError(() => access.mkdir("fs.mkdir", "data/dir-link/new/deep"), "E_PERMISSION");
    await assertPxosError(
      () => access.write("fs.writeText", "data/dir-link/new.txt", enc("pwn")),
      "E_PERMISSION",
    );
    await assertOutsideUntouched(outside);
    assertEquals(await Deno.readTextFile(join(root, "top.txt")), "top");

    assertEquals(await access.readText("fs.readText", "data/alias"), "alpha");
    assertEquals(await access.readText("fs.readText", "data/sub-alias/s.txt"), "inside");
    assertEquals(await access.list("fs.list", "data/sub-alias"), "s.txt");
    // Writing through an inside link writes the file it names.
    await access.write("fs.writeText", "data/alias", enc("via link"));
    assertEquals(await Deno.readTextFile(join(root, "data/a.txt")), "via link");
  });
});

Deno.test("fs: a granted directory that is itself a link out of the root is refused", async () => {
  await withTree(async ({ fs, root, outside }) => {
    await Deno.symlink(outside, join(root, "linked"));
    const access = fs({
      read: { allow: ["linked"], deny: [] },
      write: { allow: ["linked"], deny: [] },
    });
    await assertPxosError(
      () => access.readText("fs.readText", "linked/secret.txt"),
      "E_PERMISSION",
    );
    await assertPxosError(() => access.list("fs.list", "linked"), "E_PERMISSION");
    await assertPxosError(() => access.write("fs.writeText", "linked/x", enc("x")), "E_PERMISSION");
    await assertOutsideUntouched(outside);
  });
});

Deno.test("fs: a file swapped for an outside link after the check is refused, unread", async () => {
  await withTree(async ({ fs, root, outside }) => {
    let swaps = 0;
    const swapFile = async (real: string) => {
      swaps++;
      await Deno.remove(real);
      await Deno.symlink(join(outside, "secret.txt"), real);
    };
    const access = fs({ read: RW, write: RW }, { afterCheck: swapFile });
    await assertPxosError(
      () => access.readText("fs.readText", "data/a.txt"),
      "E_PERMISSION",
      /changed while being opened/,
    );
    // Put a real file back for the next operation.
    await Deno.remove(join(root, "data/a.txt"));
    await Deno.writeTextFile(join(root, "data/a.txt"), "alpha");
    await assertPxosError(() => access.readBytes("fs.readBytes", "data/a.txt"), "E_PERMISSION");
    await Deno.remove(join(root, "data/a.txt"));
    await Deno.writeTextFile(join(root, "data/a.txt"), "alpha");
    await assertPxosError(
      () => access.append("fs.appendText", "data/a.txt", enc("APPENDED")),
      "E_PERMISSION",
      /changed while being opened/,
    );
    assertEquals(swaps, 3);
    await assertOutsideUntouched(outside);
  });
});

Deno.test("fs: a file swapped for an outside link before a write is replaced, not followed", async () => {
  await withTree(async ({ fs, root, outside }) => {
    const access = fs({ read: RW, write: RW }, {
      afterCheck: async (real) => {
        await Deno.remove(real);
        await Deno.symlink(join(outside, "secret.txt"), real);
      },
    });
    await access.write("fs.writeText", "data/a.txt", enc("new"));
    await assertOutsideUntouched(outside);
    const info = await Deno.lstat(join(root, "data/a.txt"));
    assert(info.isFile && !info.isSymlink);
    assertEquals(await Deno.readTextFile(join(root, "data/a.txt")), "new");
    // The link swapped in before a remove is what gets removed; its target stays.
    await Deno.writeTextFile(join(root, "data/b.txt"), "b");
    await access.remove("fs.remove", "data/b.txt");
    assertEquals(await names(join(root, "data")), ["a.txt", "secret", "sub"]);
    await assertOutsideUntouched(outside);
  });
});

Deno.test("fs: a directory on the path swapped for an outside link is refused everywhere", async () => {
  await withTree(async ({ fs, root, outside }) => {
    const sub = join(root, "data/sub");
    const parked = join(root, "data/sub-parked");
    const swapDir = async () => {
      await Deno.rename(sub, parked);
      await Deno.symlink(outside, sub);
    };
    const restore = async () => {
      await Deno.remove(sub);
      await Deno.rename(parked, sub);
    };
    const access = fs({ read: RW, write: RW }, { afterCheck: swapDir });
    const attempts: [string, () => Promise<unknown>][] = [
      ["readText", () => access.readText("fs.readText", "data/sub/s.txt")],
      ["readBytes", () => access.readBytes("fs.readBytes", "data/sub/s.txt")],
      ["list", () => access.list("fs.list", "data/sub")],
      ["write new", () => access.write("fs.writeText", "data/sub/new.txt", enc("PWN"))],
      ["write existing", () => access.write("fs.writeText", "data/sub/s.txt", enc("PWN"))],
      ["append existing", () => access.append("fs.appendText", "data/sub/s.txt", enc("PWN"))],
      ["append new", () => access.append("fs.appendText", "data/sub/new.txt", enc("PWN"))],
      ["mkdir", () => access.mkdir("fs.mkdir", "data/sub/newdir/deeper")],
      ["remove", () => access.remove("fs.remove", "data/sub/s.txt")],
    ];
    for (const [what, attempt] of attempts) {
      // A file created and deleted again outside would still change the directory's mtime.
      const before = (await Deno.stat(outside)).mtime?.getTime();
      try {
        await assertPxosError(attempt, "E_PERMISSION", /changed while being opened/);
        await assertOutsideUntouched(outside);
        assertEquals((await Deno.stat(outside)).mtime?.getTime(), before, "outside was modified");
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`);
      } finally {
        await restore();
      }
      assertEquals(await Deno.readTextFile(join(sub, "s.txt")), "inside", what);
    }
  });
});

Deno.test("fs: read size cap accepted at N bytes, refused at N+1", async () => {
  await withTree(async ({ fs, root }) => {
    const N = 5000;
    await Deno.writeFile(join(root, "data/n.bin"), new Uint8Array(N).fill(7));
    await Deno.writeFile(join(root, "data/n1.bin"), new Uint8Array(N + 1).fill(7));
    await Deno.writeFile(join(root, "data/empty.bin"), new Uint8Array(0));
    const access = fs({}, { maxReadBytes: N });
    assertEquals((await access.readBytes("fs.readBytes", "data/n.bin")).length, N);
    assertEquals(await access.readBytes("fs.readBytes", "data/n.bin"), new Uint8Array(N).fill(7));
    await assertPxosError(
      () => access.readBytes("fs.readBytes", "data/n1.bin"),
      "E_MEMORY",
      /5001 bytes, over the 5000-byte limit/,
    );
    await assertPxosError(() => access.readText("fs.readText", "data/n1.bin"), "E_MEMORY");
    assertEquals((await access.readBytes("fs.readBytes", "data/empty.bin")).length, 0);
  });
});

Deno.test("fs: write replaces atomically and leaves no temporary files", async () => {
  await withTree(async ({ fs, root }) => {
    const access = fs();
    await access.write("fs.writeText", "saves/old.txt", enc("replaced"));
    await access.write("fs.writeBytes", "saves/new.bin", new Uint8Array([0, 1, 255]));
    await access.write("fs.writeText", "saves/empty.txt", enc(""));
    assertEquals(await Deno.readTextFile(join(root, "saves/old.txt")), "replaced");
    assertEquals(await Deno.readFile(join(root, "saves/new.bin")), new Uint8Array([0, 1, 255]));
    assertEquals(await Deno.readTextFile(join(root, "saves/empty.txt")), "");
    // Shorter content replaces longer content entirely.
    await access.write("fs.writeText", "saves/old.txt", enc("x"));
    assertEquals(await Deno.readTextFile(join(root, "saves/old.txt")), "x");
    assertEquals(await names(join(root, "saves")), ["empty.txt", "new.bin", "old.txt"]);
    // Failures leave nothing behind either.
    await assertPxosError(
      () => access.write("fs.writeText", "saves/no/such/dir.txt", enc("x")),
      "E_IO",
    );
    await Deno.mkdir(join(root, "saves/dir"));
    await assertPxosError(
      () => access.write("fs.writeText", "saves/dir", enc("x")),
      "E_IO",
      /is a directory/,
    );
    assertEquals(await names(join(root, "saves")), ["dir", "empty.txt", "new.bin", "old.txt"]);
    const rootWrite = fs({ write: { allow: [""], deny: [] } });
    await assertPxosError(() => rootWrite.write("fs.writeText", ".", enc("x")), "E_IO", /root/);
  });
});

Deno.test("fs: a link at the write target pointing outside is refused, not followed", async () => {
  await withTree(async ({ fs, root, outside }) => {
    await Deno.symlink(join(outside, "secret.txt"), join(root, "saves/evil"));
    const access = fs();
    await assertPxosError(
      () => access.write("fs.writeText", "saves/evil", enc("PWN")),
      "E_PERMISSION",
      /symbolic link/,
    );
    await assertPxosError(
      () => access.append("fs.appendText", "saves/evil", enc("PWN")),
      "E_PERMISSION",
    );
    await assertOutsideUntouched(outside);
    assert((await Deno.lstat(join(root, "saves/evil"))).isSymlink);
  });
});

Deno.test("fs: a dangling link pointing outside never creates the outside file", async () => {
  await withTree(async ({ fs, root, outside }) => {
    await Deno.symlink(join(outside, "created.txt"), join(root, "saves/dangling"));
    await Deno.symlink(join(outside, "newdir"), join(root, "saves/dangling-dir"));
    const access = fs();
    await assertPxosError(
      () => access.append("fs.appendText", "saves/dangling", enc("PWN")),
      "E_IO",
    );
    await assertPxosError(
      () => access.write("fs.writeText", "saves/dangling-dir/x.txt", enc("PWN")),
      "E_IO",
    );
    await assertPxosError(() => access.mkdir("fs.mkdir", "saves/dangling-dir/x"), "E_IO");
    await assertOutsideUntouched(outside);
    // Writing the link's own name replaces the link with a file, inside.
    await access.write("fs.writeText", "saves/dangling", enc("here"));
    await assertOutsideUntouched(outside);
    assert((await Deno.lstat(join(root, "saves/dangling"))).isFile);
  });
});

Deno.test("fs: append creates and extends", async () => {
  await withTree(async ({ fs, root }) => {
    const access = fs();
    await access.append("fs.appendText", "saves/log.txt", enc("one\n"));
    await access.append("fs.appendText", "saves/log.txt", enc("two\n"));
    await access.append("fs.appendText", "saves/old.txt", enc("+more"));
    assertEquals(await Deno.readTextFile(join(root, "saves/log.txt")), "one\ntwo\n");
    assertEquals(await Deno.readTextFile(join(root, "saves/old.txt")), "old+more");
    await assertPxosError(() => access.append("fs.appendText", "saves/none/x", enc("x")), "E_IO");
  });
});

Deno.test("fs: list is sorted with / on directories", async () => {
  await withTree(async ({ fs, root }) => {
    await Deno.writeTextFile(join(root, "data/B.txt"), "");
    await Deno.writeTextFile(join(root, "data/z.txt"), "");
    await Deno.mkdir(join(root, "data/aa"));
    const access = fs();
    assertEquals(
      await access.list("fs.list", "data"),
      ["B.txt", "a.txt", "aa/", "secret/", "sub/", "z.txt"].join("\n"),
    );
    assertEquals(await access.list("fs.list", "data/aa"), "");
    assertEquals(
      await fs({ read: { allow: [""], deny: [] } }).list("fs.list", "."),
      "data/\nsaves/\ntop.txt",
    );
    await assertPxosError(() => access.list("fs.list", "data/missing"), "E_IO", /does not exist/);
    await assertPxosError(() => access.list("fs.list", "data/a.txt"), "E_IO");
  });
});

Deno.test("fs: mkdir creates parents and accepts an existing directory", async () => {
  await withTree(async ({ fs, root }) => {
    const access = fs();
    await access.mkdir("fs.mkdir", "saves/a/b/c");
    assert((await Deno.stat(join(root, "saves/a/b/c"))).isDirectory);
    await access.mkdir("fs.mkdir", "saves/a/b/c");
    await assertPxosError(() => access.mkdir("fs.mkdir", "saves/old.txt/x"), "E_IO");
    await assertPxosError(() => access.mkdir("fs.mkdir", "data/x"), "E_PERMISSION");
  });
});

Deno.test("fs: remove removes files, empty directories and links (not their targets)", async () => {
  await withTree(async ({ fs, root, outside }) => {
    await Deno.writeTextFile(join(root, "saves/target.txt"), "target");
    await Deno.symlink("target.txt", join(root, "saves/inside-link"));
    await Deno.symlink(join(outside, "secret.txt"), join(root, "saves/outside-link"));
    await Deno.symlink(outside, join(root, "saves/outside-dir-link"));
    await Deno.mkdir(join(root, "saves/empty"));
    await Deno.mkdir(join(root, "saves/full"));
    await Deno.writeTextFile(join(root, "saves/full/f"), "f");
    const access = fs();
    await access.remove("fs.remove", "saves/inside-link");
    await access.remove("fs.remove", "saves/outside-link");
    await access.remove("fs.remove", "saves/outside-dir-link");
    await access.remove("fs.remove", "saves/empty");
    await access.remove("fs.remove", "saves/old.txt");
    assertEquals(await names(join(root, "saves")), ["full", "target.txt"]);
    assertEquals(await Deno.readTextFile(join(root, "saves/target.txt")), "target");
    await assertOutsideUntouched(outside);
    await assertPxosError(() => access.remove("fs.remove", "saves/full"), "E_IO");
    await assertPxosError(
      () => access.remove("fs.remove", "saves/missing"),
      "E_IO",
      /does not exist/,
    );
    // Through a link to a directory outside, nothing is removed.
    await Deno.symlink(outside, join(root, "saves/out"));
    await assertPxosError(() => access.remove("fs.remove", "saves/out/secret.txt"), "E_PERMISSION");
    await assertOutsideUntouched(outside);
    const rootWrite = fs({ write: { allow: [""], deny: [] } });
    await assertPxosError(() => rootWrite.remove("fs.remove", ""), "E_IO", /root directory/);
    // The granted directory itself stays: the grant is about what is inside it.
    await assertPxosError(
      () => access.remove("fs.remove", "saves"),
      "E_PERMISSION",
      /\.\/saves is the granted directory itself/,
    );
    assert((await Deno.stat(join(root, "saves"))).isDirectory);
  });
});

Deno.test("fs: exists is false for missing paths and still refuses escapes", async () => {
  await withTree(async ({ fs, root, outside }) => {
    await Deno.symlink(outside, join(root, "data/out"));
    const access = fs();
    assertEquals(await access.exists("fs.exists", "data/a.txt"), true);
    assertEquals(await access.exists("fs.exists", "data/sub"), true);
    assertEquals(await access.exists("fs.exists", "data/missing"), false);
    assertEquals(await access.exists("fs.exists", "data/missing/deeper/x"), false);
    await assertPxosError(() => access.exists("fs.exists", "data/out/secret.txt"), "E_PERMISSION");
    await assertPxosError(() => access.exists("fs.exists", "data/out/nothing"), "E_PERMISSION");
    await assertPxosError(
      () => access.exists("fs.exists", "../outside/secret.txt"),
      "E_PERMISSION",
    );
    await assertPxosError(() => access.exists("fs.exists", "top.txt"), "E_PERMISSION");
  });
});

Deno.test("realRoot resolves links and refuses what is not a directory", async () => {
  await withTree(async ({ tmp, root }) => {
    await Deno.symlink(root, join(tmp, "root-link"));
    assertEquals(await realRoot(join(tmp, "root-link")), root);
    await assertPxosError(() => realRoot(join(root, "top.txt")), "E_IO", /not a usable directory/);
    await assertPxosError(() => realRoot(join(tmp, "missing")), "E_IO");
  });
});
