import { assert, assertEquals } from "../../assert.ts";
import { NO_GRANT } from "../../../src/host/grant.ts";
import { realRoot } from "../../../src/host/fs_access.ts";
import { runWasmBytes } from "./helpers.ts";

const probe = await Deno.readFile(new URL("../../fixtures/wasm/probe.wasm", import.meta.url));

/** A root with data/ (read), out/ (write), other/ (not granted) and a file outside the root. */
async function sandbox(): Promise<{ root: string; outside: string }> {
  const base = await Deno.makeTempDir({ prefix: "pxos-wasm-sandbox-" });
  const root = `${base}/root`;
  for (const d of ["data", "out", "other"]) await Deno.mkdir(`${root}/${d}`, { recursive: true });
  await Deno.writeTextFile(`${root}/data/a.txt`, "hi");
  await Deno.writeTextFile(`${root}/data/secret.txt`, "no");
  await Deno.writeTextFile(`${root}/other/b.txt`, "other");
  await Deno.writeTextFile(`${base}/outside.txt`, "outside");
  await Deno.symlink(`${base}/outside.txt`, `${root}/data/link.txt`);
  await Deno.symlink(`${root}/other/b.txt`, `${root}/data/sideways.txt`);
  return { root: await realRoot(root), outside: `${base}/outside.txt` };
}

const GRANT = { ...NO_GRANT, read: ["data"], write: ["out"], denyRead: ["data/secret.txt"] };

async function probeRun(root: string, ops: string[]) {
  const run = await runWasmBytes(probe, {
    path: "probe.wasm",
    grant: GRANT,
    root,
    files: new Map([["note.txt", new TextEncoder().encode("cart file")]]),
    options: { args: ops },
  });
  assertEquals(run.error, undefined, String(run.error));
  const lines = new Map(
    run.stdout.trim().split("\n").map((l) => {
      const at = l.indexOf(": ");
      return [l.slice(0, at), l.slice(at + 2)] as [string, string];
    }),
  );
  return { lines, audit: run.audit };
}

Deno.test("wasm sandbox: granted files work, everything else is refused", async () => {
  const { root } = await sandbox();
  const { lines, audit } = await probeRun(root, [
    "r:/data/a.txt",
    "r:/cart/note.txt",
    "s:data/a.txt",
    "l:/data",
    "w:/out/r.txt",
    "m:/out/sub",
    "r:/etc/passwd",
    "r:../../x",
    "r:/data/../../x",
    "r:/other/b.txt",
    "w:/cart/x.txt",
    "w:/data/new.txt",
    "m:/data/sub",
    "r:/data/secret.txt",
    "r:/data/link.txt",
    "r:/data/sideways.txt",
  ]);
  assertEquals(lines.get("/data/a.txt"), "ok 2 hi");
  assertEquals(lines.get("/cart/note.txt"), "ok 9 cart file");
  assertEquals(lines.get("data/a.txt"), "ok file 2"); // relative to the cwd, /
  assertEquals(lines.get("/out/r.txt"), "ok written");
  assertEquals(await Deno.readTextFile(`${root}/out/r.txt`), "probe");
  assertEquals(lines.get("/out/sub"), "ok made");
  assert((await Deno.stat(`${root}/out/sub`)).isDirectory);
  assert(lines.get("/data")?.startsWith("ok "), lines.get("/data"));
  assert(lines.get("/data")!.split(" ").includes("a.txt"));
  // Outside every granted pre-open: refused by the host (the pre-open "/" and paths climbing
  // out of /data), so each is an EACCES and an audited refusal naming the path.
  const outside = ["/etc/passwd", "../../x", "/data/../../x", "/other/b.txt"];
  for (const p of outside) assertEquals(lines.get(p), "EACCES", p);
  assertEquals(lines.get("/cart/x.txt"), "EROFS");
  // Inside a pre-open but refused by the host's checks: EACCES, and audited.
  for (
    const p of [
      "/data/new.txt",
      "/data/sub",
      "/data/secret.txt",
      "/data/link.txt",
      "/data/sideways.txt",
    ]
  ) {
    assertEquals(lines.get(p), "EACCES", p);
  }
  const refused = audit.filter((e) => !e.allowed).map((e) => e.target);
  for (
    const t of ["data/new.txt", "data/sub", "data/secret.txt", "data/link.txt", "data/sideways.txt"]
  ) {
    assert(refused.includes(t), `audit has a refusal for ${t}: ${JSON.stringify(refused)}`);
  }
  for (const t of ["/etc/passwd", "/data/../../x", "/other/b.txt"]) {
    const entry = audit.find((e) => e.target === t);
    assert(entry && !entry.allowed && entry.call === "fs.readBytes", `audit: ${t} refused`);
  }
  assert(refused.some((t) => t.endsWith("../x")), `audit names ../../x: ${refused}`);
  assert(audit.some((e) => e.allowed && e.target === "data/a.txt" && e.call === "fs.readBytes"));
  assertEquals(await Deno.readTextFile(`${root}/other/b.txt`), "other");
});

Deno.test("wasm sandbox: writes, mkdir, unlink and stat outside the pre-opens are refused and audited", async () => {
  const { root, outside } = await sandbox();
  const made = `${outside}.new`;
  const { lines, audit } = await probeRun(root, [
    `w:${made}`,
    `m:${made}.d`,
    `u:${outside}`,
    `s:${outside}`,
    "l:/",
  ]);
  for (const p of [made, `${made}.d`, outside, "/"]) assertEquals(lines.get(p), "EACCES", p);
  assertEquals(await Deno.readTextFile(outside), "outside");
  assertEquals(await Deno.lstat(made).catch(() => null), null);
  assertEquals(await Deno.lstat(`${made}.d`).catch(() => null), null);
  const calls = (t: string) => audit.filter((e) => e.target === t && !e.allowed).map((e) => e.call);
  assert(calls(made).includes("fs.writeBytes"), JSON.stringify(audit));
  assert(calls(`${made}.d`).includes("fs.mkdir"), JSON.stringify(audit));
  assert(calls(outside).includes("fs.remove"), JSON.stringify(audit));
  assert(calls(outside).includes("fs.exists"), JSON.stringify(audit));
});

Deno.test("wasm sandbox: unlink inside the write grant, not outside it", async () => {
  const { root } = await sandbox();
  await Deno.writeTextFile(`${root}/out/old.txt`, "x");
  const { lines } = await probeRun(root, ["u:/out/old.txt", "u:/data/a.txt"]);
  assertEquals(lines.get("/out/old.txt"), "ok removed");
  assertEquals(lines.get("/data/a.txt"), "EACCES");
  assertEquals(await Deno.readTextFile(`${root}/data/a.txt`), "hi");
});

Deno.test("wasm sandbox: files cannot grow past the memory limit; /cart files cannot be resized", async () => {
  const { root } = await sandbox();
  const run = await runWasmBytes(probe, {
    path: "probe.wasm",
    grant: GRANT,
    root,
    files: new Map([["note.txt", new TextEncoder().encode("cart file")]]),
    limits: { memoryBytes: 4 * 1024 * 1024 },
    options: { args: ["T:/cart/note.txt", "T:/out/t.txt", "B:/out/b.txt", "w:/out/small.txt"] },
  });
  assertEquals(run.error, undefined, String(run.error));
  assertEquals(
    run.stdout,
    // out/ is write-only: opening t.txt for reading is refused before any resize.
    "/cart/note.txt: EBADF\n/out/t.txt: EACCES\n/out/b.txt: EFBIG\n/out/small.txt: ok written\n",
  );
  assertEquals(await Deno.readTextFile(`${root}/out/small.txt`), "probe");
});
