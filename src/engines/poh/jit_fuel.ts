/**
 * Where compiled Poh code checks its fuel. Every straight-line segment still pays for its
 * instructions when it starts (so an exit knows exactly what was paid, see `jit_runtime.ts`),
 * but only a few segments *check* the countdown: the code's entry, every loop head and the
 * segment after each call. Each check asks for the most fuel any path can spend before the
 * next check, so the payments between two checks never overdraw — one test per loop turn
 * instead of one per segment, which is what lets V8 keep a loop's numbers in registers.
 *
 * @module
 */
import { OP_BY_CODE } from "./isa.ts";

/**
 * The fuel each checking segment asks for: the longest path (in instructions) from its start
 * to the next check, a return or an exit.
 *
 * @param code the function's code
 * @param pcs its reachable instruction starts, in order
 * @param cost instructions paid at each segment start
 * @param exits instructions compiled code hands to the interpreter (flow stops there)
 * @returns checking segment start → fuel it asks for
 */
export function fuelChecks(
  code: Int32Array,
  pcs: readonly number[],
  cost: ReadonlyMap<number, number>,
  exits: ReadonlySet<number>,
): Map<number, number> {
  const starts = pcs.filter((pc) => cost.has(pc));
  const checks = new Set<number>([0]);
  const successors = new Map<number, number[]>();
  let segment = -1;
  for (let i = 0; i < pcs.length; i++) {
    const pc = pcs[i];
    if (cost.has(pc)) successors.set(segment = pc, []);
    const spec = OP_BY_CODE[code[pc]]!;
    if (exits.has(pc)) continue;
    const t = spec.operands.indexOf("target");
    if (t >= 0) {
      const target = code[pc + 1 + t];
      if (target <= pc) checks.add(target);
      successors.get(segment)!.push(target);
    }
    const next = pc + 1 + spec.operands.length;
    if (spec.name === "CALL" || spec.name === "CALL_GLOBAL") checks.add(next);
    if (!spec.ends && cost.has(next)) successors.get(segment)!.push(next);
  }
  // Paths between checks only go forward (every backward jump lands on a check).
  const longest = new Map<number, number>();
  for (let i = starts.length - 1; i >= 0; i--) {
    const s = starts[i];
    let most = 0;
    for (const t of successors.get(s)!) {
      if (!checks.has(t) && t > s) most = Math.max(most, longest.get(t) ?? 0);
    }
    longest.set(s, cost.get(s)! + most);
  }
  const out = new Map<number, number>();
  for (const s of starts) if (checks.has(s)) out.set(s, longest.get(s)!);
  return out;
}
