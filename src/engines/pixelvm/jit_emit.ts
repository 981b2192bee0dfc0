/**
 * JavaScript emission for the compiled tier: one JS function per region (`r<start>`), its stack
 * slots as variables `v<j>`, arguments as parameters, native calls as JS calls.
 *
 * Only numbers reach the generated source: instruction indexes, depths and immediates read from
 * the pre-decoded `Int32Array` (each printed through `num`), never bytes or text of the program.
 *
 * Control flow: a block with exactly one way in is emitted inline where it is reached (an `if`
 * arm or straight on), so acyclic code such as a recursion's body becomes plain `if`s; a small
 * join that ends in a jump or a return (a loop's latch, a shared return) but is no loop's head is
 * copied into each way in, within a budget; every other block (a loop head, a join) is a `case` of
 * a `switch` inside a loop, and a block that jumps to itself loops without leaving its case (a
 * small one unrolled, see `#unrolled`), so each loop's blocks are emitted in its head's case; a
 * compare followed by `JZ`/`JNZ` is one `if`. Code inside a case is acyclic, so
 * every cycle passes a `case` or the function entry, and each of those checks fuel: this is where
 * the deadline is read and where the code stops when the budget is spent.
 *
 * Fuel: each instruction is counted when it runs; counts are added up along straight code and
 * subtracted (from the local `f`) at block ends, calls, returns and bails, so `fuelUsed` is exact.
 * A call passes its callee what is left (`f`, a parameter); the callee leaves its rest in the
 * module's fuel slot `F[0]` when it returns or bails, where the caller reads it back. `f` is
 * checked (≤ 0) at the places above. The counts are written as placeholders that `jit_fuel.ts`
 * resolves, so the unrolled laps of a self-loop can prepay their common cost.
 *
 * Bounds checks: the emitter tracks what is known of each slot's value along the path
 * (`jit_ranges.ts`, `../slot_ranges.ts`) and leaves out a memory access's check where the address
 * is known to lie in memory; a self-loop's unrolled laps may assume the slots stay in ranges that
 * every lap keeps, tested once on the way into the laps (see `#hoisted`).
 *
 * Bails: a bail site only records where it stopped (`bPc`, depth `bD`) and leaves the labelled
 * block `X` that wraps the body; the one exit after it writes the slots back and throws. Frames
 * a callee's bail unwinds through leave the same way with their CALL's return index (`uRet`), so
 * the code stays small however many places can bail.
 *
 * @module
 */
import {
  I_CALL,
  I_JMP,
  I_JNZ,
  I_JZ,
  I_LOAD,
  I_LOADB,
  I_RET,
  I_RETN,
  I_STORE,
  I_STOREB,
} from "./decode.ts";
import { BINARY_OPS, flowTargets } from "./op_semantics.ts";
import { fuelAfter, lapCharge, leaveCharge, resolveFuel } from "./jit_fuel.ts";
import { num, SLOT_MOVES, v } from "./jit_source.ts";
import { NO_RETURN, type Region } from "./jit_regions.ts";
import { compareWays, countChecks, type EmitterState, type Lap, track } from "./jit_ranges.ts";
import { entryTest, findAssumption, inBounds, type Interval, SlotRanges } from "../slot_ranges.ts";
import { LoopEdges } from "../loop_edges.ts";

/** Deepest nesting of inline code before a block becomes a `case` (parser and emitter depth). */
const MAX_NESTING = 24;
/** Largest block (instructions) copied into each of its ways in rather than dispatched to. */
const MAX_COPY = 12;
/** How a frame base and the native frames left share one argument (`at`, see `emit`). */
export const FRAME_SHIFT = 8;
const FRAME_SCALE = 1 << FRAME_SHIFT;
/** Copies of a self-loop's body run per fuel check (see `RegionEmitter.#unrolled`). */
export const UNROLL = 4;
/** Largest self-loop body (characters of generated JS) that is unrolled. */
const MAX_UNROLLED_BODY = 1600;
/** Stands for a self-loop's back edge in a body's source until `#unrolled` places the copies. */
const SELF_EDGE = "@self@";
/** The first bound assumed for each slot at a loop head (see `#hoisted`). */
const FIRST_BOUNDS = [2 ** 30];

/** Machine bounds the generated code checks against. */
export interface EmitBounds {
  /** Memory size in bytes (a multiple of 4 is not required; words are `bytes >> 2`). */
  memoryBytes: number;
  /** Byte offset of each instruction, for the return addresses seed calls push. */
  offsets: Int32Array;
}

/** Emits the function for one region. */
export function emitRegion(plain: Int32Array, region: Region, bounds: EmitBounds): string {
  return new RegionEmitter(plain, region, bounds).emit();
}

class RegionEmitter {
  readonly #plain: Int32Array;
  readonly #r: Region;
  readonly #bounds: EmitBounds;
  /** In-region edges into each instruction (the start also counts its entry). */
  readonly #preds = new Map<number, number>();
  /** Which blocks head loops (never copied, see `#edge`). */
  readonly #loops: LoopEdges;
  /** Blocks emitted as `case`s, and those still to emit. */
  readonly #cases = new Set<number>();
  readonly #pending: number[] = [];
  /** Blocks emitted inline at their one way in; blocks on the current chain of inline code. */
  readonly #inlined = new Set<number>();
  readonly #path = new Set<number>();
  /** Instructions that may still be emitted as copies of small joins. */
  #copyBudget: number;
  /** Emitted `case`s, and for each the bail taken when its fuel cannot be refilled. */
  readonly #caseCode: string[] = [];
  readonly #caseBails: string[] = [];
  /** Most fuel any back edge of the `case` being emitted charges (its loop's dearest lap). */
  #lapCost = 0;
  /** Least fuel any of its back edges charges: what each unrolled lap prepays. */
  #cheapestLap = Infinity;
  /** Whether the `case` makes a native call (its callee reads `f`: then nothing is prepaid). */
  #lapCalls = false;
  /** The slots' ranges at each back edge of the `case` being emitted. */
  #lapEnds: SlotRanges[] = [];

  constructor(plain: Int32Array, region: Region, bounds: EmitBounds) {
    this.#plain = plain;
    this.#r = region;
    this.#bounds = bounds;
    this.#copyBudget = Math.max(64, region.depth.size);
    this.#preds.set(region.start, 1);
    for (const k of region.depth.keys()) {
      if (region.bails.has(k)) continue;
      for (const t of this.#targets(k)) this.#preds.set(t, (this.#preds.get(t) ?? 0) + 1);
    }
    this.#loops = new LoopEdges(region.start, (k) => region.bails.has(k) ? [] : this.#targets(k));
  }

  emit(): string {
    const r = this.#r;
    // The fuel left comes in as `f` (the caller's, less what the CALL and ENTER charge).
    // `at` packs the frame base and the native frames left: fp × FRAME_SCALE + left (one
    // argument fewer per call; the frame base is only needed when the frame bails).
    const params = ["at", "f"];
    for (let j = 0; j < r.n; j++) params.push(v(j));
    const locals = ["bD = 0", "uRet = 0"];
    // A seed function returns natively only to the return address it was entered with.
    if (r.seed) locals.push(`ra = ${v(r.n - 1)}`);
    for (let j = r.n; j < r.slots; j++) locals.push(`${v(j)} = 0`);
    const head = `function r${num(r.start)}(${params.join(", ")}) {\nlet ${locals.join(", ")};\n`;
    let first = num(r.start);
    let body: string;
    if (!this.#isCase(r.start)) {
      body = this.#from(r.start, 0, 0, -1, SlotRanges.unknown());
      if (this.#pending.length === 0) {
        const code = `${head}X: {\n${this.#refill(this.#bail(r.start, 0))}${body}\n}\n`;
        return resolveFuel(`${code}${this.#exit()}}\n`);
      }
      // Blocks reached from the inline entry code still need the dispatch loop around it.
      this.#caseCode.push(`case -1: {\n${body}\n}`);
      this.#caseBails.push(`case -1: ${this.#bail(r.start, 0)}`);
      first = "-1";
    } else this.#queue(r.start);
    this.#emitCases();
    // The refill (a call) sits at the loop head, outside every block's own loop: V8 compiles
    // call-free inner loops much better, and a block only comes here when its fuel is spent.
    const refill = this.#refill(`switch (b) {\n${this.#caseBails.join("\n")}\n}`);
    body = `let b = ${first};\nL: for (;;) {\n${refill}switch (b) {\n${
      this.#caseCode.join("\n")
    }\n}\n}`;
    return resolveFuel(`${head}X: {\n${body}\n}\n${this.#exit()}}\n`);
  }

  /**
   * The function's one way out other than `return`: every bail site leaves block `X` with `bD`
   * (its depth) set, and so does a frame a callee's bail unwinds through (with `uRet`, its CALL's
   * return index). The slots are written back here, deepest first, by falling through the cases.
   */
  #exit(): string {
    const spills: string[] = [];
    for (let j = this.#r.slots - 1; j >= 0; j--) {
      spills.push(`case ${num(j + 1)}: s[fp + ${num(j)}] = ${v(j)};`);
    }
    return `const fp = at >> ${num(FRAME_SHIFT)}, left = at & ${num(FRAME_SCALE - 1)};
switch (bD) {\n${spills.join("\n")}\n}
if (uRet !== 0) { if (uRet > 0) { rs[LIM - 2 * left] = uRet; rs[LIM - 2 * left + 1] = fp; } throw BAIL; }
bSp = fp + bD; bFp = fp; bLeft = left; throw BAIL;
`;
  }

  /** Refills `f` from the run's budget when it is spent; runs `onEmpty` when nothing is left. */
  #refill(onEmpty: string): string {
    // A refill that overflows the host stack leaves like an empty budget (the state is exact).
    return `if (f <= 0) { F[0] = f; let ok = false; try { ok = refuel(); } catch { ok = false; } ` +
      `f = F[0]; if (!ok) { ${onEmpty} } }\n`;
  }

  #emitCases(): void {
    while (this.#pending.length > 0) {
      const x = this.#pending.shift()!;
      this.#lapCost = 0;
      this.#cheapestLap = Infinity;
      this.#lapCalls = false;
      const before = this.#snapshot();
      const body = this.#from(x, 0, 0, x, SlotRanges.unknown());
      const again = `continue b${num(x)};`;
      const checked = `if (f <= 0) { b = ${num(x)}; continue L; }\n${
        body.replaceAll(SELF_EDGE, again)
      }`;
      const hoisted = this.#hoisted(x, body, before);
      this.#caseCode.push(
        `case ${num(x)}: b${num(x)}: for (;;) {\n${this.#unrolled(x, hoisted)}${checked}\n}`,
      );
      this.#caseBails.push(`case ${num(x)}: ${this.#bail(x, 0)}`);
    }
  }

  /**
   * A small self-loop runs {@link UNROLL} laps per fuel check when the fuel left covers them:
   * the `f <= 0` test before laps 2…{@link UNROLL} is dropped, as `f > (UNROLL - 1) × the
   * dearest lap` proves it would pass. On the way in, the code counts how many such groups of
   * laps the fuel covers (`g`, at the dearest lap's cost each) and charges them all at once at
   * the cheapest lap's cost (see `jit_fuel.ts`), so the groups run in an inner loop whose only
   * extra work is counting `g` down: a test on `f` there, changed in the loop, made V8's code
   * for the whole loop markedly slower. Every exit charges exactly what the single-lap code
   * would. A lap that calls prepays nothing and checks before each group.
   */
  #unrolled(x: number, lap: Lap): string {
    const { body, entry } = lap;
    if (!body.includes(SELF_EDGE) || body.length > MAX_UNROLLED_BODY) return "";
    const guard = `f > ${num((UNROLL - 1) * this.#lapCost)}${entry}`;
    const prepaid = this.#lapCalls ? 0 : this.#cheapestLap;
    const group = UNROLL * prepaid;
    const laps: string[] = [];
    for (let lap = 0; lap < UNROLL; lap++) {
      const code = resolveFuel(body, prepaid, UNROLL - lap, group);
      const last = group > 0
        ? `if (--g === 0) continue b${num(x)}; continue w${num(x)};`
        : `continue b${num(x)};`;
      laps.push(
        lap < UNROLL - 1
          ? `u${lap}: {\n${code.replaceAll(SELF_EDGE, `break u${lap};`)}\n}`
          : code.replaceAll(SELF_EDGE, last),
      );
    }
    if (group === 0) return `if (${guard}) {\n${laps.join("\n")}\n}\n`;
    // Groups whose start finds f past the guard, each costing at most UNROLL dearest laps.
    const dearest = UNROLL * this.#lapCost;
    const groups = `let g = (((f - ${
      num((UNROLL - 1) * this.#lapCost + 1)
    }) / ${dearest}) | 0) + 1;`;
    return `if (${guard}) {\n${groups} f -= ${num(group)} * g;\nw${num(x)}: for (;;) {\n${
      laps.join("\n")
    }\n}\n}\n`;
  }

  #snapshot(): EmitterState {
    return {
      inlined: [...this.#inlined],
      cases: [...this.#cases],
      pending: [...this.#pending],
      copyBudget: this.#copyBudget,
      lapCost: this.#lapCost,
      cheapestLap: this.#cheapestLap,
      lapCalls: this.#lapCalls,
    };
  }

  #restore(state: EmitterState): void {
    this.#inlined.clear();
    for (const x of state.inlined) this.#inlined.add(x);
    this.#cases.clear();
    for (const x of state.cases) this.#cases.add(x);
    this.#pending.splice(0, this.#pending.length, ...state.pending);
    this.#copyBudget = state.copyBudget;
    this.#lapCost = state.lapCost;
    this.#cheapestLap = state.cheapestLap;
    this.#lapCalls = state.lapCalls;
  }

  /**
   * The laps of self-loop `x` (whose checked `body` was emitted from emitter state `before`)
   * with the bounds checks an inductive assumption on the slots makes needless: every live slot
   * in [0, 2^30] at first (an index below memory plus such a value cannot wrap), narrowed until
   * every lap that comes back keeps it (see `../slot_ranges.ts`); the laps' entry then tests
   * it, and where it fails at run time the checked code runs. The body is emitted again from
   * the same emitter state, so its structure and fuel are the checked body's, only without
   * those checks.
   */
  #hoisted(x: number, body: string, before: EmitterState): Lap {
    const checked: Lap = { body, entry: "" };
    if (!body.includes(SELF_EDGE) || body.length > MAX_UNROLLED_BODY || this.#lapCalls) {
      return checked;
    }
    const after = this.#snapshot();
    const lap = (assumed: ReadonlyMap<number, Interval>) => {
      this.#restore(before);
      this.#lapEnds = [];
      const code = this.#from(x, 0, 0, x, SlotRanges.assuming(assumed));
      return { code, ends: this.#lapEnds };
    };
    const slots = Array.from({ length: this.#r.depth.get(x)! }, (_, j) => j);
    const found = findAssumption(slots, FIRST_BOUNDS, lap, countChecks);
    this.#restore(after);
    return found ? { body: found.code, entry: entryTest(found.assumed, v) } : checked;
  }

  #queue(x: number): void {
    if (this.#cases.has(x)) return;
    this.#cases.add(x);
    this.#pending.push(x);
  }

  /**
   * The size of block `x` if it is worth copying into each way in: a few straight instructions
   * ending in a jump or a return (a loop's latch or test, a shared return); else `Infinity`.
   */
  #copySize(x: number): number {
    for (let k = x, size = 1; size <= MAX_COPY; k++, size++) {
      const o = this.#plain[k * 4];
      if (this.#r.bails.has(k)) break;
      if (o === I_JMP || o === I_JZ || o === I_JNZ || o === I_RETN || o === I_RET) return size;
      if ((this.#preds.get(k + 1) ?? 0) !== 1) break;
    }
    return Infinity;
  }

  #isCase(x: number): boolean {
    return this.#cases.has(x) || (this.#preds.get(x) ?? 0) !== 1;
  }

  #targets(k: number): number[] {
    const o = this.#plain[k * 4], a = this.#plain[k * 4 + 1];
    if (o === I_CALL && this.#r.calls.get(k)!.results === NO_RETURN) return [];
    if (o === I_RET) return [];
    return flowTargets(o, a, k);
  }

  /** Leaves before instruction `k` (not run): the interpreter continues from there. */
  #bail(k: number, fuelCount: number): string {
    const d = this.#r.depth.get(k)!;
    return `${fuelAfter(fuelCount)} bPc = ${num(k)}; bD = ${num(d)}; break X;`;
  }

  /**
   * Control goes to block `x`: inline at its only way in, or as a copy when it is a small latch,
   * else through the switch (always for the current case itself, or a block already on this
   * chain of inline code, so emission ends).
   *
   * A loop's head (see `../loop_edges.ts`) is never copied: every way into a loop goes through
   * the switch to the head's own case, where the loop's blocks are emitted in place. A copy of
   * the loop's first test elsewhere (say on the way out of the loop before it) would take the
   * single-entry blocks after it, which the loop's own case could then reach only through the
   * switch: a sieve's scan loop left its laps at every prime that way. It also keeps a path that
   * leaves the current loop and comes back into it around an outer loop from counting as one of
   * its laps, since that path passes the outer loop's head.
   */
  #edge(
    x: number,
    fuelCount: number,
    nesting: number,
    current: number,
    ranges: SlotRanges,
  ): string {
    const head = this.#loops.isHead(x);
    if (!head && x !== current && nesting <= MAX_NESTING && !this.#path.has(x)) {
      let inline = !this.#isCase(x) && !this.#inlined.has(x);
      if (inline) this.#inlined.add(x);
      else {
        // A small join (e.g. a loop's increment reached from two places) is copied into each
        // way in, so the loop around it needs no trip through the switch.
        const size = this.#copySize(x);
        inline = size <= this.#copyBudget;
        if (inline) this.#copyBudget -= size;
      }
      if (inline) {
        this.#path.add(x);
        const code = this.#from(x, fuelCount, nesting + 1, current, ranges);
        this.#path.delete(x);
        return code;
      }
    }
    this.#queue(x);
    if (x !== current) return `${leaveCharge(fuelCount)} b = ${num(x)}; continue L;`;
    this.#lapEnds.push(ranges);
    this.#lapCost = Math.max(this.#lapCost, fuelCount);
    this.#cheapestLap = Math.min(this.#cheapestLap, fuelCount);
    return `${lapCharge(fuelCount)} ${SELF_EDGE}`;
  }

  /** Straight code from instruction `k` until control leaves; `fuelCount` not yet charged. */
  #from(
    k: number,
    fuelCount: number,
    nesting: number,
    current: number,
    ranges: SlotRanges,
  ): string {
    const out: string[] = [];
    const plain = this.#plain;
    for (;;) {
      if (this.#r.bails.has(k)) {
        out.push(this.#bail(k, fuelCount));
        return out.join("\n");
      }
      const d = this.#r.depth.get(k)!;
      const o = plain[k * 4], a = plain[k * 4 + 1];
      const top = v(d - 1), second = v(d - 2);
      const binary = BINARY_OPS.get(o), move = SLOT_MOVES.get(o);
      if (binary?.test && this.#fusesWithBranch(k + 1)) {
        // A compare and the JZ/JNZ after it: one `if` on the condition, no 0/1 in between.
        const holds = binary.test(second, top);
        const jumps = plain[(k + 1) * 4] === I_JNZ ? holds : `!(${holds})`;
        const target = plain[(k + 1) * 4 + 1];
        const [taken, next] = compareWays(ranges, o, plain[(k + 1) * 4] === I_JNZ, d);
        const jump = this.#edge(target, fuelCount + 2, nesting + 1, current, taken);
        out.push(`if (${jumps}) {\n${jump}\n}`);
        out.push(this.#edge(k + 2, fuelCount + 2, nesting + 1, current, next));
        return out.join("\n");
      } else if (binary) {
        if (binary.trapsOnZero) out.push(`if (${top} === 0) { ${this.#bail(k, fuelCount)} }`);
        out.push(`${second} = ${binary.source(second, top)};`);
        track(ranges, o, a, d);
      } else if (move) {
        const code = move(d, a);
        if (code !== "") out.push(code);
        track(ranges, o, a, d);
      } else if (o === I_LOAD || o === I_LOADB || o === I_STORE || o === I_STOREB) {
        out.push(this.#memory(k, o, d, fuelCount, ranges));
        track(ranges, o, a, d);
      } else if (o === I_JMP) {
        return [...out, this.#edge(a, fuelCount + 1, nesting, current, ranges)].join("\n");
      } else if (o === I_JZ || o === I_JNZ) {
        const test = `${top} ${o === I_JZ ? "===" : "!=="} 0`;
        const jump = this.#edge(a, fuelCount + 1, nesting + 1, current, ranges.clone());
        out.push(`if (${test}) {\n${jump}\n}`);
        out.push(this.#edge(k + 1, fuelCount + 1, nesting + 1, current, ranges));
        return out.join("\n");
      } else if (o === I_RETN) {
        out.push(fuelAfter(fuelCount + 1));
        out.push(a === 1 ? `return ${top};` : "return 0;");
        return out.join("\n");
      } else if (o === I_RET) {
        // A seed return (the region analysis admits no other RET): to the caller when it pops
        // the return address the function was entered with, else the interpreter jumps.
        out.push(`if (${top} !== ra) { ${this.#bail(k, fuelCount)} }`);
        out.push(fuelAfter(fuelCount + 1));
        out.push(this.#r.results === 1 ? `return ${v(0)};` : "return 0;");
        return out.join("\n");
      } else if (o === I_CALL) {
        out.push(this.#call(k, d, fuelCount));
        ranges.forgetFrom(0);
        fuelCount = -1; // charged by the call; +1 below makes 0
        if (this.#r.calls.get(k)!.results === NO_RETURN) {
          out.push("throw BAIL_UNREACHABLE;");
          return out.join("\n");
        }
      } else {
        throw new Error(`pixelvm jit: no emitter for op ${o}`);
      }
      fuelCount++;
      k++;
      if (this.#isCase(k) || this.#inlined.has(k)) {
        out.push(this.#edge(k, fuelCount, nesting, current, ranges));
        return out.join("\n");
      }
    }
  }

  /** Whether instruction `k` is a `JZ`/`JNZ` reached only by falling through from `k - 1`. */
  #fusesWithBranch(k: number): boolean {
    const o = this.#plain[k * 4];
    return (o === I_JZ || o === I_JNZ) && !this.#r.bails.has(k) && !this.#isCase(k) &&
      !this.#inlined.has(k);
  }

  #memory(k: number, o: number, d: number, fuelCount: number, ranges: SlotRanges): string {
    const words = o === I_LOAD || o === I_STORE;
    const size = words ? this.#bounds.memoryBytes >> 2 : this.#bounds.memoryBytes;
    const mem = words ? "m32" : "m8";
    const at = v(d - 1);
    // No check where the address is known to lie in memory (the typed array still checks).
    const guard = inBounds(ranges, d - 1, size)
      ? ""
      : `if (${at} >>> 0 >= ${num(size)}) { ${this.#bail(k, fuelCount)} }`;
    if (o === I_LOAD || o === I_LOADB) return `${guard} ${at} = ${mem}[${at}];`;
    return `${guard} ${mem}[${at}] = ${v(d - 2)};`;
  }

  /**
   * A native call: checks the native frame budget first (it implies the callee's stack room; else
   * bails before the CALL), charges CALL and the callee's ENTER, and on a bail inside the callee
   * writes this frame's slots below the arguments and the CALL's return record.
   */
  #call(k: number, d: number, fuelCount: number): string {
    const callee = this.#r.calls.get(k)!;
    this.#lapCalls = true;
    // A seed callee's last input is the return address this CALL pushes (a constant here); a
    // frame callee's ENTER is charged with the CALL, and a bail leaves a return record.
    const base = d - (callee.seed ? callee.n - 1 : callee.n);
    const charge = fuelCount + (callee.seed ? 1 : 2);
    const args = [`at + ${num(base * FRAME_SCALE - 1)}`, `f - ${num(charge)}`];
    for (let j = base; j < d; j++) args.push(v(j));
    if (callee.seed) args.push(num(this.#bounds.offsets[k + 1]));
    const assign = callee.results === 1 ? `${v(base)} = ` : "";
    const unwind = callee.seed ? "-1" : num(k + 1);
    return [
      // No stack-room test: the driver grants only as many native frames as the stack can hold
      // at MAX_SLOTS per frame (see enterNative), so `left` covers both limits.
      `if ((at & ${num(FRAME_SCALE - 1)}) === 0) { ${this.#bail(k, fuelCount)} }`,
      // Anything but BAIL can only come from the callee's first step, the host stack check in its
      // prologue (its own calls and refills turn overflows into bails): then the CALL never
      // happened, and this frame bails before it.
      `try { ${assign}r${num(callee.start)}(${args.join(", ")}); } catch (e) { if (e !== BAIL) { ${
        this.#bail(k, fuelCount)
      } } bD = ${num(base)}; uRet = ${unwind}; break X; }`,
      "f = F[0];",
    ].join("\n");
  }
}
