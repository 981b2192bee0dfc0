/**
 * Attack (issue 10 §2): `--deny-read=./data/sub` bypassed by reading `data/sublink/s.txt` where
 * `sublink → sub`, and `--deny-write=./out/protected` bypassed by writing through
 * `out/plink → protected`. Stopped by the host's file layer (`src/host/fs_access.ts`), which
 * resolves the guest path once and checks grant and deny on that real path.
 */
import { join } from "node:path";
import { createHost } from "../../src/host/host.ts";
import type { AuditEntry } from "../../src/host/audit.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../assert.ts";
import { inTempDir, pohAttempts, pxos, readAudit, writeCart } from "./in_process.ts";

/** data/{ok.txt, sub/s.txt, sublink → sub} and out/{protected/p.txt, plink → protected}. */
async function linkedTree(dir: string): Promise<string> {
  const root = join(dir, "root");
  await Deno.mkdir(join(root, "data/sub"), { recursive: true });
  await Deno.mkdir(join(root, "out/protected"), { recursive: true });
  await Deno.writeTextFile(join(root, "data/ok.txt"), "fine");
  await Deno.writeTextFile(join(root, "data/sub/s.txt"), "SUB-SECRET");
  await Deno.writeTextFile(join(root, "out/protected/p.txt"), "keep");
  await Deno.symlink("sub", join(root, "data/sublink"));
  await Deno.symlink("protected", join(root, "out/plink"));
  return root;
}

/** What `out/protected` must still hold after every attempt. */
async function assertProtectedUntouched(root: string): Promise<void> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(root, "out/protected"))) names.push(e.name);
  assertEquals(names, ["p.txt"]);
  assertEquals(await Deno.readTextFile(join(root, "out/protected/p.txt")), "keep");
}

Deno.test("security: deny wins through links in pxos boot (read, write, append, mkdir, list, exists)", async () => {
  await inTempDir(async (dir) => {
    const root = await linkedTree(dir);
    const cart = await writeCart(join(dir, "links.pxa"), {
      entry: "main.poh",
      permissions: { read: ["./data", "./out"], write: ["./out"] },
    }, {
      "main.poh": pohAttempts([
        'Write read file at "data/sublink/s.txt"',
        'Write list files in directory at "data/sublink"',
        'Write file exists at "data/sublink/s.txt"',
        'write "pwn" to file at "out/plink/p.txt"',
        'write "pwn" to file at "out/plink/new.txt"',
        'append "pwn" to file at "out/plink/p.txt"',
        'append "pwn" to file at "out/plink/new2.txt"',
        'create directory at "out/plink/d"',
        'delete file at "out/plink/p.txt"',
        'Write read file at "data/ok.txt"',
        'write "free" to file at "out/free.txt"',
      ]),
    });
    const audit = join(dir, "audit.jsonl");
    const r = await pxos(
      "boot",
      cart,
      "--root",
      root,
      "--allow-read",
      "--allow-write",
      "--deny-read=./data/sub",
      "--deny-write=./out/protected",
      "--audit",
      audit,
    );
    assertEquals(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    const refusals = lines.slice(0, 9);
    for (const [i, line] of refusals.entries()) {
      const kind = i < 3 ? "read" : "write";
      assertMatch(
        line,
        new RegExp(`^no fs\\.\\w+: .* through a symbolic link, which is denied for ${kind}$`),
      );
    }
    assertEquals(lines.slice(9), ["fine", "ok", "ok"]);
    assertEquals(await Deno.readTextFile(join(root, "out/free.txt")), "free");
    await assertProtectedUntouched(root);

    const fsLines = (await readAudit(audit)).filter((e) => e.call.startsWith("fs."));
    assertEquals(fsLines.map((e) => [e.call, e.target, e.allowed]), [
      ["fs.readText", "data/sublink/s.txt", false],
      ["fs.list", "data/sublink", false],
      ["fs.exists", "data/sublink/s.txt", false],
      ["fs.writeText", "out/plink/p.txt", false],
      ["fs.writeText", "out/plink/new.txt", false],
      ["fs.appendText", "out/plink/p.txt", false],
      ["fs.appendText", "out/plink/new2.txt", false],
      ["fs.mkdir", "out/plink/d", false],
      ["fs.remove", "out/plink/p.txt", false],
      ["fs.readText", "data/ok.txt", true],
      ["fs.writeText", "out/free.txt", true],
    ]);
    for (const e of fsLines.slice(0, 9)) assertMatch(e.reason, /denied for (read|write)/);
  });
});

Deno.test("security: deny through links is E_PERMISSION at the host, also a denial that is a link or missing", async () => {
  await inTempDir(async (dir) => {
    const root = await linkedTree(dir);
    // A denied name that is itself a link: denying the link denies what it leads to.
    await Deno.symlink("sub", join(root, "data/alias"));
    const audit: AuditEntry[] = [];
    const host = createHost({
      stdout: () => {},
      root,
      cartridge: "links",
      audit: (e) => audit.push(e),
      grant: {
        ...NO_GRANT,
        read: ["data", "out"],
        write: ["out"],
        denyRead: ["data/alias", "data/later"],
        denyWrite: ["out/protected"],
      },
    });
    const call = (name: string, ...args: string[]) => Promise.resolve(host.invoke(name, args));
    const attempts: [string, string[]][] = [
      ["fs.readText", ["data/sub/s.txt"]], // the real place of a denied link
      ["fs.readBytes", ["data/sublink/s.txt"]],
      ["fs.writeText", ["out/plink/new.txt", "x"]],
      ["fs.writeBytes", ["out/plink/p.txt", "x"]],
      ["fs.mkdir", ["out/plink/a/b"]],
    ];
    for (const [name, args] of attempts) {
      await assertPxosError(() => call(name, ...args), "E_PERMISSION", /denied for (read|write)/);
    }
    // A denied directory that does not exist yet, reached through a link once it does.
    await Deno.mkdir(join(root, "data/later"));
    await Deno.writeTextFile(join(root, "data/later/l.txt"), "LATER");
    await Deno.symlink("later", join(root, "data/latelink"));
    await assertPxosError(() => call("fs.readText", "data/latelink/l.txt"), "E_PERMISSION");
    assertEquals(audit.length, attempts.length + 1);
    assert(audit.every((e) => !e.allowed && /denied for/.test(e.reason)), JSON.stringify(audit));
    await assertProtectedUntouched(root);
    // What no denial covers still works.
    assertEquals(await call("fs.readText", "data/ok.txt"), "fine");
  });
});
