import { join } from "node:path";
import {
  ensureSnapshotCached,
  PYODIDE_VERSION,
  readSnapshot,
  snapshotPath,
  writeSnapshot,
} from "../../src/boot/python_runtime.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

Deno.test("snapshot cache path: PXOS_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  const file = `pyodide-${PYODIDE_VERSION}.snapshot`;
  assertEquals(snapshotPath(env({ PXOS_CACHE_DIR: "/c", HOME: "/h" })), `/c/python/${file}`);
  assertEquals(snapshotPath(env({ XDG_CACHE_HOME: "/x", HOME: "/h" })), `/x/pxos/python/${file}`);
  assertEquals(snapshotPath(env({ HOME: "/h" })), `/h/.cache/pxos/python/${file}`);
  assertEquals(snapshotPath(env({})), undefined);
});

Deno.test("snapshot cache: hashed when its size or time changed, stale or corrupt snapshots not used", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "python", "s.snapshot");
    const reasons: string[] = [];
    assertEquals(await readSnapshot(path, (r) => reasons.push(r)), null, "missing");
    const bytes = new Uint8Array(4096).map((_, i) => i * 7);
    await writeSnapshot(path, bytes);
    assertEquals(await readSnapshot(path), bytes);
    // Touched but intact: hashed once, accepted, and the new time noted (no hash next time).
    await Deno.utime(path, new Date(), new Date(Date.now() + 5000));
    assertEquals(await readSnapshot(path), bytes);
    const touched = JSON.parse(await Deno.readTextFile(`${path}.json`));
    assertEquals(touched.mtime, (await Deno.stat(path)).mtime?.getTime());
    const corrupt = bytes.slice();
    corrupt[100] ^= 1;
    await Deno.writeFile(path, corrupt);
    await Deno.utime(path, new Date(), new Date(Date.now() + 10000)); // a changed file's time
    assertEquals(await readSnapshot(path, (r) => reasons.push(r)), null);
    assertMatch(reasons.at(-1)!, /SHA-256 does not match/);
    await writeSnapshot(path, bytes);
    const meta = JSON.parse(await Deno.readTextFile(`${path}.json`));
    await Deno.writeTextFile(`${path}.json`, JSON.stringify({ ...meta, pyodide: "0.1.0" }));
    assertEquals(await readSnapshot(path, (r) => reasons.push(r)), null);
    assertMatch(reasons.at(-1)!, /made for Pyodide 0\.1\.0/);
    assert(reasons.length === 2, `missing is not reported as stale: ${reasons}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ensureSnapshotCached: a current snapshot is left alone (size and time, no read)", async () => {
  const dir = await Deno.makeTempDir();
  const saved = Deno.env.get("PXOS_CACHE_DIR");
  try {
    Deno.env.set("PXOS_CACHE_DIR", dir);
    const path = snapshotPath()!;
    const bytes = new Uint8Array(4096).fill(7);
    await writeSnapshot(path, bytes);
    const before = await Deno.stat(path);
    // Same size and time, other bytes: only a check that reads (and hashes) would notice.
    await Deno.writeFile(path, new Uint8Array(4096).fill(8));
    await Deno.utime(path, before.atime!, before.mtime!);
    const started = performance.now();
    await ensureSnapshotCached(() => {
      throw new Error("a current snapshot must not be rebuilt");
    });
    assert(performance.now() - started < 2000, "no cold start");
    assertEquals((await Deno.stat(path)).mtime, before.mtime);
    assertEquals((await Deno.readFile(path))[0], 8, "left as it was");
  } finally {
    if (saved === undefined) Deno.env.delete("PXOS_CACHE_DIR");
    else Deno.env.set("PXOS_CACHE_DIR", saved);
    await Deno.remove(dir, { recursive: true });
  }
});
