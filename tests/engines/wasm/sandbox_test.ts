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
  // No pre-open covers these: the guest cannot even name them.
  for (const p of ["/etc/passwd", "../../x", "/data/../../x", "/other/b.txt"]) {
    assertEquals(lines.get(p), "ENOTCAPABLE", p);
  }
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
  assert(audit.some((e) => e.allowed && e.target === "data/a.txt" && e.call === "fs.readBytes"));
  assertEquals(await Deno.readTextFile(`${root}/other/b.txt`), "other");
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
