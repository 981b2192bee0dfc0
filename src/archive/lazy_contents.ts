/**
 * A project's files as a read-only map from path to content that reads each file only when its
 * content is asked for. Checking a project (compiling its sources, loading its entry) needs the
 * sources and whatever they import, not every data file: a map filled up front read a 64 MiB tree
 * into memory before packing read it again.
 *
 * @module
 */
import type { ArchiveInput } from "./writer.ts";

/**
 * The files (directories left out) by path; `get` reads a file on disk each time it is called
 * (nothing is kept).
 *
 * @example
 * ```ts
 * import { lazyContents } from "@pxos/core";
 * const files = lazyContents([{ path: "a.txt", data: new Uint8Array([104, 105]) }]);
 * console.log(files.has("a.txt"), files.get("a.txt")); // true Uint8Array [104, 105]
 * ```
 */
export function lazyContents(files: readonly ArchiveInput[]): ReadonlyMap<string, Uint8Array> {
  return new LazyContents(files);
}

class LazyContents implements ReadonlyMap<string, Uint8Array> {
  readonly #files = new Map<string, { data: Uint8Array }>();

  constructor(files: readonly ArchiveInput[]) {
    for (const f of files) if (!f.directory) this.#files.set(f.path, f);
  }

  get size(): number {
    return this.#files.size;
  }
  get(path: string): Uint8Array | undefined {
    return this.#files.get(path)?.data;
  }
  has(path: string): boolean {
    return this.#files.has(path);
  }
  *keys(): MapIterator<string> {
    yield* this.#files.keys();
  }
  *values(): MapIterator<Uint8Array> {
    for (const f of this.#files.values()) yield f.data;
  }
  *entries(): MapIterator<[string, Uint8Array]> {
    for (const [path, f] of this.#files) yield [path, f.data];
  }
  [Symbol.iterator](): MapIterator<[string, Uint8Array]> {
    return this.entries();
  }
  forEach(
    callback: (value: Uint8Array, key: string, map: ReadonlyMap<string, Uint8Array>) => void,
    thisArg?: unknown,
  ): void {
    for (const [path, data] of this.entries()) callback.call(thisArg, data, path, this);
  }
}
