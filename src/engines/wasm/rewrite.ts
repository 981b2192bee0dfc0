/**
 * Load-time rewriting of a module so the engine can enforce the run's limits:
 *
 * - **Memory.** A memory the module defines becomes an import (`pxos_limits.memory`), so each
 *   run supplies a `WebAssembly.Memory` whose maximum is the run's memory limit: `memory.grow`
 *   past it returns -1 as wasm specifies, and an initial size over it is refused before
 *   instantiation. Index 0 stays index 0 (a module has at most one memory), so no instruction
 *   changes.
 * - **Fuel** (see `instrument.ts`): a global and the code that charges it.
 *
 * Sections are copied byte for byte except the ones that change.
 *
 * @module
 */
import { type ByteParts, concatParts, u32Bytes, writeName, writeU32 } from "./binary.ts";
import { SECTION, type WasmOutline } from "./module.ts";

/** Module and field name of the memory import the engine supplies for a defined memory. */
export const LIMITED_MEMORY = { module: "pxos_limits", name: "memory" } as const;

/** A replacement for one section's contents (or a new section), keyed by section id. */
export type SectionEdit = (contents: Uint8Array | undefined) => Uint8Array | undefined;

/**
 * Applies `edits` to a module: each edit gets the section's current contents (undefined when
 * the module has none) and returns the new contents (undefined: leave it out / keep it absent).
 */
export function rewriteSections(
  bytes: Uint8Array,
  outline: WasmOutline,
  edits: ReadonlyMap<number, SectionEdit>,
): Uint8Array {
  const out: ByteParts = [bytes.subarray(0, 8)];
  const present = new Set(outline.sections.map((s) => s.id));
  const emit = (id: number, contents: Uint8Array | undefined) => {
    if (contents === undefined) return;
    out.push([id, ...u32Bytes(contents.length)], contents);
  };
  // Non-custom sections have a fixed order; a missing edited section is placed before the
  // first present section that must follow it.
  const order = [
    SECTION.type,
    SECTION.import,
    SECTION.function,
    SECTION.table,
    SECTION.memory,
    SECTION.global,
    SECTION.export,
    SECTION.start,
    SECTION.element,
    SECTION.dataCount,
    SECTION.code,
    SECTION.data,
  ] as number[];
  const rank = (id: number) => order.indexOf(id);
  const pending = [...edits.keys()].filter((id) => !present.has(id)).sort((a, b) =>
    rank(a) - rank(b)
  );
  for (const section of outline.sections) {
    if (section.id !== SECTION.custom) {
      while (pending.length > 0 && rank(pending[0]) < rank(section.id)) {
        const id = pending.shift()!;
        emit(id, edits.get(id)!(undefined));
      }
    }
    const edit = edits.get(section.id);
    if (edit && section.id !== SECTION.custom) {
      emit(section.id, edit(bytes.subarray(section.contentStart, section.end)));
    } else {
      out.push(bytes.subarray(section.start, section.end));
    }
  }
  for (const id of pending) emit(id, edits.get(id)!(undefined));
  return concatParts(out);
}

/**
 * The edits that turn a defined memory into the {@link LIMITED_MEMORY} import and append
 * `extraImports` (encoded entries) to the import section; none when there is nothing to do.
 */
export function importEdits(
  outline: WasmOutline,
  extraImports: readonly number[][] = [],
): Map<number, SectionEdit> {
  const edits = new Map<number, SectionEdit>();
  const added = [...extraImports];
  if (outline.memory) {
    edits.set(SECTION.memory, () => undefined);
    const entry: number[] = [];
    writeName(entry, LIMITED_MEMORY.module);
    writeName(entry, LIMITED_MEMORY.name);
    entry.push(0x02, 0x00);
    writeU32(entry, outline.memory.min);
    added.push(entry);
  }
  if (added.length === 0) return edits;
  edits.set(SECTION.import, (contents) =>
    concatParts([
      u32Bytes(outline.imports.length + added.length),
      contents ? contents.subarray(skipCount(contents)) : [],
      ...added,
    ]));
  return edits;
}

/** Offset just past a section's leading LEB128 count (to keep its entries and add more). */
export function skipCount(contents: Uint8Array): number {
  let p = 0;
  while (contents[p] & 0x80) p++;
  return p + 1;
}
