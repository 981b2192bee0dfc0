/**
 * `src/archive/semver_check.ts` against the npm `semver` package it replaces at start-up: the same
 * answer for every version, range and pair in a corpus of ordinary and awkward inputs.
 */
// @ts-types="@types/semver"
import semver from "semver";
import {
  isSemanticVersion,
  isVersionRange,
  versionSatisfies,
} from "../../src/archive/semver_check.ts";
import { assertEquals } from "../assert.ts";

const VERSIONS = [
  "0.1.0",
  "1.0.0",
  "1.2.3",
  "v1.2.3",
  " 1.2.3 ",
  "=1.2.3",
  "1.2",
  "1",
  "01.2.3",
  "1.02.3",
  "1.2.3-alpha",
  "1.2.3-alpha.1",
  "1.2.3-0",
  "1.2.3-alpha.01",
  "1.2.3+build.5",
  "1.2.3-rc.1+b",
  "1.2.3-",
  "1.2.3+",
  "1.2.3.4",
  "",
  "x",
  "1.x.0",
  "2.0.0-beta",
  "0.0.1",
  "0.2.5",
  "1.3.0-0",
  "9007199254740992.0.0",
  "1.2.3-a-b.c--d",
  "1.2.3 - 1.2.4",
  "a.b.c",
  "1.2.3-beta.2",
  "3.0.0",
];
const RANGES = [
  ">=0.1.0",
  ">0.1.0",
  "<1.0.0",
  "<=1.2.3",
  "=1.2.3",
  "1.2.3",
  ">= 0.1.0",
  "^1.2.3",
  "^0.2.3",
  "^0.0.3",
  "^1.2",
  "^0.2",
  "^0.0",
  "^1",
  "^0",
  "~1.2.3",
  "~1.2",
  "~1",
  "~>1.2.3",
  "~ 1.2.3",
  "1.x",
  "1.2.x",
  "*",
  "",
  "x",
  "X",
  "1.*",
  ">1",
  ">1.2",
  ">=1",
  "<1",
  "<1.2",
  "<=1",
  "<=1.2",
  ">*",
  "<*",
  "1.2.3 - 2.3.4",
  "1.2 - 2.3.4",
  "1.2.3 - 2.3",
  "1.2.3 - 2",
  "1.2.3 - *",
  ">=1.2.3 <2.0.0",
  ">=1.2.3 || <0.1.0",
  "1.2.7 || >=1.2.9 <2.0.0",
  "^1.2.3-beta.2",
  ">1.2.3-alpha.3",
  "~1.2.3-beta.2",
  ">=1.2.3-0 <1.2.4",
  "nonsense",
  ">=a.b.c",
  "1.2.3 ||",
  "|| 1.2.3",
  ">=1.2.3 <",
  "~v1.2.3",
  ">=v1.2.3",
  "=v1.2.3",
  "^1.x",
  "~1.x",
  "^x",
  ">=0.1.0 garbage",
  "01.2.3",
  ">=1.2.3 >=2.0.0",
  "<2.0.0-0",
  "1.2.3-alpha - 1.2.4",
  ">= 1.2 < 2",
];

Deno.test("isSemanticVersion agrees with semver.valid", () => {
  for (const v of VERSIONS) assertEquals(isSemanticVersion(v), semver.valid(v) !== null, v);
});

Deno.test("isVersionRange agrees with semver.validRange", () => {
  for (const r of RANGES) assertEquals(isVersionRange(r), semver.validRange(r) !== null, r);
});

Deno.test("versionSatisfies agrees with semver.satisfies on every pair", () => {
  for (const r of RANGES) {
    for (const v of VERSIONS) {
      assertEquals(versionSatisfies(v, r), semver.satisfies(v, r), `${v} in ${r}`);
    }
  }
});
