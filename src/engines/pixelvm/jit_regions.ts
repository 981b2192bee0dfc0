/**
 * Region analysis for the compiled tier (see `jit.ts`). A *region* is the code reachable from the
 * instruction after an `ENTER n` by jumps and fall-through, where the verifier-independent data
 * flow below proves the stack height above the frame base (`depth`) at every instruction. Then
 * every stack slot of the frame can live in a JavaScript variable: slot j is `v<j>`.
 *
 * Instructions the region cannot run itself are *bail points*: the compiled code writes its slots
 * back to the VM stack and the interpreter runs that instruction (host operations, `HALT`, plain
 * `RET`, a nested `ENTER`, calls to code that is not a region, and anything whose stack use the
 * analysis cannot prove: popping below the frame, a local outside the frame, a depth that differs
 * where two paths meet, a frame deeper than {@link MAX_SLOTS}).
 *
 * @module
 */
import { I_CALL, I_END, I_ENTER, I_LGET, I_LSET, I_RET, I_RETN } from "./decode.ts";
import { DATA_FLOW_EFFECTS, flowTargets } from "./op_semantics.ts";

/** Most stack slots a region's frame may use (each one is a JS variable and a stack word). */
export const MAX_SLOTS = 64;
/** Most instructions in one region: larger bodies stay interpreted (bounded compile cost). */
export const MAX_REGION_SIZE = 2000;
/**
 * Most instructions analysed for a whole program (regions may share code): bounds the load-time
 * work and the generated source (at most a few MB) however many `ENTER`s a program has.
 */
export const MAX_PROGRAM_SIZE = 30_000;

/** A region's result count when it never returns normally (all its exits are bail points). */
export const NO_RETURN = -1;

/** One analysed region. */
export interface Region {
  /** Instruction index of the `ENTER` (of the first instruction, for a seed function). */
  enter: number;
  /** First instruction of the region (`enter + 1`), where compiled code is entered. */
  start: number;
  /**
   * The depth at `start`: the `ENTER` operand (the frame's arguments), or for a seed function
   * the values below its entry it uses, the return address on top included.
   */
  n: number;
  /** A seed function (single stack: `CALL` pushed the return address, `RET` pops it). */
  seed: boolean;
  /** Values every normal return (`RETN k`) leaves, 0 or 1, or {@link NO_RETURN}. */
  results: number;
  /** Depth before each instruction of the region (instruction index → depth). */
  depth: Map<number, number>;
  /** Instructions of the region the interpreter must run (the compiled code bails there). */
  bails: Set<number>;
  /** Native calls: instruction index of the `CALL` → the callee region. */
  calls: Map<number, Region>;
  /** Largest depth anywhere in the region (slots `v0 … v<slots-1>`). */
  slots: number;
  /** Lowest slot any instruction reads (the seed analysis measures inputs with it). */
  low?: number;
  /** Returns the region makes natively (the seed analysis drops regions without one). */
  returns?: number;
}

/**
 * Finds every region of a pre-decoded program (`plain` records, `count` instructions); under the
 * seed's single stack (`singleStack`), its functions (see {@link findSeedRegions}).
 */
export function findRegions(
  plain: Int32Array,
  count: number,
  singleStack = false,
): Map<number, Region> {
  if (singleStack) return findSeedRegions(plain, count);
  const op = (k: number) => plain[k * 4];
  const arg = (k: number) => plain[k * 4 + 1];
  const regions = new Map<number, Region>();
  let budget = MAX_PROGRAM_SIZE;
  for (let e = 0; e < count && budget > 0; e++) {
    if (op(e) !== I_ENTER || arg(e) > MAX_SLOTS) continue;
    const results = returnShape(plain, count, e + 1);
    budget -= results?.size ?? MAX_REGION_SIZE; // the work done, kept or not
    if (results === undefined || budget < 0) continue;
    regions.set(e, {
      enter: e,
      start: e + 1,
      n: arg(e),
      seed: false,
      results: results.results,
      depth: new Map(),
      bails: new Set(),
      calls: new Map(),
      slots: arg(e),
    });
  }
  for (const region of regions.values()) flowDepths(plain, region, regions);
  return regions;
}

/** Rounds of the seed analysis's fixed point (each only widens inputs or drops a return). */
const SEED_ROUNDS = 8;

/**
 * Seed functions: code from each `CALL` target, where the return address sits on top of the
 * values the caller left. A function's inputs (`n`: how far below its entry it reaches, the
 * return address included) and whether it returns one value depend on its callees, itself among
 * them, so they are found by a fixed point: every function starts as "1 input, 1 result"; a
 * round measures the depth each reaches (from a start deep enough not to underflow) and widens
 * `n`, and a function none of whose `RET`s leaves exactly one value becomes {@link NO_RETURN}.
 * A `RET` returns natively only when it pops the entry's return address (checked at run time);
 * anything else is a bail point, as in frame regions.
 */
export function findSeedRegions(plain: Int32Array, count: number): Map<number, Region> {
  const regions = new Map<number, Region>();
  let budget = MAX_PROGRAM_SIZE;
  for (let k = 0; k < count; k++) {
    const target = plain[k * 4 + 1];
    if (plain[k * 4] !== I_CALL || regions.has(target)) continue;
    const size = returnShape(plain, count, target)?.size ?? MAX_REGION_SIZE;
    budget -= size;
    if (budget < 0 || size >= MAX_REGION_SIZE) continue;
    regions.set(target, {
      enter: target,
      start: target,
      n: 1,
      seed: true,
      results: 1,
      depth: new Map(),
      bails: new Set(),
      calls: new Map(),
      slots: 1,
    });
  }
  for (let round = 0; round < SEED_ROUNDS; round++) {
    let changed = false;
    for (const region of regions.values()) {
      // Measure from a start MAX_SLOTS deep: the lowest slot touched says how many inputs.
      const deep = MAX_SLOTS + region.n;
      resetFlow(region, deep);
      flowDepths(plain, region, regions, deep, deep + MAX_SLOTS);
      const inputs = deep - region.low!;
      if (inputs > region.n) {
        region.n = Math.min(inputs, MAX_SLOTS + 1);
        changed = true;
      }
    }
    for (const region of regions.values()) {
      resetFlow(region);
      flowDepths(plain, region, regions);
      if (region.results !== NO_RETURN && region.returns === 0) {
        region.results = NO_RETURN;
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (const [start, region] of regions) {
    if (region.n > MAX_SLOTS) regions.delete(start);
  }
  // Dropped callees leave bail points in their callers: one more pass settles them.
  for (const region of regions.values()) {
    resetFlow(region);
    flowDepths(plain, region, regions);
  }
  return regions;
}

/** Clears a region's analysis before a flow from depth `startDepth`. */
function resetFlow(region: Region, startDepth = region.n): void {
  region.depth.clear();
  region.bails.clear();
  region.calls.clear();
  region.slots = startDepth;
  region.low = startDepth;
  region.returns = 0;
}

/**
 * A first, syntactic pass: the code reachable from `start` (every call assumed to return), its
 * size, and the result count its `RETN`s agree on (1 or 0; {@link NO_RETURN} when they disagree
 * or there are none: then every `RETN` is a bail point). `undefined` when it is too big.
 */
function returnShape(
  plain: Int32Array,
  count: number,
  start: number,
): { size: number; results: number } | undefined {
  const seen = new Set<number>([start]);
  const work = [start];
  const kinds = new Set<number>();
  while (work.length > 0) {
    const k = work.pop()!;
    if (seen.size > MAX_REGION_SIZE) return undefined;
    const o = plain[k * 4], a = plain[k * 4 + 1];
    if (o === I_RETN) kinds.add(a);
    const walks = o === I_CALL || o === I_LGET || o === I_LSET || DATA_FLOW_EFFECTS.has(o);
    for (const t of walks ? flowTargets(o, a, k) : []) {
      if (t < count && !seen.has(t)) {
        seen.add(t);
        work.push(t);
      }
    }
  }
  const [only] = kinds;
  const results = kinds.size === 1 && only <= 1 ? only : NO_RETURN;
  return { size: seen.size, results };
}

/**
 * The depth data flow: sets `depth`, `bails`, `calls` and `slots`. An instruction whose stack use
 * is not provable, or that leads somewhere with a different depth, becomes a bail point, so the
 * interpreter (which checks everything) runs it.
 */
function flowDepths(
  plain: Int32Array,
  region: Region,
  regions: Map<number, Region>,
  startDepth = region.n,
  maxSlots = MAX_SLOTS,
): void {
  const { depth, bails } = region;
  const work = [region.start];
  depth.set(region.start, startDepth);
  while (work.length > 0) {
    const k = work.pop()!;
    const d = depth.get(k)!;
    const o = plain[k * 4], a = plain[k * 4 + 1];
    const next = successors(plain, region, regions, k, d, maxSlots);
    if (next === undefined || next.some(([t, td]) => depth.has(t) && depth.get(t) !== td)) {
      bails.add(k);
      region.calls.delete(k);
      continue;
    }
    region.low = Math.min(region.low ?? d, d - needs(plain, regions, region, k));
    if (o === I_RET) region.returns = (region.returns ?? 0) + 1;
    if (o === I_CALL && !region.calls.has(k)) region.calls.set(k, regions.get(a)!);
    for (const [t, td] of next) {
      region.slots = Math.max(region.slots, td);
      if (!depth.has(t)) {
        depth.set(t, td);
        work.push(t);
      }
    }
  }
}

/**
 * Where instruction `k` (at depth `d`) leads inside the region, with the depth there; `[]` for a
 * normal return (or a call that never returns); `undefined` for a bail point.
 */
function successors(
  plain: Int32Array,
  region: Region,
  regions: Map<number, Region>,
  k: number,
  d: number,
  maxSlots: number,
): [number, number][] | undefined {
  const o = plain[k * 4], a = plain[k * 4 + 1];
  const fits = (td: number) => td <= maxSlots;
  const effect = DATA_FLOW_EFFECTS.get(o);
  if (effect) {
    const [needs, delta] = effect;
    if (d < needs || !fits(d + delta)) return undefined;
    return flowTargets(o, a, k).map((t) => [t, d + delta]);
  }
  if (o === I_LGET) return a < d && fits(d + 1) ? [[k + 1, d + 1]] : undefined;
  if (o === I_LSET) return a < d - 1 ? [[k + 1, d - 1]] : undefined;
  if (o === I_RETN) return a === region.results && d >= a ? [] : undefined;
  if (o === I_CALL) {
    const callee = regions.get(a);
    // A seed callee's inputs include the return address the CALL pushes.
    const given = callee?.seed ? callee.n - 1 : callee?.n;
    if (!callee || given! > d || !fits(d - given! + callee.slots)) return undefined;
    // A seed CALL at the very end pushes the code length, where no RET may go: interpreted.
    if (callee.seed && plain[(k + 1) * 4] === I_END) return undefined;
    return callee.results === NO_RETURN ? [] : [[k + 1, d - given! + callee.results]];
  }
  // A seed RET pops the return address; one value must stay below it.
  if (o === I_RET && region.seed) return d === region.results + 1 ? [] : undefined;
  return undefined; // ENTER, frame RET, HALT, host operations, the end sentinel
}

/** Values instruction `k` reads from the stack (for the seed analysis's lowest slot). */
function needs(plain: Int32Array, regions: Map<number, Region>, region: Region, k: number): number {
  const o = plain[k * 4], a = plain[k * 4 + 1];
  const effect = DATA_FLOW_EFFECTS.get(o);
  if (effect) return effect[0];
  if (o === I_CALL) {
    const callee = regions.get(a)!;
    return callee.seed ? callee.n - 1 : callee.n;
  }
  if (o === I_RET) return region.seed ? 1 : 0;
  return 0;
}
