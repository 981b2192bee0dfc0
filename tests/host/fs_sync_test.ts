/**
 * The synchronous `fs.*` variants (`src/host/fs_sync.ts`) and the rows added for them
 * (`fs.stat`, `fs.rename`), through `createHost`'s `invokeSync` so the audit lines are checked
 * too. Each test builds its own tree:
 *
 *   tmp/outside/secret.txt    "SECRET"
 *   tmp/root/data/a.txt       "alpha"       (data: read)
 *   tmp/root/data/deny/d.txt  "denied"      (data/deny: denied for reading)
 *   tmp/root/data/out ->      tmp/outside   (a link out)
 *   tmp/root/saves/old.txt    "old"         (saves: write only)
 *   tmp/root/work/w.txt       "work"        (work: read and write)
 */
import { join } from "node:path";
import type { AuditEntry } from "../../src/host/audit.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import { createHost, type Host } from "../../src/host/host.ts";
import type { HostValue } from "../../src/host/calls.ts";
import { assert, assertEquals, assertPxosError } from "../assert.ts";

interface Tree {
  root: string;
  outside: string;
  host: Host;
  audit: AuditEntry[];
  call(name: string, ...args: HostValue[]): HostValue;
}

async function withTree(fn: (t: Tree) => Promise<void> | void): Promise<void> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "pxos-fs-sync-" }));
  try {
    const root = join(tmp, "root");
    const outside = join(tmp, "outside");
    for (const d of [outside, "data/deny", "saves", "work"]) {
      await Deno.mkdir(d === outside ? d : join(root, d), { recursive: true });
    }
    await Deno.writeTextFile(join(outside, "secret.txt"), "SECRET");
    await Deno.writeTextFile(join(root, "data/a.txt"), "alpha");
    await Deno.writeTextFile(join(root, "data/deny/d.txt"), "denied");
    await Deno.writeTextFile(join(root, "saves/old.txt"), "old");
    await Deno.writeTextFile(join(root, "work/w.txt"), "work");
    await Deno.symlink(outside, join(root, "data/out"));
    const audit: AuditEntry[] = [];
    const host = createHost({
      stdout: () => {},
      grant: {
        ...NO_GRANT,
        read: ["data", "work"],
        write: ["saves", "work"],
        denyRead: ["data/deny"],
      },
      root,
      audit: (e) => audit.push(e),
    });
    await host.prepareSync!();
    const call = (name: string, ...args: HostValue[]) => host.invokeSync!(name, args);
    await fn({ root, outside, host, audit, call });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

Deno.test("fs sync: stat answers type, size, times and mode; null when missing", async () => {
  await withTree(async ({ root, call, audit }) => {
    const mtime = new Date("2021-01-02T03:04:05Z");
    await Deno.utime(join(root, "data/a.txt"), mtime, mtime);
    await Deno.chmod(join(root, "data/a.txt"), 0o640);
    const stat = JSON.parse(String(call("fs.stat", "data/a.txt")));
    assertEquals(stat, {
      type: "file",
      size: 5,
      mtimeMs: mtime.getTime(),
      atimeMs: mtime.getTime(),
      mode: 0o640,
    });
    assertEquals(JSON.parse(String(call("fs.stat", "work"))).type, "dir");
    assertEquals(call("fs.stat", "data/none.txt"), null);
    // A write-only folder: its entries may be looked at (not read).
    assertEquals(JSON.parse(String(call("fs.stat", "saves/old.txt"))).size, 3);
    await assertPxosError(() => call("fs.readBytes", "saves/old.txt"), "E_PERMISSION");
    assertEquals(audit.map((e) => [e.call, e.target, e.allowed]), [
      ["fs.stat", "data/a.txt", true],
      ["fs.stat", "work", true],
      ["fs.stat", "data/none.txt", true],
      ["fs.stat", "saves/old.txt", true],
      ["fs.readBytes", "saves/old.txt", false],
    ]);
  });
});

Deno.test("fs sync: stat refuses what is not granted, denied, or reached through a link out", async () => {
  await withTree(async ({ call, audit }) => {
    await assertPxosError(
      () => call("fs.stat", "top.txt"),
      "E_PERMISSION",
      /not granted|covers only/,
    );
    await assertPxosError(() => call("fs.stat", "data/deny/d.txt"), "E_PERMISSION", /denied/);
    await assertPxosError(() => call("fs.stat", "data/out/secret.txt"), "E_PERMISSION", /link/);
    await assertPxosError(() => call("fs.stat", "../outside"), "E_PERMISSION", /escapes/);
    assertEquals(audit.filter((e) => !e.allowed).length, 4);
  });
});

Deno.test("fs sync: rename moves files and folders inside the write grant, audited", async () => {
  await withTree(async ({ root, call, audit }) => {
    await Deno.mkdir(join(root, "work/dir/inner"), { recursive: true });
    await Deno.writeTextFile(join(root, "work/dir/inner/x.txt"), "x");
    call("fs.rename", "work/dir", "work/moved");
    call("fs.rename", "work/w.txt", "saves/w.txt");
    assertEquals(await Deno.readTextFile(join(root, "work/moved/inner/x.txt")), "x");
    assertEquals(await Deno.readTextFile(join(root, "saves/w.txt")), "work");
    await assertPxosError(() => call("fs.rename", "data/a.txt", "work/a.txt"), "E_PERMISSION");
    await assertPxosError(() => call("fs.rename", "work/moved", "data/moved"), "E_PERMISSION");
    await assertPxosError(() => call("fs.rename", "work", "saves/work"), "E_PERMISSION", /itself/);
    await assertPxosError(() => call("fs.rename", "work/moved", "work/moved/in"), "E_IO", /inside/);
    await assertPxosError(() => call("fs.rename", "work/none", "work/x"), "E_IO", /does not exist/);
    assertEquals(audit.slice(0, 2).map((e) => [e.call, e.target, e.allowed]), [
      ["fs.rename", "work/dir -> work/moved", true],
      ["fs.rename", "work/w.txt -> saves/w.txt", true],
    ]);
    assertEquals(await Deno.readTextFile(join(root, "data/a.txt")), "alpha");
  });
});

Deno.test("fs sync: reads, atomic writes, binary appends, listing, mkdir and remove", async () => {
  await withTree(async ({ root, call }) => {
    assertEquals(call("fs.readBytes", "data/a.txt"), new TextEncoder().encode("alpha"));
    call("fs.writeBytes", "work/b.bin", new Uint8Array([0, 255]));
    call("fs.appendText", "work/b.bin", new Uint8Array([1, 254]));
    assertEquals(await Deno.readFile(join(root, "work/b.bin")), new Uint8Array([0, 255, 1, 254]));
    call("fs.mkdir", "work/n/m");
    assertEquals(call("fs.list", "work"), "b.bin\nn/\nw.txt");
    call("fs.remove", "work/n/m");
    await assertPxosError(() => call("fs.remove", "work/n/none"), "E_IO", /does not exist/);
    await assertPxosError(() => call("fs.writeBytes", "data/new.txt", "x"), "E_PERMISSION");
    // No temporary file is left beside the target.
    assertEquals(call("fs.list", "work"), "b.bin\nn/\nw.txt");
  });
});

Deno.test({
  name: "fs sync: a FIFO is refused at once, not waited on",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await withTree(async ({ root, call }) => {
      const made = await new Deno.Command("mkfifo", { args: [join(root, "work/fifo")] }).output();
      assert(made.success, "mkfifo");
      const started = performance.now();
      await assertPxosError(() => call("fs.readBytes", "work/fifo"), "E_IO", /not a regular file/);
      await assertPxosError(() => call("fs.appendText", "work/fifo", "x"), "E_IO");
      assert(performance.now() - started < 5000, "answered without waiting for a writer");
    });
  },
});

Deno.test("fs sync: rows that can only answer later are refused by invokeSync", async () => {
  await withTree(async ({ host }) => {
    await assertPxosError(
      () => host.invokeSync!("net.fetch", ["GET", "http://x/", "", ""]),
      "E_TRAP",
    );
    assertEquals(host.invokeSync!("clock.monotonic", []), 1);
  });
});
