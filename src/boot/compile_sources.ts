/**
 * `pack --compile`: replaces every source file an engine knows (by its `sourceExtensions`) with
 * the bytecode that engine compiles it to, and points the manifest's entry at the bytecode when
 * the entry was one of those sources.
 *
 * @module
 */
import { MANIFEST_PATH } from "../archive/manifest.ts";
import type { ArchiveInput } from "../archive/writer.ts";
import { lazyContents } from "../archive/lazy_contents.ts";
import { PxosError } from "../errors.ts";
import { ENGINES } from "../engines/registry.ts";
import "./python_runtime.ts"; // installs the Python engine's compiler (its interpreter provider)

/** Options for {@link compileSources}. */
export interface CompileSourcesOptions {
  /** Drop sources an engine would keep beside their bytecode (`pack --strip-source`). */
  stripSource?: boolean;
}

/**
 * Compiles sources among `files` and returns the new member list.
 *
 * @example
 * ```ts
 * import { compileSources } from "@pxos/core";
 * const files = await compileSources([{ path: "notes.txt", data: new Uint8Array([104, 105]) }]);
 * console.log(files.length); // 1: nothing to compile
 * ```
 */
export async function compileSources(
  files: readonly ArchiveInput[],
  options: CompileSourcesOptions = {},
): Promise<ArchiveInput[]> {
  const siblings = lazyContents(files); // a file is read only if a compiler asks for it
  const renamed = new Map<string, string>();
  const out: ArchiveInput[] = [];
  for (const f of files) {
    const engine = f.directory
      ? undefined
      : ENGINES.find((e) =>
        e.compile && e.sourceExtensions?.some((x) => f.path.toLowerCase().endsWith(x))
      );
    if (f.directory || !engine?.compile) {
      out.push(f);
      continue;
    }
    await engine.prepare?.();
    const compiled = engine.compile(f.data, { path: f.path, files: siblings });
    if (compiled.path !== f.path && siblings.has(compiled.path)) {
      throw new PxosError(
        "E_PATH",
        `compiling ${f.path} would replace the existing file ${compiled.path}; remove one of them`,
      );
    }
    renamed.set(f.path, compiled.path);
    if (compiled.keepSource && !options.stripSource) out.push(f);
    out.push({ path: compiled.path, data: compiled.bytes });
  }
  return out.map((f) => (f.path === MANIFEST_PATH && !f.directory ? retargetEntry(f, renamed) : f));
}

function retargetEntry(
  manifest: { path: string; data: Uint8Array },
  renamed: ReadonlyMap<string, string>,
): ArchiveInput {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(manifest.data));
  } catch {
    return manifest; // packing reports the JSON error with its location
  }
  const entry = typeof json.entry === "string" ? renamed.get(json.entry) : undefined;
  if (entry === undefined) return manifest;
  json.entry = entry;
  return {
    path: manifest.path,
    data: new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`),
  };
}
