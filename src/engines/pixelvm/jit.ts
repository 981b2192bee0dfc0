/**
 * The compiled tier: regions of verified bytecode (`jit_regions.ts`) become JavaScript functions
 * (`jit_emit.ts`, through `new Function`), entered from the run driver when the fast loop reaches
 * the first instruction after an `ENTER`.
 *
 * Same machine, same answers: compiled code keeps the frame's slots in variables but, whenever it
 * meets something only the interpreter does (a host operation, a trap about to happen, spent fuel,
 * the deadline, too many native frames), it *bails*: it throws a sentinel, every native frame on
 * the way out writes its slots and its CALL's return record to the VM stacks, and the interpreter
 * resumes at that instruction with exactly the state it would have had. Normal returns into
 * interpreted code are finished here (`RETN`'s frame drop and return).
 *
 * Fuel is counted per instruction, so a finished run's `fuelUsed` equals the interpreter's. The
 * budget is checked at function entries and loop heads (every cycle passes one), so like the fast
 * loop the compiled code may run a little straight-line code past the limit before stopping, and
 * the driver then raises `E_FUEL`; the deadline is read every {@link COMPILED_CHECK_INTERVAL}
 * instructions (the interpreter's `DEADLINE_CHECK_INTERVAL` would cost more than the work).
 *
 * Native recursion is bounded ({@link NATIVE_FRAMES}) so the host's own stack does not overflow;
 * deeper calls bail and the interpreter makes them (and re-enters compiled code in the callee). If
 * the host stack still runs out (the embedder called in from a very deep stack), the function
 * that could not start is treated like a call past the limit: its caller bails before the CALL,
 * so the interpreter carries on with the exact state.
 *
 * @module
 */
import { type DecodedProgram, F_NATIVE } from "./decode.ts";
import { emitRegion, FRAME_SHIFT } from "./jit_emit.ts";
import { findRegions, MAX_SLOTS, NO_RETURN, type Region } from "./jit_regions.ts";
import { ST_SLICE, ST_SLOW, STACK_SLOTS, type VmState } from "./state.ts";

/**
 * Instructions compiled code runs between two reads of the clock (and two refills of its local
 * fuel). Reading the clock costs ~0.4 µs here (kvm-clock), about what 1,000 compiled
 * instructions take, so the interpreter's `DEADLINE_CHECK_INTERVAL` would double a tight
 * loop's time; at 2^20 the read costs under 1% and the deadline is still seen within a few ms
 * (the slowest compiled instruction, a native call, takes a few ns).
 */
export const COMPILED_CHECK_INTERVAL = 1 << 20;
/** Most native (JS) frames one entry from the driver may stack before calls bail (< 256). */
export const NATIVE_FRAMES = 200;
/** Refused entries (the stack shape did not fit) after which a region's entry is unmarked. */
const MAX_DECLINES = 64;

/** What one run of compiled code reports (one reused object). */
interface NativeOutcome {
  /**
   * 1 when the code bailed (then pc/sp/fp/rsp are the state to resume), 0 on a return, 2 when
   * it could not start (no host stack left; nothing ran).
   */
  bailed: number;
  /** The returned value (`RETN 1`). */
  value: number;
  pc: number;
  sp: number;
  fp: number;
  rsp: number;
  /** Instructions run. */
  used: number;
}

type NativeRun = (
  start: number,
  st: VmState,
  given: number,
  deadline: number,
  lim: number,
) => NativeOutcome;

/** The compiled tier of one program. */
export interface NativeTier {
  /** Regions by the instruction index of their first instruction. */
  byStart: Map<number, Region>;
  /** The fast loop's records the entry markers replaced (4 words each), to restore them. */
  saved: Map<number, Int32Array>;
  /** Entries refused per region start. */
  declines: Map<number, number>;
  /** Times compiled code was entered (for tests and profiles of the tier itself). */
  entries: number;
  /** The compiled code: `undefined` until first needed, `null` if it could not be built. */
  run?: NativeRun | null;
}

/**
 * Finds the program's regions and marks their entries in the fast loop's records (the marker is
 * an op the fast loop does not know, so it stops there and the driver calls {@link enterNative}).
 */
export function attachNativeTier(p: DecodedProgram): void {
  const regions = findRegions(p.plain, p.count, p.singleStack);
  const tier: NativeTier = {
    byStart: new Map(),
    saved: new Map(),
    declines: new Map(),
    entries: 0,
  };
  for (const region of regions.values()) {
    if (region.bails.has(region.start)) continue; // nothing to run natively
    tier.byStart.set(region.start, region);
    const r = region.start * 4;
    tier.saved.set(region.start, p.fast.slice(r, r + 4));
    p.fast[r] = F_NATIVE;
  }
  if (tier.byStart.size > 0) p.native = tier;
}

/** Puts the fast loop's record back at a region entry: that entry is no longer used. */
function unmark(p: DecodedProgram, start: number): void {
  const saved = p.native?.saved.get(start);
  if (saved) p.fast.set(saved, start * 4);
}

/**
 * Runs compiled code from the region entry at `st.pc` with `given` fuel. Returns `ST_SLICE` when
 * it ran (`st.used` says how much; the driver checks fuel and the deadline as after a slice), or
 * `ST_SLOW` when the interpreter must run the instruction at `st.pc` first (the entry did not fit
 * the frame shape, or the code bailed right at an entry).
 */
export function enterNative(
  p: DecodedProgram,
  st: VmState,
  given: number,
  deadline: number,
): number {
  st.used = 0;
  const tier = p.native!;
  const region = tier.byStart.get(st.pc)!;
  if (tier.run === undefined) tier.run = compileTier(p, tier);
  const fits = region.seed
    ? seedEntryFits(p, st, region)
    : st.sp - st.fp === region.n && st.fp + region.slots <= st.stack.length &&
      (region.results === NO_RETURN || st.rsp >= 2);
  if (!tier.run || !fits || given <= 0) {
    const declined = (tier.declines.get(region.start) ?? 0) + 1;
    tier.declines.set(region.start, declined);
    if (declined >= MAX_DECLINES) unmark(p, region.start);
    return ST_SLOW;
  }
  tier.entries++;
  // Native frames: at most NATIVE_FRAMES, and no more than the data stack holds. A frame's base
  // is at most MAX_SLOTS above its caller's and a call needs at most 2 × MAX_SLOTS above the
  // caller's base, so with this bound every native call finds room (the generated code does
  // not test it); deeper calls bail, and the interpreter makes them with its exact checks.
  const stackFrames = Math.max(0, Math.floor((STACK_SLOTS - st.sp) / MAX_SLOTS) - 1);
  const lim = Math.min(st.rstack.length, st.rsp + 2 * Math.min(NATIVE_FRAMES, stackFrames));
  // Whole instructions only: the generated code keeps fuel in int32 variables.
  const out = tier.run(region.start, st, Math.floor(given), deadline, lim);
  st.used = out.used;
  if (out.bailed === 2) return ST_SLOW;
  if (out.bailed) {
    st.pc = out.pc;
    st.sp = out.sp;
    if (!region.seed) {
      st.fp = out.fp;
      st.rsp = out.rsp;
    }
    return p.fast[st.pc * 4] === F_NATIVE ? ST_SLOW : ST_SLICE;
  }
  if (region.seed) {
    // A seed RET: the inputs are replaced by the result; go where the return address says.
    const base = st.sp - region.n;
    const to = p.indexAt[st.stack[st.sp - 1]];
    if (region.results === 1) st.stack[base] = out.value;
    st.sp = base + region.results;
    st.pc = to;
    return ST_SLICE;
  }
  // A normal RETN: the frame keeps its results, then the return record is popped.
  if (region.results === 1) st.stack[st.fp] = out.value;
  st.sp = st.fp + region.results;
  st.fp = st.rstack[--st.rsp];
  st.pc = st.rstack[--st.rsp];
  return ST_SLICE;
}

/**
 * Whether a seed function can be entered natively: its inputs are on the stack, its slots fit,
 * and the return address on top names an instruction (the one a native RET goes to).
 */
function seedEntryFits(p: DecodedProgram, st: VmState, region: Region): boolean {
  const base = st.sp - region.n;
  if (base < 0 || base + region.slots > st.stack.length) return false;
  const ra = st.stack[st.sp - 1];
  return region.results === NO_RETURN || (ra >= 0 && ra < p.indexAt.length && p.indexAt[ra] >= 0);
}

/** Builds the program's JavaScript; `null` (and every entry unmarked) if that fails. */
function compileTier(p: DecodedProgram, tier: NativeTier): NativeRun | null {
  try {
    const factory = new Function(moduleSource(p, tier)) as () => NativeRun;
    return factory();
  } catch {
    for (const start of tier.byStart.keys()) unmark(p, start);
    return null;
  }
}

/** The whole generated module: shared registers, the fuel refill, every region, the entry. */
export function moduleSource(p: DecodedProgram, tier: NativeTier): string {
  const bounds = { memoryBytes: p.module.memoryBytes, offsets: p.offsets };
  const functions: string[] = [];
  const entries: string[] = [];
  for (const region of uniqueRegions(tier)) {
    functions.push(emitRegion(p.plain, region, bounds));
  }
  for (const region of tier.byStart.values()) {
    // A frame's base is the frame pointer; a seed function's, the stack below its inputs.
    const base = region.seed ? `st.sp - ${region.n}` : "fp";
    // The frame base and the native frames left in one argument (see emitRegion); no fuel in
    // hand: the prologue refills.
    const args = [`(${base}) * ${1 << FRAME_SHIFT} + left`, "0"];
    for (let j = 0; j < region.n; j++) args.push(`s[${base} + ${j}]`);
    entries.push(`case ${region.start}: out.value = r${region.start}(${args.join(", ")}); break;`);
  }
  return `"use strict";
let s = null, rs = null, m8 = null, m32 = null;
// The fuel compiled code still holds, shared by all its frames: an Int32Array slot, because a
// module \`let\` holding a number costs a tagging check (or a heap number) at every write.
const F = new Int32Array(1);
let taken = 0, total = 0, deadline = 0, LIM = 0;
let bPc = 0, bSp = 0, bFp = 0, bLeft = 0;
const BAIL = Object.freeze({ pixelvmBail: true });
const BAIL_UNREACHABLE = Object.freeze({ pixelvmUnreachable: true });
function refuel() {
  if (total <= 0) return false;
  const take = total < ${COMPILED_CHECK_INTERVAL} ? total : ${COMPILED_CHECK_INTERVAL};
  total -= take;
  taken += take;
  F[0] += take;
  return F[0] > 0 && performance.now() <= deadline;
}
${functions.join("\n")}
const out = { bailed: 0, value: 0, pc: 0, sp: 0, fp: 0, rsp: 0, used: 0 };
return function run(start, st, given, dl, lim) {
  s = st.stack; rs = st.rstack; m8 = st.mem8; m32 = st.mem32;
  F[0] = 0; taken = 0; total = given; deadline = dl; LIM = lim;
  const fp = st.fp, left = (lim - st.rsp) >> 1;
  out.bailed = 0;
  try {
    switch (start) {
      ${entries.join("\n      ")}
    }
  } catch (e) {
    if (e !== BAIL) {
      // The entry's prologue found the host stack exhausted: nothing ran.
      out.bailed = 2;
    } else {
      out.bailed = 1; out.pc = bPc; out.sp = bSp; out.fp = bFp; out.rsp = LIM - 2 * bLeft;
    }
  }
  out.used = taken - F[0];
  return out;
};
`;
}

/** Every region reachable from a marked entry (callees included), each once. */
function uniqueRegions(tier: NativeTier): Region[] {
  const seen = new Set<Region>();
  const work = [...tier.byStart.values()];
  while (work.length > 0) {
    const r = work.pop()!;
    if (seen.has(r)) continue;
    seen.add(r);
    for (const callee of r.calls.values()) work.push(callee);
  }
  return [...seen].sort((a, b) => a.start - b.start);
}
