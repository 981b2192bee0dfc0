/**
 * What the pure form of a compiled Poh function (`jit_pure.ts`) shares with the run: the marker
 * it gives up with and its fuel top-up.
 *
 * @module
 */
import type { JitRuntime } from "./jit_runtime.ts";
import type { Value } from "./values.ts";

/**
 * What a pure form (`jit_pure.ts`) throws to give up: its entry then runs the call again on the
 * exact form, as if the pure run had never happened.
 */
export const ABORT: Value = Object.freeze({ abort: true }) as unknown as Value;

/**
 * A pure form's countdown `cell[0]` went below zero: closes the chunk (the overdraft counted as
 * used) and opens a new one in `cell`. False when no fuel is left: the pure run gives up, and its
 * entry restores the meter before the exact form runs the call again.
 */
export function moreFuel(rt: JitRuntime, cell: Int32Array): boolean {
  rt.budget = cell[0];
  if (!rt.ensure(1)) return false;
  cell[0] = rt.budget;
  return true;
}
