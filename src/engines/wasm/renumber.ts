/**
 * Function-index renumbering for the sections that name functions outside code: exports, the
 * start section, element segments and global initialisers. The profiler adds two imported
 * functions, and imports come first in the function index space, so every defined function's
 * index moves up by two; these re-emit the sections with `shift` applied. (Code bodies are
 * renumbered by the instrumenting walker in `instrument.ts`.)
 *
 * @module
 */
import { type ByteParts, u32Bytes, WasmReader, writeName, writeU32 } from "./binary.ts";
import type { WasmOutline } from "./module.ts";
import { skipImmediates } from "./opcodes.ts";

/** Maps an old function index to the new one. */
export type Shift = (index: number) => number;

/** A constant expression up to and including its `end`, with `ref.func` renumbered. */
export function renumberExpr(r: WasmReader, shift: Shift, out: ByteParts): void {
  let depth = 0;
  let copyFrom = r.pos;
  for (;;) {
    const at = r.pos;
    const op = r.u8();
    if (op === 0xd2) {
      out.push(r.bytes.subarray(copyFrom, at), [0xd2, ...u32Bytes(shift(r.u32()))]);
      copyFrom = r.pos;
      continue;
    }
    skipImmediates(r, op);
    if (op === 0x02 || op === 0x03 || op === 0x04) depth++;
    if (op === 0x0b && depth-- === 0) break;
  }
  out.push(r.bytes.subarray(copyFrom, r.pos));
}

function refType(r: WasmReader, out: ByteParts): void {
  const start = r.pos;
  const t = r.u8();
  if (t === 0x63 || t === 0x64) r.skipSigned(33);
  out.push(r.bytes.subarray(start, r.pos));
}

function funcIndexes(r: WasmReader, shift: Shift, out: ByteParts): void {
  const n = r.count();
  out.push(u32Bytes(n));
  for (let i = 0; i < n; i++) out.push(u32Bytes(shift(r.u32())));
}

function exprs(r: WasmReader, shift: Shift, out: ByteParts): void {
  const n = r.count();
  out.push(u32Bytes(n));
  for (let i = 0; i < n; i++) renumberExpr(r, shift, out);
}

/** The element section with function indexes renumbered (all eight segment forms). */
export function renumberElements(r: WasmReader, shift: Shift): ByteParts {
  const out: ByteParts = [];
  const n = r.count(2);
  out.push(u32Bytes(n));
  for (let i = 0; i < n; i++) {
    const flags = r.u32();
    out.push(u32Bytes(flags));
    if (flags > 7) r.fail(`an element segment kind 0–7 (found ${flags})`);
    if (flags === 2 || flags === 6) out.push(u32Bytes(r.u32())); // table index
    if (flags === 0 || flags === 2 || flags === 4 || flags === 6) renumberExpr(r, shift, out);
    if (flags & 4) {
      if (flags !== 4) refType(r, out);
      exprs(r, shift, out);
    } else {
      if (flags !== 0) out.push([r.u8()]); // elemkind
      funcIndexes(r, shift, out);
    }
  }
  return out;
}

/** The global section (initialisers renumbered), its count raised by `extra` appended globals. */
export function renumberGlobals(r: WasmReader, shift: Shift, extra: number): ByteParts {
  const n = r.count(3);
  const out: ByteParts = [u32Bytes(n + extra)];
  for (let i = 0; i < n; i++) {
    refType(r, out); // value type (one byte, or a typed reference)
    out.push([r.u8()]); // mutability
    renumberExpr(r, shift, out);
  }
  return out;
}

/** The export section re-emitted from the outline (function indexes renumbered) plus `extra`. */
export function renumberExports(
  outline: WasmOutline,
  shift: Shift,
  extra: { name: string; kind: number; index: number }[],
): ByteParts {
  const kinds = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;
  const all = [
    ...outline.exports.map((e) => ({
      name: e.name,
      kind: kinds[e.kind],
      index: e.kind === "func" ? shift(e.index) : e.index,
    })),
    ...extra,
  ];
  const out: number[] = [];
  writeU32(out, all.length);
  for (const e of all) {
    writeName(out, e.name);
    out.push(e.kind);
    writeU32(out, e.index);
  }
  return [out];
}

/** A reader over one section's contents. */
export function sectionReader(
  bytes: Uint8Array,
  path: string,
  name: string,
  contents: Uint8Array,
): WasmReader {
  const start = contents.byteOffset - bytes.byteOffset;
  return new WasmReader(bytes, `${path} (${name} section)`, start, start + contents.length);
}
