/**
 * Which files of a project folder make its cartridge: everything except the folder's debris.
 * Skipped by default: dot-entries (`.git/`, `.env`, `.DS_Store`), editor backups, earlier pack
 * outputs (`*.pxa`) and render output (`*.frames/`). A `.pxosignore` at the root adds rules in
 * gitignore syntax (and may un-skip a default with `!pattern`); the manifest's `files` list, when
 * present, names what is taken. `pxos.json` is always taken.
 *
 * @module
 */
import type { Ignore } from "ignore";
import { join, relative, resolve, sep } from "../paths.ts";
import { PxosError } from "../errors.ts";
import { collectDirectory } from "./directory.ts";
import { MANIFEST_PATH, parseManifest } from "./manifest.ts";
import type { ArchiveInput } from "./writer.ts";

/** The ignore file read at a project's root. */
export const IGNORE_FILE = ".pxosignore";

/**
 * The default skip rules, in gitignore syntax, each with the reason `--json` reports. A
 * `.pxosignore` comes after them, so its `!pattern` lines can take a default back.
 */
export const DEFAULT_SKIP_RULES: readonly { pattern: string; reason: string }[] = [
  { pattern: ".*", reason: "dot-entry" },
  { pattern: "*~", reason: "editor backup" },
  { pattern: "*.swp", reason: "editor backup" },
  { pattern: "*.swo", reason: "editor backup" },
  { pattern: "\\#*#", reason: "editor backup" },
  { pattern: "*.bak", reason: "editor backup" },
  { pattern: "*.pxa", reason: "earlier pack output" },
  { pattern: "*.frames/", reason: "render output" },
];

/** One path left out of a project, and why. */
export interface SkippedPath {
  /** Archive-style path (`/`-separated, relative to the project root; folders end in `/`). */
  path: string;
  /** Why: a default rule's reason, `.pxosignore line N: pattern`, or the manifest's `files`. */
  reason: string;
}

/** A project folder's files, and what was left out. */
export interface ProjectFiles {
  /** The members to pack, sorted by path. */
  files: ArchiveInput[];
  /** What was skipped, in the order the folder was walked. */
  skipped: SkippedPath[];
}

/** Options for {@link collectProject}. */
export interface CollectProjectOptions {
  /** Files never to take (absolute or relative to the working directory): e.g. the pack output. */
  exclude?: readonly string[];
}

/**
 * Reads a project folder into archive members under the skip rules above.
 *
 * @example
 * ```ts ignore
 * import { collectProject } from "@pxos/core";
 * const { files, skipped } = await collectProject("examples/hello", { exclude: ["hello.pxa"] });
 * console.log(files.map((f) => f.path), skipped);
 * ```
 */
export async function collectProject(
  dir: string,
  options: CollectProjectOptions = {},
): Promise<ProjectFiles> {
  const root = await realFolder(dir);
  const skipRule = await skipRules(await ignoreFileRules(root));
  const listed = await manifestFiles(root);
  const excluded = await excludedPaths(root, options.exclude ?? []);
  const skipped: SkippedPath[] = [];
  const keep = (path: string, directory: boolean): boolean => {
    const shown = directory ? `${path}/` : path;
    if (path === MANIFEST_PATH) return true;
    const reason = excluded.has(path) ? "the pack output (-o)" : skipRule(shown, directory) ??
      (directory || listed === undefined || listed.ignores(path)
        ? undefined
        : "not in the manifest's files");
    if (reason !== undefined) skipped.push({ path: shown, reason });
    return reason === undefined;
  };
  const files = await collectDirectory(root, { keep });
  // A folder whose files were all left out by `files` is not worth an empty entry.
  return {
    files: listed === undefined ? files : files.filter((f) => !f.directory),
    skipped,
  };
}

async function realFolder(dir: string): Promise<string> {
  try {
    return await Deno.realPath(dir);
  } catch {
    return dir; // collectDirectory reports it with the reason
  }
}

/**
 * The skip rules as a function of a path (folders with a trailing `/`) giving the reason it is
 * skipped, or `undefined`. With no `.pxosignore` rules the defaults are matched here directly:
 * loading the `ignore` package costs 55–117 ms of start-up (measured), more than listing a
 * thousand files, and every `pxos pack`, `boot <dir>` and `run <dir>` paid it.
 */
async function skipRules(
  fileRules: readonly { pattern: string; mark: string }[],
): Promise<(shown: string, directory: boolean) => string | undefined> {
  if (fileRules.length === 0) return defaultSkipReason;
  const rules = await gitignoreMatcher([
    ...DEFAULT_SKIP_RULES.map((r) => ({ pattern: r.pattern, mark: r.reason })),
    ...fileRules,
  ]);
  return (shown) => rules.test(shown).rule?.mark;
}

/**
 * Each default rule as a test of an entry's own name (all of them are slash-free gitignore
 * globs, which match the name at any depth; the walker never enters a skipped folder, so no
 * ancestor needs checking), case-insensitive as the `ignore` package matches by default.
 */
const DEFAULT_SKIP_TESTS = DEFAULT_SKIP_RULES.map(({ pattern, reason }) => {
  const folderOnly = pattern.endsWith("/");
  const glob = (folderOnly ? pattern.slice(0, -1) : pattern).replace(/\\(.)/g, "$1");
  const source = glob.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]*");
  return { folderOnly, name: new RegExp(`^${source}$`, "i"), reason };
});

/**
 * {@link DEFAULT_SKIP_RULES} without the `ignore` package: the reason of the last rule that
 * matches, as `ignore` reports it, or `undefined`.
 *
 * @param shown archive path, with a trailing `/` for a folder
 */
function defaultSkipReason(shown: string, directory: boolean): string | undefined {
  const path = directory ? shown.slice(0, -1) : shown;
  const name = path.slice(path.lastIndexOf("/") + 1);
  let reason: string | undefined;
  for (const test of DEFAULT_SKIP_TESTS) {
    if ((directory || !test.folderOnly) && test.name.test(name)) reason = test.reason;
  }
  return reason;
}

/** A gitignore-syntax matcher of `patterns` (the `ignore` package, loaded on first use). */
async function gitignoreMatcher(
  patterns: readonly (string | { pattern: string; mark: string })[],
): Promise<Ignore> {
  const ignore = (await import("ignore")).default;
  return ignore().add(patterns as (string | { pattern: string; mark: string })[]);
}

/** The `.pxosignore` lines as rules marked with where they come from. */
async function ignoreFileRules(root: string): Promise<{ pattern: string; mark: string }[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(root, IGNORE_FILE));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw new PxosError("E_IO", `cannot read ${IGNORE_FILE}: ${(e as Error).message}`, {
      file: join(root, IGNORE_FILE),
    });
  }
  return text.split(/\r?\n/).map((line, i) => ({
    pattern: line,
    mark: `${IGNORE_FILE} line ${i + 1}: ${line.trim()}`,
  })).filter((r) => r.pattern.trim() !== "" && !r.pattern.startsWith("#"));
}

/** The manifest's `files` patterns as a matcher, or `undefined` when it has none (or no manifest). */
async function manifestFiles(root: string): Promise<Ignore | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(root, MANIFEST_PATH));
  } catch {
    return undefined; // packing reports the missing manifest
  }
  const patterns = parseManifest(text, join(root, MANIFEST_PATH)).files;
  return patterns === undefined ? undefined : await gitignoreMatcher(patterns);
}

/** Archive paths, inside `root`, of the files to exclude. */
async function excludedPaths(root: string, paths: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const p of paths) {
    for (const candidate of [resolve(p), await Deno.realPath(p).catch(() => resolve(p))]) {
      const rel = relative(root, candidate);
      if (rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep)) {
        out.add(rel.split(sep).join("/"));
      }
    }
  }
  return out;
}
