/**
 * The instruction sequences of fuel counting (`instrument.ts` places them).
 *
 * The budget lives in a mutable i64 global, but a function with a loop that calls nothing works
 * on a copy in a local of its own ("cached"): it loads the global once at entry, charges each loop
 * iteration against the local (a subtract and a sign test, kept in a register), and writes the
 * local back before every call and every way out of the function, reloading it after a call to a
 * defined function (which may have spent fuel). Other functions charge the global directly at
 * their entry and loop headers: around a call the write-back and reload would cost as much as
 * that. When a charge goes below zero the local is written
 * back first, so the engine sees a negative counter and reports `E_FUEL`.
 *
 * @module
 */
import { writeSigned, writeU32 } from "./binary.ts";

const I64 = 0x7e;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const GLOBAL_GET = 0x23;
const GLOBAL_SET = 0x24;
const I64_CONST = 0x42;
const I64_SUB = 0x7d;
const I64_LT_S = 0x53;
const IF_EMPTY = [0x04, 0x40];
const UNREACHABLE = 0x00;
const END = 0x0b;

/** Where one function's counter lives: the module's global, and the function's own local. */
export interface FuelSlots {
  /** Index of the fuel global. */
  global: number;
  /** Index of the i64 local added to the function. */
  local: number;
  /** Whether the function keeps the count in the local between charges (it has a loop). */
  cached: boolean;
}

/** The local declaration appended to a charged function: one i64. */
export const FUEL_LOCAL_DECL: readonly number[] = [1, I64];

function op(out: number[], code: number, index: number): number[] {
  out.push(code);
  writeU32(out, index);
  return out;
}

/** `… i64.const cost; i64.sub; local.tee L` — the new count, also left on the stack. */
function subtract(out: number[], slots: FuelSlots, cost: number): number[] {
  out.push(I64_CONST);
  writeSigned(out, BigInt(cost));
  out.push(I64_SUB);
  return op(out, LOCAL_TEE, slots.local);
}

/** `i64.const 0; i64.lt_s; if <trap> end`, where the trap writes the local back if cached. */
function trapIfNegative(out: number[], slots: FuelSlots): number[] {
  out.push(I64_CONST, 0x00, I64_LT_S, ...IF_EMPTY);
  if (slots.cached) storeInto(out, slots);
  out.push(UNREACHABLE, END);
  return out;
}

function storeInto(out: number[], slots: FuelSlots): number[] {
  op(out, LOCAL_GET, slots.local);
  return op(out, GLOBAL_SET, slots.global);
}

/** The function entry's charge: from the global (into the local when cached). */
export function entryCharge(slots: FuelSlots, cost: number): number[] {
  const out = subtract(op([], GLOBAL_GET, slots.global), slots, cost);
  if (!slots.cached) {
    // Uncached: the global is the count, so it is written at once.
    op(out, GLOBAL_SET, slots.global);
    op(out, LOCAL_GET, slots.local);
  }
  return trapIfNegative(out, slots);
}

/** A loop header's charge: against the local when cached, else like an entry's. */
export function loopCharge(slots: FuelSlots, cost: number): number[] {
  if (!slots.cached) return entryCharge(slots, cost);
  return trapIfNegative(subtract(op([], LOCAL_GET, slots.local), slots, cost), slots);
}

/** Writes the local back to the global (before a call or a way out). */
export function storeFuel(slots: FuelSlots): number[] {
  return storeInto([], slots);
}

/** Reloads the local from the global (after a call that may have spent fuel). */
export function reloadFuel(slots: FuelSlots): number[] {
  return op(op([], GLOBAL_GET, slots.global), LOCAL_SET, slots.local);
}
