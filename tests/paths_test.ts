/**
 * `src/paths.ts` against `node:path/posix`, case by case: the edge cases by name, then random
 * paths made of the pieces paths break on (`.`, `..`, empty and repeated separators, dots).
 */
import * as posix from "node:path/posix";
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "../src/paths.ts";
import { assertEquals } from "./assert.ts";

const CASES = [
  "",
  ".",
  "..",
  "/",
  "//",
  "///a",
  "a",
  "a/",
  "a//",
  "/a",
  "/a/",
  "a/b",
  "a/b/",
  "/a/b/c",
  "./a",
  "../a",
  "a/./b",
  "a/../b",
  "a/../../b",
  "/../a",
  "/a/../..",
  ".a",
  "a.",
  "a.b",
  "a.b.c",
  "/x/.hidden",
  "/x/y.tar.gz",
  "..a",
  "a..",
  "./",
  "../",
  "/./",
  "a/.",
  "a/..",
  "file.txt/",
  "dir//file.txt",
];

Deno.test("dirname, basename, extname and isAbsolute agree with node:path/posix", () => {
  for (const p of CASES) {
    assertEquals(dirname(p), posix.dirname(p), `dirname(${JSON.stringify(p)})`);
    assertEquals(basename(p), posix.basename(p), `basename(${JSON.stringify(p)})`);
    assertEquals(extname(p), posix.extname(p), `extname(${JSON.stringify(p)})`);
    assertEquals(isAbsolute(p), posix.isAbsolute(p), `isAbsolute(${JSON.stringify(p)})`);
  }
});

Deno.test("join, resolve and relative agree with node:path/posix", () => {
  for (const a of CASES) {
    for (const b of CASES) {
      const what = `(${JSON.stringify(a)}, ${JSON.stringify(b)})`;
      assertEquals(join(a, b), posix.join(a, b), `join${what}`);
      assertEquals(resolve(a, b), posix.resolve(a, b), `resolve${what}`);
      assertEquals(relative(a, b), posix.relative(a, b), `relative${what}`);
    }
  }
  assertEquals(join(), posix.join());
  assertEquals(resolve(), posix.resolve());
});

Deno.test("random paths: every function agrees with node:path/posix", () => {
  const pieces = ["a", "b", ".", "..", "", "c.d", ".e", "f."];
  let seed = 12345;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const randomPath = () => {
    const parts = Array.from({ length: 1 + next(5) }, () => pieces[next(pieces.length)]);
    return (next(3) === 0 ? "/" : "") + parts.join("/") + (next(4) === 0 ? "/" : "");
  };
  for (let i = 0; i < 3000; i++) {
    const [a, b, c] = [randomPath(), randomPath(), randomPath()];
    assertEquals(join(a, b, c), posix.join(a, b, c), `join(${a}, ${b}, ${c})`);
    assertEquals(resolve(a, b, c), posix.resolve(a, b, c), `resolve(${a}, ${b}, ${c})`);
    assertEquals(relative(a, b), posix.relative(a, b), `relative(${a}, ${b})`);
    assertEquals(dirname(a), posix.dirname(a), `dirname(${a})`);
    assertEquals(basename(a), posix.basename(a), `basename(${a})`);
    assertEquals(extname(a), posix.extname(a), `extname(${a})`);
  }
});

Deno.test("fromFileUrl agrees with node:url's fileURLToPath, and refuses what it refuses", async () => {
  const { fileURLToPath } = await import("node:url");
  const { fromFileUrl } = await import("../src/paths.ts");
  for (const url of ["file:///a/b", "file:///a%20b/c%C3%A9", "file://localhost/x", "file:///"]) {
    assertEquals(fromFileUrl(url), fileURLToPath(url), url);
  }
  for (const url of ["https://x/y", "file:///a%2fb", "file://host/x"]) {
    let threw = false;
    try {
      fromFileUrl(url);
    } catch {
      threw = true;
    }
    assertEquals(threw, true, url);
  }
});
