import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { packArchive } from "../../src/archive/writer.ts";
import { readArchive } from "../../src/archive/reader.ts";
import { ARCHIVE_ENTRY_BYTES } from "../../src/archive/format.ts";
import { entryOffset, pseudoRandomBytes, redigest, utf8 } from "./helpers.ts";

const sample = () => [
  { path: "pxos.json", data: utf8('{"name":"t","version":"1.0.0","entry":"main.txt"}') },
  { path: "main.txt", data: utf8("hello ".repeat(200)) },
  { path: "bin/random.dat", data: pseudoRandomBytes(5000) },
  { path: "empty.txt", data: new Uint8Array(0) },
  { path: "deep/er/still/file.txt", data: utf8("nested") },
  { path: "emptydir", directory: true as const },
];

Deno.test("archive round-trips text, binary, empty, nested files and empty directories", async () => {
  const input = sample();
  const archive = await readArchive(await packArchive(input));
  for (const m of input) {
    if (m.directory) {
      assert(archive.entries.some((e) => e.path === m.path && e.directory));
      continue;
    }
    assertEquals(await archive.read(m.path), m.data);
  }
  assertEquals(archive.entries.map((e) => e.path), [...input.map((m) => m.path)].sort());
  const report = await archive.verify();
  assertEquals(report, { ok: true, checked: 5, failures: [] });
});

Deno.test("compressible files are deflated, random ones stored", async () => {
  const archive = await readArchive(await packArchive(sample()));
  const byPath = new Map(archive.entries.map((e) => [e.path, e]));
  assert(byPath.get("main.txt")!.compressed);
  assert(byPath.get("main.txt")!.storedSize < 200);
  assert(!byPath.get("bin/random.dat")!.compressed);
  assertEquals(byPath.get("bin/random.dat")!.storedSize, 5000);
});

Deno.test("packing is deterministic and independent of input order", async () => {
  const a = await packArchive(sample());
  const b = await packArchive(sample().reverse());
  assertEquals(a, b);
});

Deno.test("packs running side by side in one process give the bytes they give alone", async () => {
  // The packer deflates into the reused engine's buffer and copies the result out before any
  // other code runs: interleaved packs must not see each other's bytes.
  const tree = (seed: number) =>
    Array.from({ length: 40 }, (_, i) => ({
      path: `d${seed}/f${i}.txt`,
      data: utf8(`file ${i} of tree ${seed}: ${"words and more words ".repeat(20 + i * seed)}`),
    }));
  const trees = [1, 2, 3].map(tree);
  const alone = [];
  for (const files of trees) alone.push(await packArchive(files));
  const together = await Promise.all(trees.map((files) => packArchive(files)));
  for (let i = 0; i < trees.length; i++) {
    assertEquals(together[i], alone[i], `tree ${i + 1}`);
    const back = await readArchive(together[i]);
    assertEquals(await back.read("d" + (i + 1) + "/f39.txt"), trees[i][39].data);
  }
});

Deno.test("packing refuses bad, duplicate and conflicting paths", async () => {
  const bad = ["/abs", "../up", "a/../b", "a/./b", "a//b", "nul\0", "C:/x", "back\\slash", ""];
  for (const path of bad) {
    await assertPxosError(() => packArchive([{ path, data: new Uint8Array(1) }]), "E_PATH");
  }
  await assertPxosError(
    () =>
      packArchive([{ path: "a", data: new Uint8Array(1) }, { path: "a", data: new Uint8Array(2) }]),
    "E_PATH",
    /duplicate/,
  );
  await assertPxosError(
    () =>
      packArchive([{ path: "a", data: new Uint8Array(1) }, {
        path: "a/b",
        data: new Uint8Array(2),
      }]),
    "E_PATH",
  );
});

Deno.test("reader refuses truncation, wrong magic and unknown versions", async () => {
  const bytes = await packArchive(sample());
  await assertPxosError(() => readArchive(bytes.slice(0, 10)), "E_ARCHIVE", /at least a 64-byte/);
  await assertPxosError(
    () => readArchive(bytes.slice(0, bytes.length - 1)),
    "E_ARCHIVE",
    /declares/,
  );
  const magic = bytes.slice();
  magic[0] = 0x51;
  await assertPxosError(() => readArchive(magic), "E_ARCHIVE", /magic/);
  const version = bytes.slice();
  version[4] = 9;
  await assertPxosError(
    async () => readArchive(await redigest(version)),
    "E_ARCHIVE",
    /version 1, found 9/,
  );
});

Deno.test("reader refuses an edited index (digest mismatch) and a tampered file (hash mismatch)", async () => {
  const bytes = await packArchive(sample());
  const edited = bytes.slice();
  edited[entryOffset(edited, 1) + ARCHIVE_ENTRY_BYTES] ^= 1; // one byte of a path
  await assertPxosError(() => readArchive(edited), "E_ARCHIVE_HASH", /digest mismatch/);

  const tampered = bytes.slice();
  tampered[tampered.length - 10] ^= 0xff; // inside the last member's data
  const archive = await readArchive(tampered);
  const report = await archive.verify();
  assertEquals(report.ok, false);
  assertEquals(report.failures.length, 1);
  assert(["E_ARCHIVE_HASH", "E_ARCHIVE"].includes(report.failures[0].code));
});

Deno.test("reader refuses lying counts, offsets and sizes even with a correct digest", async () => {
  const bytes = await packArchive(sample());
  const cases: [string, (b: Uint8Array, v: DataView) => void, RegExp][] = [
    ["entry count too large", (_b, v) => v.setUint32(8, 4000, true), /cannot hold|past the end/],
    ["entry count too small", (_b, v) => v.setUint32(8, 2, true), /index declares/],
    [
      "offset moved",
      (b, v) => v.setBigUint64(entryOffset(b, 2) + 8, 7n, true),
      /expected data offset/,
    ],
    [
      "stored length huge",
      (b, v) => v.setBigUint64(entryOffset(b, 2) + 16, 1n << 40n, true),
      /runs past/,
    ],
    [
      "size lies for stored",
      (b, v) => v.setBigUint64(entryOffset(b, 0) + 24, 4999n, true),
      /must equal/,
    ],
    ["unknown flag", (b, v) => v.setUint16(entryOffset(b, 0) + 2, 8, true), /unknown flags/],
    ["path length past index", (b, v) => v.setUint16(entryOffset(b, 5), 60000, true), /runs past/],
  ];
  for (const [name, edit, message] of cases) {
    const b = bytes.slice();
    edit(b, new DataView(b.buffer));
    const e = await assertPxosError(async () => readArchive(await redigest(b)), "E_ARCHIVE");
    assert(message.test(e.message), `${name}: ${e.message}`);
  }
});

Deno.test("reader refuses bad paths written by a hostile writer", async () => {
  const base = await packArchive([{ path: "aaaa", data: utf8("x") }, {
    path: "bbbb",
    data: utf8("y"),
  }]);
  for (
    const [replacement, message] of [
      ["../a", /'\.\.' segment/],
      ["/abs", /absolute/],
      ["a\0bc", /NUL/],
      ["aaaa", /duplicate/],
      ["C:/a", /drive/],
    ] as const
  ) {
    const b = base.slice();
    const at = entryOffset(b, 1);
    const pathBytes = new DataView(b.buffer).getUint16(at, true);
    const replacementBytes = utf8(replacement.padEnd(pathBytes, "x").slice(0, pathBytes));
    if (replacement === "a\0bc") replacementBytes.set(utf8("a\0bc"));
    b.set(replacementBytes, at + ARCHIVE_ENTRY_BYTES);
    await assertPxosError(async () => readArchive(await redigest(b)), "E_PATH", message);
  }
});

Deno.test("a deflated member that inflates past its declared size is refused (no bomb)", async () => {
  const b = await packArchive([{ path: "zeros", data: new Uint8Array(1 << 20) }]);
  const at = entryOffset(b, 0);
  new DataView(b.buffer).setBigUint64(at + 24, 1000n, true); // claim 1000 bytes
  const archive = await readArchive(await redigest(b));
  await assertPxosError(() => archive.read("zeros"), "E_ARCHIVE", /declared size|expected 1000/);
});

Deno.test("declared sizes beyond maxUnpackedBytes are refused before inflating", async () => {
  const b = await packArchive([{ path: "zeros", data: new Uint8Array(1 << 20) }]);
  await assertPxosError(() => readArchive(b, { maxUnpackedBytes: 1000 }), "E_CAPACITY");
});
