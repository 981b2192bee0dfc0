import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { pseudoRandomBytes, redigest } from "./helpers.ts";
import { readArchive } from "../../src/archive/reader.ts";
import {
  ARCHIVE_ENTRY_BYTES,
  ARCHIVE_HEADER_BYTES,
  ARCHIVE_MAGIC,
  ARCHIVE_VERSION,
  ENTRY_FLAG_DIRECTORY,
} from "../../src/archive/format.ts";
import {
  archivePathProblem,
  pathProblemInFull,
  plainArchivePath,
} from "../../src/archive/paths.ts";

const PIECES = [
  "a",
  "Z",
  "0",
  ".",
  "..",
  "/",
  "\\",
  ":",
  "\0",
  "\x01",
  "\x1f",
  "\x7f",
  " ",
  "é",
  "😀",
];

Deno.test("plainArchivePath never passes a path the rules refuse (random paths)", () => {
  const choices = pseudoRandomBytes(50_000 * 10, 16); // seeded: a failure names a reproducible path
  let plain = 0;
  for (let n = 0, k = 0; n < 50_000; n++) {
    let path = "";
    const parts = choices[k++] % 10;
    for (let i = 0; i < parts; i++) path += PIECES[choices[k++] % PIECES.length];
    const full = pathProblemInFull(path);
    if (plainArchivePath(path)) {
      plain++;
      assertEquals(full, null, `plain pass for ${JSON.stringify(path)}`);
    }
    assertEquals(archivePathProblem(path), full, JSON.stringify(path));
  }
  assert(plain > 1000, `the one-pass check took only ${plain} paths`);
});

Deno.test("plainArchivePath: the edges of each rule", () => {
  const cases: [string, boolean][] = [
    ["a/b/c.txt", true],
    ["..a/b..", true],
    ["a/.../b", true],
    ["é/😀", true],
    ["", false],
    ["/a", false],
    ["a/", false],
    ["a//b", false],
    ["./a", false],
    ["a/.", false],
    ["a/../b", false],
    ["..", false],
    ["C:/a", false],
    ["a\\b", false],
    ["a\0b", false],
    ["a\x7fb", false],
    ["a\nb", false],
    ["x".repeat(341), true],
    ["x".repeat(342), false], // may be long: measured in full
    ["é".repeat(600), false],
  ];
  for (const [path, plain] of cases) {
    assertEquals(plainArchivePath(path), plain, JSON.stringify(path));
    if (plain) assertEquals(pathProblemInFull(path), null);
  }
  assertEquals(archivePathProblem("x".repeat(1024)), null);
  assertEquals(archivePathProblem("x".repeat(1025)), "is longer than 1024 bytes");
  assertEquals(archivePathProblem("é".repeat(513)), "is longer than 1024 bytes");
  assertEquals(archivePathProblem("C:/a"), "starts with a drive letter");
  assertEquals(archivePathProblem("1:/a"), null);
});

Deno.test("an index entry whose path is longer than the rules allow is refused as too long, ASCII or not", async () => {
  for (const path of ["a".repeat(5000), "é".repeat(600)]) {
    const pathBytes = new TextEncoder().encode(path);
    const archive = new Uint8Array(ARCHIVE_HEADER_BYTES + ARCHIVE_ENTRY_BYTES + pathBytes.length);
    const view = new DataView(archive.buffer);
    archive.set(ARCHIVE_MAGIC, 0);
    view.setUint16(4, ARCHIVE_VERSION, true);
    view.setUint32(8, 1, true); // one entry
    view.setUint32(12, ARCHIVE_ENTRY_BYTES + pathBytes.length, true); // index bytes; no data
    view.setUint16(ARCHIVE_HEADER_BYTES, pathBytes.length, true);
    view.setUint16(ARCHIVE_HEADER_BYTES + 2, ENTRY_FLAG_DIRECTORY, true);
    archive.set(pathBytes, ARCHIVE_HEADER_BYTES + ARCHIVE_ENTRY_BYTES);
    await assertPxosError(
      async () => await readArchive(await redigest(archive)),
      "E_PATH",
      /is longer than 1024 bytes/,
    );
  }
});
