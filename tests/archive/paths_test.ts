import { assert, assertEquals } from "../assert.ts";
import { pseudoRandomBytes } from "./helpers.ts";
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
