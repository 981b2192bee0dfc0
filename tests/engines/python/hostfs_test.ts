import { join } from "node:path";
import { realRoot } from "../../../src/host/fs_access.ts";
import { NO_GRANT } from "../../../src/host/grant.ts";
import { assert, assertEquals } from "../../assert.ts";
import { runPython } from "./helpers.ts";

/** A host folder: data/ (granted for reading), work/ (read and write), secret/ (not granted). */
async function hostFolder(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(join(dir, "data", "sub"), { recursive: true });
  await Deno.mkdir(join(dir, "work"));
  await Deno.mkdir(join(dir, "secret"));
  await Deno.writeTextFile(join(dir, "data", "a.txt"), "alpha\n");
  await Deno.writeTextFile(join(dir, "data", "b.csv"), "1,2\n");
  await Deno.writeTextFile(join(dir, "data", "sub", "c.txt"), "gamma");
  await Deno.writeTextFile(join(dir, "work", "notes.txt"), "start");
  await Deno.writeTextFile(join(dir, "secret", "key.txt"), "hidden");
  return dir;
}

const GRANT = { ...NO_GRANT, read: ["data", "work"], write: ["work"] };

async function runIn(dir: string, lines: string[]) {
  const run = await runPython({ "main.py": lines.join("\n") }, {
    grant: GRANT,
    root: await realRoot(dir),
  });
  assert(run.error === undefined, `${run.error}\n${run.err}`);
  return run;
}

Deno.test("host folders: os.scandir, os.walk, os.stat, os.path and glob see the granted folder", async () => {
  const dir = await hostFolder();
  try {
    const run = await runIn(dir, [
      "import os, glob, stat",
      "with os.scandir('data') as it:",
      "    print(sorted((e.name, e.is_dir(), e.is_file()) for e in it))",
      "print([(top, sorted(dirs), sorted(files)) for top, dirs, files in os.walk('data')])",
      "st = os.stat('data/a.txt')",
      "print(st.st_size, stat.S_ISREG(st.st_mode), stat.S_ISDIR(os.stat('data/sub').st_mode))",
      "print(os.path.exists('data/a.txt'), os.path.isdir('data/sub'), os.path.isfile('data/none'))",
      "print(os.path.getsize('data/sub/c.txt'), sorted(glob.glob('data/*.txt')))",
      "print(sorted(glob.glob('data/**/*.txt', recursive=True)))",
      "try: os.scandir('secret')",
      "except PermissionError: print('secret refused')",
      "print(os.path.exists('secret/key.txt'))",
    ]);
    assertEquals(run.out.split("\n"), [
      "[('a.txt', False, True), ('b.csv', False, True), ('sub', True, False)]",
      "[('data', ['sub'], ['a.txt', 'b.csv']), ('data/sub', [], ['c.txt'])]",
      "6 True True",
      "True True False",
      "5 ['data/a.txt']",
      "['data/a.txt', 'data/sub/c.txt']",
      "secret refused",
      "False",
      "",
    ]);
    const lists = run.audit.filter((e) => e.call === "fs.list");
    assert(lists.some((e) => e.allowed && e.target.includes("data")), "listing audited");
    // The mount looks a name up (fs.stat) before anything else: that is what is refused.
    assert(
      run.audit.some((e) => e.call === "fs.stat" && !e.allowed && e.target === "secret"),
      "refusal audited",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("host folders: pathlib reads, writes, iterates, touches, renames and removes", async () => {
  const dir = await hostFolder();
  try {
    const run = await runIn(dir, [
      "from pathlib import Path",
      "print(sorted(p.name for p in Path('data').iterdir()), Path('data/a.txt').read_text().strip())",
      "print(sorted(str(p) for p in Path('data').glob('*.csv')), Path('data/sub').is_dir())",
      "out = Path('work/out')",
      "out.mkdir()",
      "(out / 'x.txt').write_text('x')",
      "(out / 'y.bin').write_bytes(bytes([0, 255]))",
      "(out / 'empty').touch()",
      "(out / 'x.txt').rename(out / 'z.txt')",
      "print(sorted(p.name for p in out.iterdir()), (out / 'y.bin').read_bytes())",
      "(out / 'empty').unlink()",
      "print(sorted(p.name for p in out.iterdir()), out.exists(), Path('work/none').exists())",
      "try: Path('data/new.txt').write_text('no')",
      "except PermissionError: print('data is read-only')",
    ]);
    assertEquals(run.out.split("\n"), [
      "['a.txt', 'b.csv', 'sub'] alpha",
      "['data/b.csv'] True",
      "['empty', 'y.bin', 'z.txt'] b'\\x00\\xff'",
      "['y.bin', 'z.txt'] True False",
      "data is read-only",
      "",
    ]);
    assertEquals(await Deno.readTextFile(join(dir, "work", "out", "z.txt")), "x");
    assertEquals(await Deno.readFile(join(dir, "work", "out", "y.bin")), new Uint8Array([0, 255]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("host folders: shutil copy, copytree, move, rmtree; open modes; os.open", async () => {
  const dir = await hostFolder();
  try {
    const run = await runIn(dir, [
      "import os, shutil",
      "shutil.copy('data/a.txt', 'work/a-copy.txt')",
      "shutil.copytree('data', 'work/tree')",
      "shutil.move('work/tree', 'work/moved')",
      "print(sorted(os.listdir('work')), sorted(os.listdir('work/moved/sub')))",
      "with open('work/notes.txt', 'r+') as f:",
      "    head = f.read(2); f.seek(0, 2); f.write('+more')",
      "with open('work/notes.txt', 'a') as f: f.write('!')",
      "with open('work/notes.txt', 'a+') as f: f.seek(0); print(head, f.read())",
      "fd = os.open('work/fd.txt', os.O_CREAT | os.O_WRONLY)",
      "os.write(fd, b'by descriptor'); os.close(fd)",
      "fd = os.open('work/fd.txt', os.O_RDONLY); print(os.read(fd, 100)); os.close(fd)",
      "os.replace('work/fd.txt', 'work/fd2.txt')",
      "shutil.rmtree('work/moved')",
      "os.remove('work/a-copy.txt')",
      "print(sorted(os.listdir('work')))",
      "try: shutil.copy('secret/key.txt', 'work/stolen.txt')",
      "except PermissionError: print('copy of secret refused')",
    ]);
    assertEquals(run.out.split("\n"), [
      "['a-copy.txt', 'moved', 'notes.txt'] ['c.txt']",
      "st start+more!",
      "b'by descriptor'",
      "['fd2.txt', 'notes.txt']",
      "copy of secret refused",
      "",
    ]);
    assertEquals(await Deno.readTextFile(join(dir, "work", "fd2.txt")), "by descriptor");
    assertEquals(await Deno.readTextFile(join(dir, "work", "notes.txt")), "start+more!");
    assert(
      run.audit.some((e) => e.call === "fs.remove" && e.allowed && e.target.includes("moved")),
      "removals audited",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
