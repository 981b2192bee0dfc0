/**
 * Fuel threaded through calls (the fuel-on variant without `--profile`). A call cannot keep the
 * count in a register when it lives in a global: the callee reads and writes memory, a
 * store-to-load dependency of a few cycles on every call, which doubled call-heavy code. So every
 * defined function gets the count as an extra last parameter and returns it as an extra last
 * result: direct calls pass it in a register (`local.get L; call f; local.set L`), each charge is a
 * subtract and a sign test on the parameter, and nothing touches memory. Exports, tables,
 * `ref.func` and the start function name a thin wrapper per function instead, with the original
 * type, which loads the global, calls the function and stores what comes back — so the engine and
 * `call_indirect` see the module's own signatures. Before a call to an import or through a table
 * the count is stored to the global (and reloaded after one through a table), so `proc_exit`,
 * traps and the engine read it as before. Regions and their costs are exactly those of
 * `instrument.ts`: the counts do not change.
 *
 * Index changes: the parameter is local `params`, so every later local moves up by one; the
 * wrappers take the function indexes after the defined functions; the new types follow the
 * module's own.
 *
 * @module
 */
import { type ByteParts, concatParts, u32Bytes, WasmReader, writeSigned } from "./binary.ts";
import { type FuelSlots, loopCharge, reloadFuel, storeFuel } from "./fuel_code.ts";
import { SECTION, type WasmOutline } from "./module.ts";
import { OP, skipImmediates } from "./opcodes.ts";
import type { Shift } from "./renumber.ts";
import type { SectionEdit } from "./rewrite.ts";

/** The threaded variant's section edits and where references to functions now point. */
export interface ThreadedFuel {
  /** Edits of the type, function and code sections. */
  edits: Map<number, SectionEdit>;
  /** Old function index → what exports, tables, `ref.func` and globals name (the wrapper). */
  refShift: Shift;
}

/** One function type's raw parameter and result value types (without their counts). */
interface RawType {
  params: Uint8Array;
  paramCount: number;
  results: Uint8Array;
  resultCount: number;
}

function valtypes(r: WasmReader): { bytes: Uint8Array; count: number } {
  const count = r.count();
  const start = r.pos;
  for (let n = count; n > 0; n--) {
    const t = r.u8();
    if (t === 0x63 || t === 0x64) r.skipSigned(33);
  }
  return { bytes: r.bytes.subarray(start, r.pos), count };
}

function readTypes(bytes: Uint8Array, path: string, outline: WasmOutline): RawType[] {
  const section = outline.sections.find((s) => s.id === SECTION.type);
  if (!section) return [];
  const r = new WasmReader(bytes, `${path} (type section)`, section.contentStart, section.end);
  const types: RawType[] = [];
  for (let n = r.count(3); n > 0; n--) {
    if (r.u8() !== 0x60) r.fail("a function type (0x60)", r.pos - 1);
    const params = valtypes(r);
    const results = valtypes(r);
    types.push({
      params: params.bytes,
      paramCount: params.count,
      results: results.bytes,
      resultCount: results.count,
    });
  }
  return types;
}

/**
 * Plans the threaded fuel variant.
 *
 * @param bytes the module
 * @param outline its outline
 * @param path for error messages
 * @param fuelGlobal index of the fuel global
 */
export function threadFuel(
  bytes: Uint8Array,
  outline: WasmOutline,
  path: string,
  fuelGlobal: number,
): ThreadedFuel {
  const types = readTypes(bytes, path, outline);
  const firstDefined = outline.importedFuncs;
  const defined = outline.funcTypes.length;
  const refShift: Shift = (i) => (i >= firstDefined ? i + defined : i);
  // New types after the module's: per original type, its threaded form and, when its results
  // are not one simple value type, a `[] -> results` type for the body's block.
  const added: ByteParts = [];
  const threaded = new Map<number, { type: number; block: number[] }>();
  const typeFor = (ti: number) => {
    let known = threaded.get(ti);
    if (known) return known;
    const t = types[ti];
    if (!t) throw new WasmReader(bytes, path).fail(`a type index below ${types.length}`);
    const index = types.length + added.length;
    added.push(concatParts([
      [0x60],
      u32Bytes(t.paramCount + 1),
      t.params,
      [0x7e],
      u32Bytes(t.resultCount + 1),
      t.results,
      [0x7e],
    ]));
    let block: number[];
    if (t.resultCount === 0) block = [0x40];
    else if (t.resultCount === 1 && t.results.length === 1) block = [t.results[0]];
    else {
      block = [];
      writeSigned(block, BigInt(types.length + added.length));
      added.push(concatParts([[0x60, 0x00], u32Bytes(t.resultCount), t.results]));
    }
    known = { type: index, block };
    threaded.set(ti, known);
    return known;
  };
  for (const ti of outline.funcTypes) typeFor(ti);

  const edits = new Map<number, SectionEdit>();
  edits.set(SECTION.type, (contents) => {
    const rest = contents ? contents.subarray(countLength(contents)) : new Uint8Array();
    return concatParts([u32Bytes(types.length + added.length), rest, ...added]);
  });
  edits.set(SECTION.function, () =>
    concatParts([
      u32Bytes(2 * defined),
      ...outline.funcTypes.map((ti) => u32Bytes(typeFor(ti).type)),
      ...outline.funcTypes.map((ti) => u32Bytes(ti)),
    ]));
  const code = outline.sections.find((s) => s.id === SECTION.code);
  edits.set(SECTION.code, () => {
    const out: ByteParts = [u32Bytes(2 * defined)];
    if (code) {
      const r = new WasmReader(bytes, `${path} (code section)`, code.contentStart, code.end);
      const n = r.count(2);
      if (n !== defined) r.fail(`${defined} function bodies (found ${n})`);
      for (let i = 0; i < n; i++) {
        const size = r.u32();
        const ti = outline.funcTypes[i];
        const body = threadBody(
          new WasmReader(bytes, `${path} (code section, function ${i})`, r.pos, r.pos + size),
          {
            slots: { global: fuelGlobal, local: types[ti].paramCount, cached: true },
            block: typeFor(ti).block,
            firstDefined,
            refShift,
          },
        );
        r.pos += size;
        pushSized(out, body);
      }
    }
    outline.funcTypes.forEach((ti, i) =>
      pushSized(out, [wrapper(types[ti].paramCount, firstDefined + i, fuelGlobal)])
    );
    return concatParts(out);
  });
  return { edits, refShift };
}

function countLength(contents: Uint8Array): number {
  let p = 0;
  while (contents[p] & 0x80) p++;
  return p + 1;
}

function pushSized(out: ByteParts, body: ByteParts): void {
  let length = 0;
  for (const part of body) length += part.length;
  out.push(u32Bytes(length), ...body);
}

/** The wrapper: `local.get 0…; global.get F; call f; global.set F` — no locals. */
function wrapper(params: number, callee: number, fuelGlobal: number): number[] {
  const out: number[] = [0x00];
  for (let i = 0; i < params; i++) out.push(0x20, ...u32Bytes(i));
  out.push(0x23, ...u32Bytes(fuelGlobal), 0x10, ...u32Bytes(callee), 0x24, ...u32Bytes(fuelGlobal));
  out.push(OP.end);
  return out;
}

/** `local.get/set/tee index`, shared for small indexes (the walk meets thousands of them). */
function localOp(op: number, index: number): number[] {
  if (index >= 128) return [op, ...u32Bytes(index)];
  const row = LOCAL_OPS[op - 0x20];
  return row[index] ??= [op, index];
}

const LOCAL_OPS: number[][][] = [[], [], []];

interface ThreadPlan {
  slots: FuelSlots;
  block: number[];
  firstDefined: number;
  refShift: Shift;
}

/** One body: locals renumbered past the count, calls threaded, charges on the parameter. */
function threadBody(r: WasmReader, plan: ThreadPlan): ByteParts {
  const { slots, firstDefined, refShift } = plan;
  const L = slots.local;
  const start = r.pos;
  for (let g = r.count(2); g > 0; g--) {
    r.u32();
    const t = r.u8();
    if (t === 0x63 || t === 0x64) r.skipSigned(33);
  }
  const getL = [0x20, ...u32Bytes(L)];
  const setL = [0x21, ...u32Bytes(L)];
  // The body sits in a block so that branches to the function's label reach the final push of
  // the count; the charge slots are filled when their regions end.
  const chunks: ByteParts = [r.bytes.subarray(start, r.pos), [OP.block, ...plan.block]];
  const regions: { slot: number; count: number }[] = [{ slot: chunks.length, count: 0 }];
  chunks.push([]);
  let depth = 0; // open blocks inside the body
  let copyFrom = r.pos;
  const replace = (at: number, bytes: number[]) => {
    chunks.push(r.bytes.subarray(copyFrom, at), bytes);
    copyFrom = r.pos;
  };
  const store = storeFuel(slots);
  const reload = reloadFuel(slots);
  while (!r.done) {
    const at = r.pos;
    const op = r.u8();
    regions[regions.length - 1].count++;
    if (op >= 0x45 && op <= 0xc4) continue;
    if (op >= 0x20 && op <= 0x22) {
      const index = r.u32();
      if (index >= L) replace(at, localOp(op, index + 1));
      continue;
    }
    if (op === 0x10 || op === 0x12) {
      const callee = r.u32();
      const target = u32Bytes(callee);
      if (callee >= firstDefined) {
        replace(at, op === 0x10 ? [...getL, 0x10, ...target, ...setL] : [...getL, 0x12, ...target]);
      } else {
        // An import: the engine may read the count during it (proc_exit, a trap).
        replace(at, [...store, 0x10, ...target, ...(op === 0x12 ? [...getL, 0x0f] : [])]);
      }
      continue;
    }
    if (op === 0x11 || op === 0x13 || op === 0x14 || op === 0x15) {
      // Through a table or a reference: a wrapper, which reads and writes the global.
      skipImmediates(r, op);
      const bytes = Array.from(r.bytes.subarray(at, r.pos));
      const tail = op === 0x13 || op === 0x15;
      if (tail) bytes[0] = op === 0x13 ? 0x11 : 0x14;
      replace(at, [...store, ...bytes, ...reload, ...(tail ? [...getL, 0x0f] : [])]);
      continue;
    }
    if (op === 0xd2) {
      replace(at, [op, ...u32Bytes(refShift(r.u32()))]);
      continue;
    }
    skipImmediates(r, op);
    if (op === 0x0f) replace(at, [...getL, 0x0f]);
    else if (op === OP.loop) {
      chunks.push(r.bytes.subarray(copyFrom, r.pos));
      copyFrom = r.pos;
      regions.push({ slot: chunks.length, count: 0 });
      chunks.push([]);
      depth++;
    } else if (op === OP.block || op === OP.if) {
      regions.push({ slot: -1, count: 0 }); // not a region: its count goes to the enclosing one
      depth++;
    } else if (op === OP.end) {
      const region = regions.pop()!;
      if (region.slot < 0) regions[regions.length - 1].count += region.count;
      else chunks[region.slot] = loopCharge(slots, region.count);
      if (depth-- === 0) replace(at, [OP.end, ...getL, OP.end]);
    }
  }
  chunks.push(r.bytes.subarray(copyFrom, r.pos));
  if (depth >= 0) r.fail("a function body that ends with end");
  return chunks;
}
