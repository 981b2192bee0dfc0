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
import { ByteSink } from "./byte_sink.ts";
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
    const out = new ByteSink(code ? 2 * (code.end - code.contentStart) : 64);
    out.u32(2 * defined);
    if (code) {
      const r = new WasmReader(bytes, `${path} (code section)`, code.contentStart, code.end);
      const n = r.count(2);
      if (n !== defined) r.fail(`${defined} function bodies (found ${n})`);
      for (let i = 0; i < n; i++) {
        const size = r.u32();
        const ti = outline.funcTypes[i];
        const at = out.reserveU32();
        threadBody(
          new WasmReader(bytes, `${path} (code section, function ${i})`, r.pos, r.pos + size),
          {
            slots: { global: fuelGlobal, local: types[ti].paramCount, cached: true },
            block: typeFor(ti).block,
            firstDefined,
            refShift,
          },
          out,
        );
        out.fillU32(at, out.length - at - 5);
        r.pos += size;
      }
    }
    outline.funcTypes.forEach((ti, i) => {
      const body = wrapper(types[ti].paramCount, firstDefined + i, fuelGlobal);
      out.u32(body.length);
      out.bytes(body);
    });
    return out.view();
  });
  return { edits, refShift };
}

function countLength(contents: Uint8Array): number {
  let p = 0;
  while (contents[p] & 0x80) p++;
  return p + 1;
}

/** The wrapper: `local.get 0…; global.get F; call f; global.set F` — no locals. */
function wrapper(params: number, callee: number, fuelGlobal: number): number[] {
  const out: number[] = [0x00];
  for (let i = 0; i < params; i++) out.push(0x20, ...u32Bytes(i));
  out.push(0x23, ...u32Bytes(fuelGlobal), 0x10, ...u32Bytes(callee), 0x24, ...u32Bytes(fuelGlobal));
  out.push(OP.end);
  return out;
}

interface ThreadPlan {
  slots: FuelSlots;
  block: number[];
  firstDefined: number;
  refShift: Shift;
}

/**
 * Each region's cost (the function entry first, then each loop in order of its header), as
 * `instrument.ts` counts them: every instruction in the innermost enclosing loop, or the entry.
 */
function regionCosts(r: WasmReader): number[] {
  const at = r.pos;
  const costs = [0];
  const regions = [0]; // cost index per open region
  const open: boolean[] = []; // per open block: whether it is a loop
  while (!r.done) {
    const op = r.u8();
    costs[regions[regions.length - 1]]++;
    if (op >= 0x45 && op <= 0xc4) continue;
    skipImmediates(r, op);
    if (op === OP.loop) {
      regions.push(costs.length);
      costs.push(0);
      open.push(true);
    } else if (op === OP.block || op === OP.if) open.push(false);
    else if (op === OP.end && open.pop()) regions.pop();
  }
  r.pos = at;
  return costs;
}

/** One body into `out`: locals renumbered past the count, calls threaded, charges on it. */
function threadBody(r: WasmReader, plan: ThreadPlan, out: ByteSink): void {
  const { slots, firstDefined, refShift } = plan;
  const L = slots.local;
  const bytes = r.bytes;
  const start = r.pos;
  for (let g = r.count(2); g > 0; g--) {
    r.u32();
    const t = r.u8();
    if (t === 0x63 || t === 0x64) r.skipSigned(33);
  }
  const costs = regionCosts(r);
  let nextCost = 0;
  out.copy(bytes, start, r.pos);
  // The body sits in a block so that branches to the function's label reach the final push of
  // the count.
  out.bytes([OP.block, ...plan.block]);
  out.bytes(loopCharge(slots, costs[nextCost++]));
  const store = storeFuel(slots);
  const reload = reloadFuel(slots);
  let depth = 0; // open blocks inside the body
  let copyFrom = r.pos;
  /** Copies the unchanged bytes before the instruction that started at `at`. */
  const flush = (at: number) => out.copy(bytes, copyFrom, at);
  while (!r.done) {
    const at = r.pos;
    const op = r.u8();
    if (op >= 0x45 && op <= 0xc4) continue;
    if (op >= 0x20 && op <= 0x22) {
      const index = r.u32();
      if (index >= L) {
        flush(at);
        out.byte(op);
        out.u32(index + 1);
        copyFrom = r.pos;
      }
      continue;
    }
    if (op === 0x10 || op === 0x12) {
      const callee = r.u32();
      flush(at);
      if (callee >= firstDefined) {
        out.byte(0x20);
        out.u32(L);
        out.byte(op);
        out.u32(callee);
        if (op === 0x10) {
          out.byte(0x21);
          out.u32(L);
        }
      } else {
        // An import: the engine may read the count during it (proc_exit, a trap).
        out.bytes(store);
        out.byte(0x10);
        out.u32(callee);
        if (op === 0x12) returnCount(out, L);
      }
      copyFrom = r.pos;
      continue;
    }
    if (op === 0x11 || op === 0x13 || op === 0x14 || op === 0x15) {
      // Through a table or a reference: a wrapper, which reads and writes the global.
      skipImmediates(r, op);
      flush(at);
      const tail = op === 0x13 || op === 0x15;
      out.bytes(store);
      // return_call_indirect → call_indirect, return_call_ref → call_ref, then return below.
      out.byte(op === 0x13 ? 0x11 : op === 0x15 ? 0x14 : op);
      out.copy(bytes, at + 1, r.pos);
      out.bytes(reload);
      if (tail) returnCount(out, L);
      copyFrom = r.pos;
      continue;
    }
    if (op === 0xd2) {
      const index = r.u32();
      flush(at);
      out.byte(op);
      out.u32(refShift(index));
      copyFrom = r.pos;
      continue;
    }
    skipImmediates(r, op);
    if (op === 0x0f) {
      flush(at);
      returnCount(out, L);
      copyFrom = r.pos;
    } else if (op === OP.loop) {
      flush(r.pos);
      out.bytes(loopCharge(slots, costs[nextCost++]));
      copyFrom = r.pos;
      depth++;
    } else if (op === OP.block || op === OP.if) {
      depth++;
    } else if (op === OP.end && depth-- === 0) {
      flush(at);
      out.byte(OP.end);
      out.byte(0x20);
      out.u32(L);
      out.byte(OP.end);
      copyFrom = r.pos;
    }
  }
  flush(r.pos);
  if (depth >= 0) r.fail("a function body that ends with end");
}

/** `local.get L; return`: the results and the count. */
function returnCount(out: ByteSink, L: number): void {
  out.byte(0x20);
  out.u32(L);
  out.byte(0x0f);
}
