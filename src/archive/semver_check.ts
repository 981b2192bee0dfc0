/**
 * Semantic versions and version ranges as the manifest uses them (`version`, `pxos`), checked
 * without the npm `semver` package: importing any npm package starts Deno's Node compatibility
 * layer, which measured 100–400 ms of every `pxos` start-up, and `boot` parses the manifest in
 * three places (CLI, sandbox process, Worker). Same rules as `semver` 7 without its `loose` and
 * `includePrerelease` options: `version` as `semver.valid`, ranges as `semver.validRange` /
 * `semver.satisfies` (`||` sets of space-separated comparators; `<`, `<=`, `>`, `>=`, `=`, `~`,
 * `~>`, `^`; `x`/`X`/`*` and missing parts; `a - b` hyphen ranges). A differential test checks them
 * against `semver` on a corpus.
 *
 * @module
 */

const NUMBER = "0|[1-9]\\d*";
const PRE_ID = `(?:${NUMBER}|\\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const PRERELEASE = `(?:-(${PRE_ID}(?:\\.${PRE_ID})*))`;
const BUILD = `(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)`;
const VERSION = new RegExp(`^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})${PRERELEASE}?${BUILD}?$`);
const PART = `${NUMBER}|x|X|\\*`;
const PARTIAL = `[v=\\s]*(${PART})(?:\\.(${PART})(?:\\.(${PART})${PRERELEASE}?${BUILD}?)?)?`;
const COMPARATOR = new RegExp(`^(~>?|\\^|<=?|>=?|=)?\\s*${PARTIAL}$`);
const HYPHEN = new RegExp(`^\\s*${PARTIAL}\\s+-\\s+${PARTIAL}\\s*$`);
const MAX_LENGTH = 256;

/** A parsed version: numbers and prerelease identifiers (build metadata is ignored). */
interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: (string | number)[];
}

/** One bound: `op` against `version` (`null`: any version). */
type Bound = { op: "<" | "<=" | ">" | ">=" | "="; version: Version } | null;

function parseVersion(text: string): Version | null {
  if (text.length > MAX_LENGTH) return null;
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  const [major, minor, patch] = [m[1], m[2], m[3]].map(Number);
  if (![major, minor, patch].every(Number.isSafeInteger)) return null;
  return { major, minor, patch, pre: preIds(m[4]) };
}

function preIds(text: string | undefined): (string | number)[] {
  if (text === undefined) return [];
  return text.split(".").map((id) => (/^\d+$/.test(id) ? Number(id) : id));
}

function compareIds(a: (string | number)[], b: (string | number)[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length; // release > prerelease
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    if (a[i] === b[i]) continue;
    if (typeof a[i] === "number" && typeof b[i] !== "number") return -1;
    if (typeof a[i] !== "number" && typeof b[i] === "number") return 1;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || compareIds(a.pre, b.pre);
}

const isX = (part: string | undefined) => part === undefined || /^[xX*]$/.test(part);
const v = (major: number, minor: number, patch: number, pre: (string | number)[] = []) => ({
  major,
  minor,
  patch,
  pre,
});
/** The smallest prerelease of a version: below every release and prerelease of it. */
const bottom = (major: number, minor: number, patch: number) => v(major, minor, patch, [0]);

/** The bounds one comparator means (x-ranges, tilde and caret spelled out), or null if invalid. */
function comparatorBounds(text: string): Bound[] | null {
  const m = COMPARATOR.exec(text);
  if (!m) return null;
  const op = m[1] ?? "";
  const [M, m2, p] = [m[2], m[3], m[4]];
  const pre = preIds(m[5]);
  const nums = [M, m2, p].map((x) => (isX(x) ? 0 : Number(x)));
  if (!nums.every(Number.isSafeInteger)) return null;
  const [major, minor, patch] = nums;
  const xAt = isX(M) ? 0 : isX(m2) ? 1 : isX(p) ? 2 : 3; // first wildcard part
  if (op.startsWith("~")) {
    if (xAt === 0) return [null];
    const upper = xAt === 1 ? bottom(major + 1, 0, 0) : bottom(major, minor + 1, 0);
    return [{ op: ">=", version: v(major, minor, patch, pre) }, { op: "<", version: upper }];
  }
  if (op === "^") {
    if (xAt === 0) return [null];
    let upper: Version;
    if (major > 0 || xAt === 1) upper = bottom(major + 1, 0, 0);
    else if (minor > 0 || xAt === 2) upper = bottom(0, minor + 1, 0);
    else upper = bottom(0, 0, patch + 1);
    return [{ op: ">=", version: v(major, minor, patch, pre) }, { op: "<", version: upper }];
  }
  if (xAt === 3) {
    return [{
      op: (op || "=") as "<" | "<=" | ">" | ">=" | "=",
      version: v(major, minor, patch, pre),
    }];
  }
  // A partial version: the range of everything it leaves open.
  if (xAt === 0) return op === "<" || op === ">" ? [{ op: "<", version: bottom(0, 0, 0) }] : [null];
  const next = xAt === 1 ? v(major + 1, 0, 0) : v(major, minor + 1, 0);
  const low = v(major, minor, 0);
  switch (op) {
    case ">":
      return [{ op: ">=", version: next }];
    case ">=":
      return [{ op: ">=", version: low }];
    case "<":
      return [{ op: "<", version: bottom(low.major, low.minor, 0) }];
    case "<=":
      return [{ op: "<", version: bottom(next.major, next.minor, 0) }];
    default:
      return [{ op: ">=", version: low }, { op: "<", version: bottom(next.major, next.minor, 0) }];
  }
}

/** The bounds of a hyphen range `a - b`. */
function hyphenBounds(m: RegExpExecArray): Bound[] | null {
  const from = comparatorBounds(
    `>=${[m[1], m[2], m[3]].filter((x) => x !== undefined).join(".")}${m[4] ? `-${m[4]}` : ""}`,
  );
  const to = comparatorBounds(
    `<=${[m[5], m[6], m[7]].filter((x) => x !== undefined).join(".")}${m[8] ? `-${m[8]}` : ""}`,
  );
  if (from === null || to === null) return null;
  return [...from, ...to];
}

/** Parses a range into sets of bounds (a version must meet every bound of one set), or null. */
function parseRange(text: string): Bound[][] | null {
  if (text.length > MAX_LENGTH) return null;
  const sets: Bound[][] = [];
  for (const part of text.trim().split(/\s*\|\|\s*/)) {
    if (part.trim() === "") {
      sets.push([null]); // an empty set means any version
      continue;
    }
    const hyphen = HYPHEN.exec(part);
    if (hyphen) {
      const bounds = hyphenBounds(hyphen);
      if (bounds === null) return null;
      sets.push(bounds);
      continue;
    }
    // Spaces after an operator belong to it (">= 1.2.3" is one comparator).
    const words = part.trim().replace(/(~>?|\^|<=?|>=?|=)\s+/g, "$1").split(/\s+/);
    const bounds: Bound[] = [];
    for (const word of words) {
      const b = comparatorBounds(word);
      if (b === null) return null;
      bounds.push(...b);
    }
    sets.push(bounds);
  }
  return sets;
}

function meets(version: Version, bound: Bound): boolean {
  if (bound === null) return true;
  const c = compare(version, bound.version);
  switch (bound.op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    default:
      return c === 0;
  }
}

/** True when `text` is a semantic version (`semver.valid(text) !== null`). */
export function isSemanticVersion(text: string): boolean {
  return parseVersion(text) !== null;
}

/** True when `text` is a version range (`semver.validRange(text) !== null`). */
export function isVersionRange(text: string): boolean {
  return parseRange(text) !== null;
}

/**
 * True when `version` is in `range` (`semver.satisfies`): a prerelease version only matches a set
 * with a bound on a prerelease of the same major.minor.patch.
 */
export function versionSatisfies(version: string, range: string): boolean {
  const ver = parseVersion(version);
  const sets = parseRange(range);
  if (ver === null || sets === null) return false;
  return sets.some((set) =>
    set.every((b) => meets(ver, b)) &&
    (ver.pre.length === 0 ||
      set.some((b) =>
        b !== null && b.version.pre.length > 0 && b.version.major === ver.major &&
        b.version.minor === ver.minor && b.version.patch === ver.patch
      ))
  );
}
