/**
 * The host-folder mount (`src/engines/python/host_mount.ts`): what the interception layer could
 * not do (chdir, real stat times and modes, renaming folders, descriptors, C-level file access),
 * each refusal with its errno and its audit line, and that nothing is copied (a change on the
 * host during the run is seen), in this thread and in the sandbox Worker.
 */
import { join } from "node:path";
import { realRoot } from "../../../src/host/fs_access.ts";
import { NO_GRANT } from "../../../src/host/grant.ts";
import { bootSandboxed } from "../../../src/boot/sandbox.ts";
import { assert, assertEquals } from "../../assert.ts";
import { makeCartridge } from "../../boot/helpers.ts";
import { runPython } from "./helpers.ts";

/** data/ (read), work/ (read and write), secret/ (not granted), outside/ (target of a link). */
async function hostFolder(): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const d of ["data/sub", "data/private", "work/tree/inner", "secret", "outside"]) {
    await Deno.mkdir(join(dir, d), { recursive: true });
  }
  await Deno.writeTextFile(join(dir, "data", "a.txt"), "alpha\n");
  await Deno.writeTextFile(join(dir, "data", "private", "p.txt"), "private");
  await Deno.writeTextFile(join(dir, "work", "tree", "inner", "t.txt"), "tree");
  await Deno.writeTextFile(join(dir, "secret", "key.txt"), "hidden");
  await Deno.writeTextFile(join(dir, "outside", "o.txt"), "outside");
  await Deno.symlink(join(dir, "outside"), join(dir, "data", "out"));
  await Deno.symlink(join(dir, "data", "private"), join(dir, "data", "around"));
  await Deno.writeTextFile(join(dir, "data", "sub", "s.txt"), "in sub");
  await Deno.symlink(join(dir, "data", "sub"), join(dir, "data", "inside"));
  return dir;
}

const GRANT = {
  ...NO_GRANT,
  read: ["data", "work"],
  write: ["work"],
  denyRead: ["data/private"],
};

async function runIn(dir: string, lines: string[], readLine?: () => string | null) {
  const run = await runPython({ "main.py": lines.join("\n") }, {
    grant: GRANT,
    root: await realRoot(dir),
    readLine,
  });
  assert(run.error === undefined, `${run.error}\n${run.err}`);
  return run;
}

Deno.test("mount: os.chdir into a host folder, relative paths, os.getcwd", async () => {
  const dir = await hostFolder();
  try {
    const run = await runIn(dir, [
      "import os",
      "os.chdir('work')",
      "print(os.getcwd(), sorted(os.listdir('.')))",
      "with open('rel.txt', 'w') as f: f.write('relative')",
      "os.chdir('tree/inner'); print(open('t.txt').read(), open('../../rel.txt').read())",
      "try: open('../../../secret/key.txt')",
      "except PermissionError as e: print('escape refused', e.errno == __import__('errno').EACCES)",
      "os.chdir('/'); print(os.getcwd())",
    ]);
    assertEquals(run.out.split("\n"), [
      "/work ['tree']",
      "tree relative",
      "escape refused True",
      "/",
      "",
    ]);
    assertEquals(await Deno.readTextFile(join(dir, "work", "rel.txt")), "relative");
    assert(
      run.audit.some((e) => e.call === "fs.stat" && !e.allowed && e.target === "secret"),
      "the escape's refusal is audited",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mount: os.stat gives the host's times, modes and sizes; scandir entries stat", async () => {
  const dir = await hostFolder();
  try {
    await Deno.chmod(join(dir, "data", "a.txt"), 0o640);
    const mtime = new Date("2020-02-03T04:05:06Z");
    await Deno.utime(join(dir, "data", "a.txt"), mtime, mtime);
    const run = await runIn(dir, [
      "import os, stat",
      "st = os.stat('data/a.txt')",
      "print(int(st.st_mtime), int(os.path.getmtime('data/a.txt')), oct(stat.S_IMODE(st.st_mode)))",
      "print(st.st_size, stat.S_ISREG(st.st_mode), stat.S_ISDIR(os.stat('data/sub').st_mode))",
      "with os.scandir('data') as it:",
      "    print(sorted((e.name, e.is_dir(), e.is_file() and e.stat().st_size) for e in it",
      "                 if e.name not in ('out', 'private', 'around')))",
      "print(os.path.samefile('data/a.txt', 'data/../data/a.txt'))",
      "print(os.listdir('data/inside'), open('data/inside/s.txt').read())",
    ]);
    assertEquals(run.out.split("\n"), [
      `${mtime.getTime() / 1000} ${mtime.getTime() / 1000} 0o640`,
      "6 True True",
      "[('a.txt', False, 6), ('inside', True, False), ('sub', True, False)]",
      "True",
      "['s.txt'] in sub",
      "",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mount: renaming a folder, os.open + os.fdopen, zipfile, tarfile and sqlite3 on host files", async () => {
  const dir = await hostFolder();
  try {
    const run = await runIn(dir, [
      "import os, tarfile, zipfile",
      "os.rename('work/tree', 'work/moved')",
      "print(sorted(os.listdir('work')), open('work/moved/inner/t.txt').read())",
      "fd = os.open('work/fd.txt', os.O_CREAT | os.O_WRONLY | os.O_TRUNC)",
      "with os.fdopen(fd, 'w') as f: f.write('through fdopen')",
      "with zipfile.ZipFile('work/z.zip', 'w') as z: z.writestr('in/zip.txt', 'zipped')",
      "with zipfile.ZipFile('work/z.zip') as z: print(z.namelist(), z.read('in/zip.txt'))",
      "with tarfile.open('work/t.tar', 'w') as t: t.add('data/a.txt', arcname='a.txt')",
      "with tarfile.open('work/t.tar') as t: print(t.getnames(), t.extractfile('a.txt').read())",
      "import sqlite3",
      "db = sqlite3.connect('work/db.sqlite')",
      "db.execute('create table t (x)'); db.execute('insert into t values (42)'); db.commit(); db.close()",
      "print(sqlite3.connect('work/db.sqlite').execute('select x from t').fetchall())",
    ]);
    assertEquals(run.out.split("\n"), [
      "['moved'] tree",
      "['in/zip.txt'] b'zipped'",
      "['a.txt'] b'alpha\\n'",
      "[(42,)]",
      "",
    ]);
    const db = await Deno.readFile(join(dir, "work", "db.sqlite"));
    assertEquals(new TextDecoder().decode(db.subarray(0, 15)), "SQLite format 3");
    assertEquals(await Deno.readTextFile(join(dir, "work", "fd.txt")), "through fdopen");
    assertEquals(await Deno.readTextFile(join(dir, "work", "moved", "inner", "t.txt")), "tree");
    assert(
      run.audit.some((e) =>
        e.call === "fs.rename" && e.allowed && e.target === "work/tree -> work/moved"
      ),
      "the rename is audited",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mount: refusals and errors carry the right errno, and refusals are audited", async () => {
  const dir = await hostFolder();
  try {
    const run = await runIn(dir, [
      "import errno, os",
      "def attempt(label, f):",
      "    try: f(); print(label, 'done')",
      "    except OSError as e: print(label, errno.errorcode.get(e.errno), type(e).__name__)",
      "attempt('ungranted', lambda: open('secret/key.txt').read())",
      "attempt('write in a read grant', lambda: open('data/new.txt', 'w'))",
      "attempt('overwrite in a read grant', lambda: open('data/a.txt', 'w'))",
      "attempt('append in a read grant', lambda: open('data/a.txt', 'a'))",
      "attempt('r+ in a read grant', lambda: open('data/a.txt', 'r+'))",
      "attempt('denied subfolder', lambda: open('data/private/p.txt').read())",
      "attempt('link out', lambda: open('data/out/o.txt').read())",
      "attempt('link around a denial', lambda: open('data/around/p.txt').read())",
      "attempt('dot-dot', lambda: open('data/../../secret/key.txt').read())",
      "attempt('missing', lambda: open('work/none.txt'))",
      "attempt('dir for writing', lambda: open('work/tree', 'w'))",
      "attempt('under a file', lambda: open('data/a.txt/x'))",
      "attempt('mkdir existing', lambda: os.mkdir('work/tree'))",
      "attempt('rmdir non-empty', lambda: os.rmdir('work/tree'))",
      "attempt('symlink', lambda: os.symlink('/etc', 'work/link'))",
      "attempt('move out of the mount', lambda: os.rename('work/tree', '/tmp/tree'))",
      "def huge():",
      "    with open('work/huge.bin', 'wb') as f: f.seek(1 << 40); f.write(b'x')",
      "attempt('past the memory limit', huge)",
    ]);
    assertEquals(run.out.split("\n"), [
      "ungranted EACCES PermissionError",
      "write in a read grant EACCES PermissionError",
      "overwrite in a read grant EACCES PermissionError",
      "append in a read grant EACCES PermissionError",
      "r+ in a read grant EACCES PermissionError",
      "denied subfolder EACCES PermissionError",
      "link out EACCES PermissionError",
      "link around a denial EACCES PermissionError",
      "dot-dot EACCES PermissionError",
      "missing ENOENT FileNotFoundError",
      "dir for writing EISDIR IsADirectoryError",
      "under a file ENOTDIR NotADirectoryError",
      "mkdir existing EEXIST FileExistsError",
      "rmdir non-empty ENOTEMPTY OSError",
      "symlink EPERM PermissionError",
      "move out of the mount EXDEV OSError",
      "past the memory limit EFBIG OSError",
      "",
    ]);
    const refused = run.audit.filter((e) => !e.allowed).map((e) => `${e.call} ${e.target}`);
    for (
      const line of [
        "fs.stat secret",
        "fs.checkWrite data/new.txt",
        "fs.writeBytes data/a.txt",
        "fs.checkWrite data/a.txt",
        "fs.stat data/private",
        "fs.stat data/out",
        "fs.stat data/around",
      ]
    ) {
      assert(refused.includes(line), `${line} audited as refused: ${refused.join(", ")}`);
    }
    assertEquals(await Deno.readTextFile(join(dir, "data", "a.txt")), "alpha\n");
    assertEquals(await Deno.stat(join(dir, "data", "new.txt")).catch(() => null), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mount: a file being created is seen by stat, listdir, rename and unlink", async () => {
  const dir = await hostFolder();
  try {
    const run = await runIn(dir, [
      "import os, tempfile",
      "f = open('work/new.txt', 'w'); f.write('first'); f.flush()",
      "print(os.path.getsize('work/new.txt'), sorted(os.listdir('work')))",
      "g = open('work/gone.txt', 'w'); os.remove('work/gone.txt'); g.write('lost'); g.close()",
      "h = open('work/before.txt', 'w'); h.write('moved'); os.rename('work/before.txt', 'work/after.txt'); h.close()",
      "f.write(' second'); f.close()",
      "with tempfile.NamedTemporaryFile('w', dir='work', delete=False) as t: t.write('temp'); name = t.name",
      "os.replace(name, 'work/final.txt')",
      "print(sorted(os.listdir('work')), open('work/final.txt').read())",
    ]);
    assertEquals(run.out.split("\n"), [
      "5 ['new.txt', 'tree']",
      "['after.txt', 'final.txt', 'new.txt', 'tree'] temp",
      "",
    ]);
    assertEquals(await Deno.readTextFile(join(dir, "work", "new.txt")), "first second");
    assertEquals(await Deno.readTextFile(join(dir, "work", "after.txt")), "moved");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const NO_COPY = [
  "print(open('data/a.txt').read().strip())",
  "input()",
  "print(open('data/a.txt').read().strip())",
].join("\n");

Deno.test("mount: nothing is copied — a change on the host during the run is seen", async () => {
  const dir = await hostFolder();
  try {
    const run = await runIn(dir, NO_COPY.split("\n"), () => {
      Deno.writeTextFileSync(join(dir, "data", "a.txt"), "changed on the host\n");
      return "";
    });
    assertEquals(run.out, "alpha\nchanged on the host\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mount: in the sandbox Worker, a change on the host after boot is seen; audit holds", async () => {
  const dir = await hostFolder();
  try {
    const cart = await makeCartridge({
      entry: "main.py",
      permissions: { read: ["./data"] },
    }, {
      "main.py":
        `${NO_COPY}\ntry: open('secret/key.txt')\nexcept PermissionError: print('refused')\n`,
    });
    let out = "";
    const audit: string[] = [];
    const result = await bootSandboxed(cart, {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      grant: { ...NO_GRANT, read: ["data"] },
      root: await realRoot(dir),
      readLine: async () => {
        await Deno.writeTextFile(join(dir, "data", "a.txt"), "changed on the host\n");
        return "";
      },
      audit: (e) => audit.push(`${e.call} ${e.target} ${e.allowed}`),
    });
    assertEquals(out, "alpha\nchanged on the host\nrefused\n");
    assertEquals(result.exitCode, 0);
    assertEquals(audit.filter((a) => a.startsWith("fs.readBytes")), [
      "fs.readBytes data/a.txt true",
      "fs.readBytes data/a.txt true",
    ]);
    assert(audit.includes("fs.stat secret false"), audit.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
