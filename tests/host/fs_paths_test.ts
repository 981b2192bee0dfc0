/** Lexical path rules and grant matching (symbolic links are fs_access_test's business). */
import {
  displayPath,
  grantedDirFor,
  isWithin,
  normalizeGuestPath,
} from "../../src/host/fs_paths.ts";
import { assert, assertEquals, assertPxosError } from "../assert.ts";

Deno.test("normalizeGuestPath resolves . and .. lexically and drops empty segments", () => {
  assertEquals(normalizeGuestPath("./data/../saves/x.txt"), "saves/x.txt");
  assertEquals(normalizeGuestPath("data//maps/./a"), "data/maps/a");
  assertEquals(normalizeGuestPath("data/"), "data");
  assertEquals(normalizeGuestPath("."), "");
  assertEquals(normalizeGuestPath(""), "");
  assertEquals(normalizeGuestPath("a/.."), "");
  assertEquals(normalizeGuestPath("a/b/../../c"), "c");
  assertEquals(normalizeGuestPath("..."), /* a name, not a climb */ "...");
  assertEquals(normalizeGuestPath("..a/b.."), "..a/b..");
});

Deno.test("normalizeGuestPath refuses escapes, absolute paths, NUL and backslash", async () => {
  for (const p of ["..", "../x", "a/../../x", "./..", "a/b/../../../c", "data/../../etc/passwd"]) {
    await assertPxosError(() => normalizeGuestPath(p), "E_PERMISSION", /escapes the root/);
  }
  for (const p of ["/etc/passwd", "/", "//server/share", "C:/Windows", "c:x"]) {
    await assertPxosError(() => normalizeGuestPath(p), "E_PERMISSION", /absolute path/);
  }
  for (const p of ["a\0b", "data/x\0", "..\\x", "data\\..\\..\\x"]) {
    await assertPxosError(() => normalizeGuestPath(p), "E_PERMISSION", /separators/);
  }
});

Deno.test("isWithin compares whole segments", () => {
  assert(isWithin("data", "data"));
  assert(isWithin("data/x", "data"));
  assert(isWithin("data/x/y", "data/x"));
  assert(isWithin("anything", ""));
  assert(isWithin("", ""));
  assert(!isWithin("database", "data"));
  assert(!isWithin("data-old/x", "data"));
  assert(!isWithin("dat", "data"));
  assert(!isWithin("", "data"));
});

Deno.test("displayPath shows the root as . and others as ./path", () => {
  assertEquals(displayPath(""), ".");
  assertEquals(displayPath("data/x"), "./data/x");
});

Deno.test("grantedDirFor: the covering directory, deny wins, clear refusals", async () => {
  const grant = { allow: ["data", "saves/slot1"], deny: ["data/secret"] };
  assertEquals(grantedDirFor("fs.readText", "read", "data/a.txt", grant), "data");
  assertEquals(grantedDirFor("fs.readText", "read", "data", grant), "data");
  assertEquals(grantedDirFor("fs.readText", "read", "saves/slot1/x", grant), "saves/slot1");
  await assertPxosError(
    () => grantedDirFor("fs.readText", "read", "data/secret/k", grant),
    "E_PERMISSION",
    /^fs\.readText: \.\/data\/secret\/k is under \.\/data\/secret, which is denied for read$/,
  );
  await assertPxosError(
    () => grantedDirFor("fs.readText", "read", "saves/slot2", grant),
    "E_PERMISSION",
    /the read grant covers only \.\/data, \.\/saves\/slot1/,
  );
  await assertPxosError(
    () => grantedDirFor("fs.readText", "read", "database", grant),
    "E_PERMISSION",
  );
  await assertPxosError(
    () => grantedDirFor("fs.writeText", "write", "x", { allow: [], deny: [] }),
    "E_PERMISSION",
    /write is not granted/,
  );
  // A grant of the root covers everything except what is denied.
  assertEquals(grantedDirFor("c", "read", "a/b", { allow: [""], deny: [] }), "");
  await assertPxosError(
    () => grantedDirFor("c", "read", "a/b", { allow: [""], deny: [""] }),
    "E_PERMISSION",
    /denied/,
  );
});
