/**
 * Fuel for wasm: the module is instrumented at load so `--fuel` and `E_FUEL` mean what they
 * mean for the other engines. Every function entry and every loop header charges, in one
 * subtraction, the instructions of its region (the function body or loop body, not counting
 * nested loops, which charge for themselves); when the counter goes below zero the code traps
 * with `unreachable` and the engine reports `E_FUEL`. Any endless execution passes a loop header
 * or a function entry, so no guest escapes the budget; a region's instructions are charged
 * whether or not a branch skips some of them (an upper bound, counted in bulk rather than per
 * instruction, which is what keeps it cheap).
 *
 * The counter is a new mutable i64 global appended after the module's own (no index changes),
 * exported as {@link FUEL_EXPORT}. With `countCalls`, each function entry also increments its own
 * exported counter (`__pxos_calls_<i>`) for `--profile`.
 *
 * @module
 */
import {
  type ByteParts,
  concatParts,
  u32Bytes,
  WasmReader,
  writeName,
  writeSigned,
  writeU32,
} from "./binary.ts";
import { SECTION, type WasmOutline } from "./module.ts";
import { OP, skipImmediates } from "./opcodes.ts";
import { type SectionEdit, skipCount } from "./rewrite.ts";

/** Export name of the fuel counter global. */
export const FUEL_EXPORT = "__pxos_fuel";
/** Export name prefix of the per-function call counters (with `countCalls`). */
export const CALLS_EXPORT_PREFIX = "__pxos_calls_";

/** The instrumentation: section edits and the defined functions' names. */
export interface FuelInstrumentation {
  /** Edits for global, export and code sections. */
  edits: Map<number, SectionEdit>;
  /** Name of each defined function (name section, else `func[index]`). */
  functionNames: string[];
}

/** What to instrument. */
export interface InstrumentOptions {
  /** Charge fuel at function entries and loop headers (off: `--flag fuel=false`). */
  charge: boolean;
  /** Count calls per function (`--profile`). */
  countCalls: boolean;
}

/**
 * Plans the instrumentation of `bytes`. The fuel global and its export are always added (so
 * the engine reads one shape); the code changes only for what `options` asks.
 *
 * @param bytes the module
 * @param outline its outline
 * @param path for error messages
 * @param options what to instrument
 */
export function instrumentFuel(
  bytes: Uint8Array,
  outline: WasmOutline,
  path: string,
  options: InstrumentOptions,
): FuelInstrumentation {
  const { charge: charging, countCalls } = options;
  const fuelGlobal = outline.importedGlobals + outline.definedGlobals;
  const defined = outline.funcTypes.length;
  const callGlobal = (i: number) => fuelGlobal + 1 + i;
  const newGlobals = 1 + (countCalls ? defined : 0);
  const edits = new Map<number, SectionEdit>();
  edits.set(SECTION.global, (contents) => {
    const out: ByteParts = [u32Bytes(outline.definedGlobals + newGlobals)];
    if (contents) out.push(contents.subarray(skipCount(contents)));
    for (let i = 0; i < newGlobals; i++) out.push([0x7e, 0x01, 0x42, 0x00, 0x0b]);
    return concatParts(out);
  });
  edits.set(SECTION.export, (contents) => {
    const out: ByteParts = [u32Bytes(outline.exports.length + newGlobals)];
    if (contents) out.push(contents.subarray(skipCount(contents)));
    const exportGlobal = (name: string, index: number) => {
      const entry: number[] = [];
      writeName(entry, name);
      entry.push(0x03);
      writeU32(entry, index);
      out.push(entry);
    };
    exportGlobal(FUEL_EXPORT, fuelGlobal);
    if (countCalls) {
      for (let i = 0; i < defined; i++) exportGlobal(`${CALLS_EXPORT_PREFIX}${i}`, callGlobal(i));
    }
    return concatParts(out);
  });
  const code = outline.sections.find((s) => s.id === SECTION.code);
  if (code && (charging || countCalls)) {
    edits.set(SECTION.code, () => {
      const r = new WasmReader(bytes, `${path} (code section)`, code.contentStart, code.end);
      const n = r.count(2);
      const out: ByteParts = [u32Bytes(n)];
      for (let i = 0; i < n; i++) {
        const size = r.u32();
        const body = instrumentBody(
          new WasmReader(bytes, `${path} (code section, function ${i})`, r.pos, r.pos + size),
          charging ? fuelGlobal : undefined,
          countCalls ? callGlobal(i) : undefined,
        );
        r.pos += size;
        let length = 0;
        for (const part of body) length += part.length;
        out.push(u32Bytes(length));
        for (const part of body) out.push(part);
      }
      return concatParts(out);
    });
  }
  return { edits, functionNames: functionNames(bytes, outline, path) };
}

/** The charge sequence: fuel -= cost; if fuel < 0 then unreachable. */
function charge(global: number, cost: number): number[] {
  const out: number[] = [0x23];
  writeU32(out, global);
  out.push(0x42);
  writeSigned(out, BigInt(cost));
  out.push(0x7d, 0x24);
  writeU32(out, global);
  out.push(0x23);
  writeU32(out, global);
  out.push(0x42, 0x00, 0x53, 0x04, 0x40, 0x00, 0x0b);
  return out;
}

/** Increments a call counter global. */
function countCall(global: number): number[] {
  const out: number[] = [0x23];
  writeU32(out, global);
  out.push(0x42, 0x01, 0x7c, 0x24);
  writeU32(out, global);
  return out;
}

function instrumentBody(r: WasmReader, fuelGlobal?: number, callGlobal?: number): ByteParts {
  const start = r.pos;
  for (let groups = r.count(2); groups > 0; groups--) {
    r.u32();
    const t = r.u8();
    if (t === 0x63 || t === 0x64) r.skipSigned(33);
  }
  // Chunks of output; a charge's slot is filled when its region's end is reached.
  const chunks: ByteParts = [r.bytes.subarray(start, r.pos)];
  if (callGlobal !== undefined) chunks.push(countCall(callGlobal));
  const regions: { slot: number; count: number }[] = [{ slot: chunks.length, count: 0 }];
  chunks.push([]);
  const blocks: boolean[] = []; // per open block: whether it is a loop
  let copyFrom = r.pos;
  while (!r.done) {
    const op = r.u8();
    skipImmediates(r, op);
    regions[regions.length - 1].count++;
    if (op === OP.loop) {
      chunks.push(r.bytes.subarray(copyFrom, r.pos));
      copyFrom = r.pos;
      regions.push({ slot: chunks.length, count: 0 });
      chunks.push([]);
      blocks.push(true);
    } else if (op === OP.block || op === OP.if) {
      blocks.push(false);
    } else if (op === OP.end) {
      const wasLoop = blocks.pop();
      if (wasLoop || wasLoop === undefined) {
        const region = regions.pop();
        if (region && fuelGlobal !== undefined) {
          chunks[region.slot] = charge(fuelGlobal, region.count);
        }
      }
    }
  }
  chunks.push(r.bytes.subarray(copyFrom, r.pos));
  if (regions.length > 0) r.fail("a function body that ends with end");
  return chunks;
}

/** Function names from the `name` custom section (subsection 1), else `func[i]`. */
function functionNames(bytes: Uint8Array, outline: WasmOutline, path: string): string[] {
  const names = outline.funcTypes.map((_, i) => `func[${outline.importedFuncs + i}]`);
  for (const s of outline.sections) {
    if (s.id !== SECTION.custom) continue;
    const r = new WasmReader(bytes, `${path} (name section)`, s.contentStart, s.end);
    try {
      if (r.name() !== "name") continue;
      while (!r.done) {
        const id = r.u8();
        const size = r.u32();
        const end = r.pos + size;
        if (id === 1) {
          for (let n = r.count(2); n > 0; n--) {
            const index = r.u32();
            const name = r.name();
            const local = index - outline.importedFuncs;
            if (local >= 0 && local < names.length) names[local] = name;
          }
        }
        r.pos = end;
      }
    } catch {
      // A broken name section only costs the names: the runtime ignores it too.
    }
  }
  return names;
}
