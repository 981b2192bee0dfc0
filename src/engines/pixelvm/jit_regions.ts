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
import { I_CALL, I_ENTER, I_LGET, I_LSET, I_RETN } from "./decode.ts";
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
  /** Instruction index of the `ENTER`. */
  enter: number;
  /** First instruction of the region (`enter + 1`), where compiled code is entered. */
  start: number;
  /** The `ENTER` operand: the frame's arguments, and the depth at `start`. */
  n: number;
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
}

/** Finds every region of a pre-decoded program (`plain` records, `count` instructions). */
export function findRegions(plain: Int32Array, count: number): Map<number, Region> {
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
function flowDepths(plain: Int32Array, region: Region, regions: Map<number, Region>): void {
  const { depth, bails } = region;
  const work = [region.start];
  depth.set(region.start, region.n);
  while (work.length > 0) {
    const k = work.pop()!;
    const d = depth.get(k)!;
    const o = plain[k * 4], a = plain[k * 4 + 1];
    const next = successors(plain, region, regions, k, d);
    if (next === undefined || next.some(([t, td]) => depth.has(t) && depth.get(t) !== td)) {
      bails.add(k);
      region.calls.delete(k);
      continue;
    }
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
): [number, number][] | undefined {
  const o = plain[k * 4], a = plain[k * 4 + 1];
  const fits = (td: number) => td <= MAX_SLOTS;
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
    if (!callee || callee.n > d) return undefined;
    return callee.results === NO_RETURN ? [] : [[k + 1, d - callee.n + callee.results]];
  }
  return undefined; // ENTER, RET, HALT, host operations, the end sentinel
}
