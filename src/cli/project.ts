/**
 * Project folders: what `pxos pack <dir>`, `pxos boot <dir>` and `pxos run <dir>` read. The folder
 * is collected under the skip rules of `project_files.ts` and checked before anything is written
 * or run: the manifest is valid, its entry is there, an engine runs it, and every source compiles
 * (so a syntax error shows at pack time with its file:line:col, not at boot).
 *
 * @module
 */
import { join } from "../paths.ts";
import type { Cartridge } from "../archive/cartridge.ts";
import { type Manifest, MANIFEST_PATH, parseManifest } from "../archive/manifest.ts";
import { collectProject, type SkippedPath } from "../archive/project_files.ts";
import { lazyContents } from "../archive/lazy_contents.ts";
import type { ArchiveInput } from "../archive/writer.ts";
import type { Engine } from "../engines/engine.ts";
import { ENGINE_LISTINGS, loadEngineFor } from "../engines/lazy_registry.ts";
import { PxosError } from "../errors.ts";

/** A checked project, ready to pack. */
export interface CheckedProject {
  /** The members to pack (compiled when asked or needed). */
  files: ArchiveInput[];
  /** What the skip rules left out. */
  skipped: SkippedPath[];
  /** The project's manifest (entry retargeted when sources were compiled). */
  manifest: Manifest;
}

/** Options for {@link readProject}. */
export interface ReadProjectOptions {
  /** Files never to take, e.g. the pack output. */
  exclude?: readonly string[];
  /**
   * `true`: store compiled bytecode in place of sources (`pack --compile`); `false`: store the
   * sources; `"auto"`: compile only when the entry is something a source compiles to (booting a
   * folder whose manifest names `main.pxi` beside `main.pxasm`).
   */
  compile: boolean | "auto";
  /** With `compile: true`: leave sources out where an engine would keep them (Python's `.py`). */
  stripSource?: boolean;
}

/** Collects and checks a project folder; `PxosError` naming the problem when it cannot be packed. */
export async function readProject(
  dir: string,
  options: ReadProjectOptions,
): Promise<CheckedProject> {
  const { files, skipped } = await collectProject(dir, { exclude: options.exclude });
  const manifest = manifestOf(files, dir);
  const has = (list: readonly ArchiveInput[], path: string) =>
    list.some((f) => f.path === path && !f.directory);
  // Every source is compiled, so a syntax error is found now; the output is kept only when asked
  // or needed. Checked one by one otherwise, so a source beside its own build is no clash.
  const compiled = options.compile === true || !has(files, manifest.entry)
    ? await compileIn(
      dir,
      async () =>
        (await import("../boot/compile_sources.ts")).compileSources(files, {
          stripSource: options.stripSource,
        }),
    )
    : await compileIn(dir, () => checkSourcesCompile(files));
  const made = !has(files, manifest.entry) && has(compiled, manifest.entry);
  if (!has(files, manifest.entry) && !made) throw missingEntry(dir, manifest.entry, skipped);
  if (made && options.compile === false) {
    throw new PxosError(
      "E_MANIFEST",
      `entry: ${manifest.entry} is not in the project but compiling its source makes it; ` +
        `pack with --compile`,
      { file: join(dir, MANIFEST_PATH) },
    );
  }
  const useCompiled = options.compile === true || made;
  const out = useCompiled ? compiled : files;
  const final = useCompiled ? manifestOf(out, dir) : manifest;
  if (!(final.engine === undefined && final.entry.toLowerCase().endsWith(".pxterm"))) {
    await checkEngineLoads(final, out, dir);
  }
  return { files: out, skipped, manifest: final };
}

/**
 * Opens a project folder as a cartridge, packed in memory (uncompressed, so it is quick; the
 * archive is deterministic, so packing the same folder again gives the same digest).
 */
export async function openProjectFolder(dir: string): Promise<Cartridge> {
  const { files } = await readProject(dir, { compile: "auto" });
  // Imported here: `pxos pack` reads projects too, and needs none of the reading side.
  const { openCartridge, packCartridge } = await import("../archive/cartridge.ts");
  const { png } = await packCartridge(files, { compress: false });
  return await openCartridge(png, { name: dir, verifyPayloadHash: false });
}

/**
 * Compiles every source an engine knows, keeping nothing; returns `files` as they are. Only the
 * engines whose sources the project has are imported (all of them together measured 250–290 ms
 * of module loading on a busy machine, a quarter of packing a 16 MiB tree).
 */
async function checkSourcesCompile(files: ArchiveInput[]): Promise<ArchiveInput[]> {
  const contents = contentsOf(files);
  for (const path of contents.keys()) {
    const engine = await compilerFor(path);
    if (!engine) continue;
    await engine.prepare?.();
    engine.compile?.(contents.get(path)!, { path, files: contents });
  }
  return files;
}

/** The first engine, in the registry's order, that compiles `path`'s kind of source. */
async function compilerFor(path: string): Promise<Engine | undefined> {
  const lower = path.toLowerCase();
  for (const listing of ENGINE_LISTINGS) {
    if (!listing.sourceExtensions.some((x) => lower.endsWith(x))) continue;
    const engine = await withRuntime(await listing.load());
    if (engine.compile) return engine;
  }
  return undefined;
}

/** `engine`, with the Python runtime installed first when it is the Python engine. */
async function withRuntime(engine: Engine): Promise<Engine> {
  if (engine.id === "python") await import("../boot/python_runtime.ts");
  return engine;
}

/**
 * An engine runs the entry: one is registered for its extension (or the manifest's `engine`), and
 * it loads the entry (bytecode verified, source compiled). A source that engine does not load as
 * it is (`.pxvmasm`) must be named by what it compiles to.
 */
async function checkEngineLoads(
  manifest: Manifest,
  files: readonly ArchiveInput[],
  dir: string,
): Promise<void> {
  let engine;
  try {
    engine = await withRuntime(await loadEngineFor(manifest.entry, manifest.engine));
  } catch (e) {
    const field = manifest.engine === undefined ? "entry" : "engine";
    throw new PxosError("E_ENGINE", `${field}: ${(e as Error).message}`, {
      file: join(dir, MANIFEST_PATH),
      cause: e,
    });
  }
  const contents = contentsOf(files);
  try {
    await engine.load(contents.get(manifest.entry)!, { path: manifest.entry, files: contents });
  } catch (e) {
    const entry = manifest.entry.toLowerCase();
    const onlyCompiled = !engine.extensions.some((x) => entry.endsWith(x)) &&
      engine.sourceExtensions?.some((x) => entry.endsWith(x)) === true;
    if (!onlyCompiled) throw withFileInErrors(dir, e);
    let made: string | undefined;
    try {
      made = engine.compile?.(contents.get(manifest.entry)!, {
        path: manifest.entry,
        files: contents,
      }).path;
    } catch {
      // the hint goes without the name
    }
    throw new PxosError(
      "E_MANIFEST",
      `entry: ${manifest.entry} is source the ${engine.id} engine does not load as it is; ` +
        `name its compiled form${made ? ` (${made})` : ""} as the entry`,
      { file: join(dir, MANIFEST_PATH), cause: e },
    );
  }
}

/** File contents by archive path, as engines see a cartridge's files. */
/** The files by path, each read only when asked for (a data file is never read here). */
function contentsOf(files: readonly ArchiveInput[]): ReadonlyMap<string, Uint8Array> {
  return lazyContents(files);
}

function manifestOf(files: readonly ArchiveInput[], dir: string): Manifest {
  const file = files.find((f) => f.path === MANIFEST_PATH);
  if (file === undefined || file.directory) {
    throw new PxosError(
      "E_MANIFEST",
      `expected a ${MANIFEST_PATH} in the project folder, found none (pxos new <name> makes one)`,
      { file: dir },
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(file.data);
  } catch {
    throw new PxosError("E_MANIFEST", "expected UTF-8 text, found invalid bytes", {
      file: join(dir, MANIFEST_PATH),
    });
  }
  return parseManifest(text, join(dir, MANIFEST_PATH));
}

function missingEntry(dir: string, entry: string, skipped: readonly SkippedPath[]): PxosError {
  const why = skipped.find((s) => s.path === entry || entry.startsWith(s.path));
  return new PxosError(
    "E_MANIFEST",
    why
      ? `entry: ${entry} is left out of the project (${why.path}: ${why.reason})`
      : `entry: expected a file of the project, found no ${JSON.stringify(entry)}`,
    { file: join(dir, MANIFEST_PATH) },
  );
}

/** Runs `compile`, putting the project folder in front of the member path an error names. */
async function compileIn<T>(dir: string, compile: () => Promise<T>): Promise<T> {
  try {
    return await compile();
  } catch (e) {
    throw withFileInErrors(dir, e);
  }
}

/** `e` with the project folder in front of the member path it names. */
function withFileInErrors(dir: string, e: unknown): unknown {
  if (!(e instanceof PxosError) || e.file === undefined || e.file.startsWith(dir)) return e;
  const where = { file: e.file, line: e.line, col: e.col, offset: e.offset };
  // The message begins with the location; it is rebuilt around the longer path.
  const prefix = new PxosError(e.code, "", where).message;
  const text = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  return new PxosError(e.code, text, {
    ...where,
    file: join(dir, e.file),
    details: e.details,
    cause: e,
  });
}
