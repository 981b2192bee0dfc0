/**
 * The fast tier: translates the pre-decoded table into one JavaScript function (basic blocks as
 * `switch` cases on the instruction index, registers in locals), so a register loop runs near
 * plain-JS speed. Control flow is structured where it is cheap: a small block a jump or
 * fall-through reaches inside a loop is emitted in place (a copy) instead of going through the
 * `switch`, so a loop whose body is a few blocks becomes one JS loop (`continue b<head>`); a
 * small loop runs {@link UNROLL} laps per budget check, their common cost charged once (see
 * {@link resolveFuel}). A `RET` compares the popped address with the program's return sites and
 * goes on in a copy of the code there (a recursion's next call becomes the loop's next lap)
 * before it falls back to the dispatch. The unrolled laps leave out the bounds checks that the
 * registers' ranges prove needless, under an assumption each lap keeps and the laps' entry tests
 * (`jit_ranges.ts`, `../slot_ranges.ts`). Instruction emitters live in `jit_ops.ts`.
 *
 * Only numbers from the decoded table reach the generated source — never bytes or text from the
 * program — so the translation cannot inject code. Everything that can warn, trap or call out
 * (SYSCALL, bad bytes, bad registers, faults) "bails": the compiled code stores its state and
 * returns, the interpreter runs that instruction exactly, then the fast tier resumes at the next
 * block. Fuel is charged per block before the block runs; a block that does not fit the budget
 * also bails, and a bail in mid-block refunds the instructions not run. So fuel and results are
 * identical to the interpreter's, instruction for instruction.
 *
 * @module
 */
import { type PxvmProgram, STRIDE } from "./decode.ts";
import {
  blockTargets,
  emit,
  emitJump,
  emitReturn,
  ENDS_BLOCK,
  FLAG_STATE,
  memoryAccess,
  returnSites,
  SIMPLE,
} from "./jit_ops.ts";
import { branchRegisters, trackRegisters } from "./jit_ranges.ts";
import { MEMORY_SIZE } from "./isa.ts";
import { entryTest, findAssumption, inBounds, type Interval, SlotRanges } from "../slot_ranges.ts";

/** State passed in and out of compiled code. */
export interface FastState {
  /** R0–R7 (and the null register, unused here). */
  regs: Int32Array;
  /** Current instruction index. */
  ip: number;
  /** Stack pointer. */
  sp: number;
  /** Compare flag. */
  flag: number;
  /** Instructions the compiled code may still run. */
  budget: number;
}

/**
 * Instructions one call of compiled code may run before it returns, so the driver reads the
 * clock. Reading it costs ~0.4 µs here (kvm-clock), about what 1,000 compiled instructions take,
 * and each return also passes through the interpreter for one step: the interpreter's
 * `DEADLINE_CHECK_INTERVAL` (4,096) would double a tight loop's time, while 2^18 costs under 1%
 * and still sees the deadline within a few milliseconds.
 */
export const FAST_SLICE = 1 << 18;

/** Why compiled code returned. */
export const EXIT_BAIL = 0;
/** Compiled code hit HALT. */
export const EXIT_HALT = 1;

/** A compiled program: runs until it must bail or halts. */
export type FastCode = (
  s: FastState,
  mem: Uint8Array,
  view: DataView,
  indexOf: Int32Array,
) => number;

/** Marks block leaders: entry points the fast tier can be entered at. */
export function findLeaders(program: PxvmProgram): Uint8Array {
  const n = program.instructions.length;
  const code = program.code;
  const leaders = new Uint8Array(n + 1);
  leaders[program.indexOf[program.entry]] = 1;
  for (let i = 0; i < n; i++) {
    const h = code[i * STRIDE];
    if (!SIMPLE.has(h)) {
      leaders[i] = 1; // compiled code stops here and the interpreter runs it
      leaders[i + 1] = 1; // and resumes after it
      continue;
    }
    if (ENDS_BLOCK.has(h)) leaders[i + 1] = 1;
    for (const target of blockTargets(code, i)) leaders[target] = 1;
  }
  return leaders;
}

/** Largest block (instructions) copied to where a jump or fall-through reaches it. */
const MAX_COPIED_BLOCK = 8;
/** Deepest chain of copies inside one block's code. */
const MAX_COPY_DEPTH = 4;
/** Most instructions copied into one block's code (bounds the generated source). */
const MAX_COPIED_PER_CASE = 48;
/** Laps of a small loop run per budget check (see {@link CaseEmitter.unrolled}). */
export const UNROLL = 4;
/** Most instructions a loop's code may hold (copies included) to be unrolled. */
const MAX_UNROLLED_LAP = 32;
/** Stands for a loop's back edge in a lap's source until the laps are placed. */
const BACK_EDGE = "@back@";
/**
 * The first bounds assumed for every register at a loop head when looking for bounds checks the
 * unrolled laps can leave out: 2^30 (an index below memory plus it cannot wrap), and half the
 * memory (a base and an index below it together stay in memory).
 */
const FIRST_BOUNDS = [2 ** 30, MEMORY_SIZE / 2];
const REGISTERS = [0, 1, 2, 3, 4, 5, 6, 7];
/** Bounds checks in emitted code. */
const countChecks = (code: string) => code.split(" >>> 0) > ").length - 1;

/**
 * Fuel in a case's source is written as placeholders, resolved once it is known whether the code
 * runs as checked code or as one of the {@link UNROLL} prepaid laps (see {@link resolveFuel}):
 * `@b<P>,<L>@` is the charge of a block of `L` instructions reached after `P` on its lap, and
 * `@x<T>,<R>@` the refund where control leaves (a bail or an exit) after `R` instructions of the
 * lap ran, in a block that ends `T` instructions into it.
 */
const blockCharge = (before: number, len: number) => `@b${before},${len}@`;
const leaveRefund = (through: number, ran: number) => `@x${through},${ran}@`;

/**
 * The fuel statements of a case's source, for code that prepaid `prepaid` instructions per lap
 * with `lapsLeft` laps (this one included) prepaid: a block charges only what its lap runs past
 * the prepaid part, and leaving refunds what was charged (or prepaid, this lap and the rest) but
 * not run, and with `group` > 0 also the `group` prepaid for each group of laps still to come
 * (counted down in `g`, this one included). Checked code prepays nothing: each block charges its
 * length, and a bail refunds the block's instructions that did not run. Every refund is ≥ 0.
 */
function resolveFuel(source: string, prepaid: number, lapsLeft: number, group = 0): string {
  const extra = (cost: number) => Math.max(0, cost - prepaid);
  const later = group > 0 ? ` + ${group} * (g - 1)` : "";
  return source.replace(/@([bx])(\d+),(\d+)@/g, (_, kind: string, p: string, q: string) => {
    const [a, b] = [Number(p), Number(q)];
    if (kind === "b") {
      const n = extra(a + b) - extra(a);
      return n === 0 ? "" : `budget -= ${n};`;
    }
    const n = lapsLeft * prepaid + extra(a) - b;
    return n === 0 && later === "" ? "" : `budget += ${n}${later};`;
  });
}

/** A block: instructions `start` up to (not including) `end`, all run by the fast tier. */
interface Block {
  start: number;
  end: number;
}

/** The program's blocks by first instruction (leaders the fast tier cannot run have none). */
function findBlocks(code: Int32Array, n: number, leaders: Uint8Array): Map<number, Block> {
  const blocks = new Map<number, Block>();
  for (let i = 0; i < n; i++) {
    if (!leaders[i] || !SIMPLE.has(code[i * STRIDE])) continue;
    let end = i;
    while (end < n && SIMPLE.has(code[end * STRIDE])) {
      const h = code[end * STRIDE];
      end++;
      if (ENDS_BLOCK.has(h) || leaders[end]) break;
    }
    blocks.set(i, { start: i, end });
  }
  return blocks;
}

/**
 * The code of one `case` (the block at `head`): the block, the blocks copied in where it jumps,
 * and jumps back to `head` as a loop. Every path ends in an explicit transfer (`continue`,
 * `break out`), never by falling into the next case.
 */
class CaseEmitter {
  readonly #code: Int32Array;
  readonly #blocks: Map<number, Block>;
  readonly #head: number;
  /** Last instruction of the loop `head` starts (a jump back to it); copies stay inside. */
  readonly #loopEnd: number;
  readonly #path = new Set<number>();
  /** Whether each block checks the budget first (off inside unrolled laps, where it holds). */
  #checked = true;
  #copied = 0;
  /** Instructions of every block emitted into this case: no lap can charge more. */
  lapCost = 0;
  /** Whether the code jumps back to its head. */
  loops = false;
  /** Instructions run on the current path from the head, up to the block being emitted. */
  #ran = 0;
  /** Fewest instructions any lap runs from the head back to it (what each lap prepays). */
  #cheapestLap = Infinity;
  /** The registers' ranges at each back edge of the lap being emitted. */
  #lapEnds: SlotRanges[] = [];

  /** Where each `CALL` returns to: its return address (a byte offset) and instruction index. */
  readonly #returnSites: readonly [number, number][];

  constructor(
    code: Int32Array,
    blocks: Map<number, Block>,
    head: number,
    loopEnd: number,
    returnSites: readonly [number, number][],
  ) {
    this.#code = code;
    this.#blocks = blocks;
    this.#head = head;
    this.#loopEnd = loopEnd;
    this.#returnSites = returnSites;
  }

  /** The case's code, checked, with back edges as `continue b<head>`. */
  emit(): string {
    const code = this.#block(this.#blocks.get(this.#head)!, SlotRanges.unknown());
    return resolveFuel(code, 0, 0).replaceAll(BACK_EDGE, `continue b${this.#head};`);
  }

  /**
   * The case's code as groups of {@link UNROLL} laps, each group under a check that the budget
   * covers it; empty when the case is no small loop. On the way in the code counts how many
   * groups the budget covers at the dearest cost (`g`) and charges them all at once at the
   * cheapest lap's cost: every lap runs at least that, so a lap only charges what its path runs
   * past it, and wherever control leaves, the prepaid fuel not used (this lap's, the group's
   * later laps', the later groups') is refunded. Fuel, bails and exits come out exactly as in the
   * checked code, and the groups run in an inner loop that only counts `g` down: a budget test
   * changed inside the loop made V8's code for the whole loop markedly slower.
   */
  unrolled(): string {
    if (!this.loops || this.lapCost > MAX_UNROLLED_LAP) return "";
    const cost = this.lapCost;
    const prepaid = this.#cheapestLap;
    this.#checked = false;
    const emitLap = (assumed: ReadonlyMap<number, Interval>) => {
      this.#copied = 0;
      this.#lapEnds = [];
      const code = this.#block(this.#blocks.get(this.#head)!, SlotRanges.assuming(assumed));
      return { code, ends: this.#lapEnds };
    };
    // Laps without the bounds checks an inductive range of the registers proves needless, when
    // the registers are in that range on the way in (see `../slot_ranges.ts`).
    const found = findAssumption(REGISTERS, FIRST_BOUNDS, emitLap, countChecks);
    const lap = found?.code ?? emitLap(new Map()).code;
    const entry = found ? entryTest(found.assumed, (j) => `r${j}`) : "";
    this.#checked = true;
    const group = UNROLL * prepaid;
    const head = this.#head;
    const laps: string[] = [];
    for (let k = 0; k < UNROLL; k++) {
      const code = resolveFuel(lap, prepaid, UNROLL - k, group);
      laps.push(
        k < UNROLL - 1
          ? `u${k}: { ${code.replaceAll(BACK_EDGE, `break u${k};`)} }`
          : code.replaceAll(BACK_EDGE, `if (--g === 0) continue b${head}; continue w${head};`),
      );
    }
    const groups = `let g = (budget / ${UNROLL * cost}) | 0; budget -= ${group} * g;`;
    return `if (budget >= ${UNROLL * cost}${entry}) { ${groups} w${head}: for (;;) { ${
      laps.join(" ")
    } } } `;
  }

  #block(block: Block, ranges: SlotRanges): string {
    const { start, end } = block;
    const code = this.#code;
    const len = end - start;
    if (this.#checked) this.lapCost += len;
    const out: string[] = [];
    // Whether instruction k's memory access is known to lie in memory.
    const known = (k: number) => {
      const access = memoryAccess(code[k * STRIDE], code[k * STRIDE + 1], code[k * STRIDE + 2]);
      return access !== undefined && inBounds(ranges, access[0], MEMORY_SIZE - access[1] + 1);
    };
    if (this.#checked) out.push(`if (budget < ${len}) { exit = 0; ip = ${start}; break out; }`);
    const before = this.#ran;
    out.push(blockCharge(before, len));
    this.#ran = before + len;
    this.#path.add(start);
    const edge = (target: number, holds?: boolean) =>
      this.#edge(target, holds === undefined ? ranges : branchRegisters(ranges, h, holds));
    let h = 0;
    for (let k = start; k < end; k++) {
      const base = k * STRIDE;
      h = code[base];
      const bail = `${
        leaveRefund(before + len, before + k - start)
      } exit = 0; ip = ${k}; break out;`;
      // HALT and RET's return through the dispatch leave after the whole block ran.
      const leave = leaveRefund(before + len, before + len);
      if (h === 0x00) out.push(leave);
      out.push(
        h === 0x5a
          ? emitReturn(bail, leave, this.#predictedReturns(ranges))
          : ENDS_BLOCK.has(h) && h !== 0x00
          ? emitJump(h, code[base + 1], code[base + 2], k + 1, bail, edge)
          : emit(h, code[base + 1], code[base + 2], code[base + 3], bail, k + 1, known(k)),
      );
      if (!ENDS_BLOCK.has(h)) {
        trackRegisters(ranges, h, code[base + 1], code[base + 2], code[base + 3]);
      }
    }
    if (!ENDS_BLOCK.has(code[(end - 1) * STRIDE])) out.push(this.#edge(end, ranges));
    this.#path.delete(start);
    this.#ran = before;
    return out.join(" ");
  }

  /**
   * Control goes to instruction `target`: back to the head, a copy of its block (a small block
   * inside the loop the head starts, so the loop's body becomes one JS loop), or dispatch.
   */
  #edge(target: number, ranges: SlotRanges): string {
    if (target === this.#head) {
      this.#lapEnds.push(ranges);
      this.loops = true;
      this.#cheapestLap = Math.min(this.#cheapestLap, this.#ran);
      return BACK_EDGE;
    }
    const inLoop = target > this.#head && target <= this.#loopEnd;
    const copy = inLoop ? this.#copy(target, ranges) : undefined;
    return copy ?? `{ ${leaveRefund(this.#ran, this.#ran)} ip = ${target}; continue out; }`;
  }

  /** A copy of the block at `target`, if it is small and the copy limits allow it. */
  #copy(target: number, ranges: SlotRanges): string | undefined {
    const block = this.#blocks.get(target);
    const len = block ? block.end - block.start : Infinity;
    if (
      !block || len > MAX_COPIED_BLOCK || this.#path.has(target) ||
      this.#path.size >= MAX_COPY_DEPTH || this.#copied + len > MAX_COPIED_PER_CASE
    ) return undefined;
    this.#copied += len;
    return `{ ${this.#block(block, ranges)} }`;
  }

  /**
   * A `RET`'s likely ways on: for each return site whose block can be copied here, the return
   * address it is reached by and the copy (with the popped address dropped), so a return into
   * code of the same function (a recursion's next call, a loop around a call) goes on without
   * the dispatch. Any other address goes through the dispatch as before.
   */
  #predictedReturns(ranges: SlotRanges): [number, string][] {
    const ways: [number, string][] = [];
    for (const [address, site] of this.#returnSites) {
      if (site === this.#head) continue; // the case's own head: the dispatch comes back here
      const copy = this.#copy(site, ranges.clone());
      if (copy !== undefined) ways.push([address, copy]);
    }
    return ways;
  }
}

/** Compiled programs: the generated function depends only on the program, so it is made once. */
const compiled = new WeakMap<PxvmProgram, { run: FastCode; leaders: Uint8Array }>();

/**
 * Compiles a program to its fast form, with the leader table it was built on (cached per
 * program: a fresh function per run would start cold in V8 every time).
 *
 * @param program a loaded program
 */
export function compileFast(program: PxvmProgram): { run: FastCode; leaders: Uint8Array } {
  const known = compiled.get(program);
  if (known) return known;
  const leaders = findLeaders(program);
  const code = program.code;
  const n = program.instructions.length;
  const blocks = findBlocks(code, n, leaders);
  // Each jump target's last jump back to it: the loop it heads spans the code in between.
  const loopEnds = new Int32Array(n + 1).fill(-1);
  for (let k = 0; k < n; k++) {
    for (const t of blockTargets(code, k)) if (t <= k && t <= n) loopEnds[t] = k;
  }
  const sites = returnSites(code, n, program.indexOf);
  const parts: string[] = [];
  for (let i = 0; i <= n; i++) {
    if (!leaders[i]) continue;
    if (!blocks.has(i)) {
      parts.push(`case ${i}: exit = 0; ip = ${i}; break out;`);
      continue;
    }
    const emitter = new CaseEmitter(code, blocks, i, loopEnds[i], sites);
    const checked = emitter.emit();
    const unrolled = emitter.unrolled();
    parts.push(
      emitter.loops
        ? `case ${i}: b${i}: for (;;) { ${unrolled}${checked} }`
        : `case ${i}: { ${checked} }`,
    );
  }
  const regs = [0, 1, 2, 3, 4, 5, 6, 7];
  const source = `"use strict";
let ${regs.map((k) => `r${k} = s.regs[${k}]`).join(", ")};
let ip = s.ip, sp = s.sp, ${FLAG_STATE.enter("s.flag")}, budget = s.budget, exit = 0;
out: for (;;) {
  switch (ip) {
    ${parts.join("\n    ")}
    default: exit = 0; break out;
  }
}
${regs.map((k) => `s.regs[${k}] = r${k};`).join(" ")}
s.ip = ip; s.sp = sp; s.flag = ${FLAG_STATE.leave}; s.budget = budget;
return exit;`;
  const run = new Function("s", "mem", "view", "indexOf", source) as FastCode;
  const result = { run, leaders };
  compiled.set(program, result);
  return result;
}
