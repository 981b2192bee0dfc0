/**
 * What compiled Poh functions (see `jit.ts`) share with the VM at run time: the fuel meter, the
 * slow paths of every instruction (each records the instruction's pc before it may throw, so a
 * fault is reported at the right Poh line), and the exit path. An exit ("deopt") happens when
 * compiled code meets something only the interpreter does (a call to a function that is not
 * compiled, the last drops of fuel) or a guest error: every compiled frame on the host stack
 * then writes its locals and operand stack into the VM's value stack in the interpreter's
 * layout, and the VM resumes those frames as interpreted frames — so handlers, stack traces and
 * fuel are exactly what the interpreter alone would give.
 *
 * @module
 */
import type { Limits } from "../../host/limits.ts";
import { DEADLINE_CHECK_INTERVAL } from "../../host/limits.ts";
import { type BuiltinContext, BUILTINS } from "./builtins.ts";
import { OP_BY_CODE } from "./isa.ts";
import { fuelError, timeoutError } from "./runtime.ts";
import {
  addValues,
  arith,
  compare,
  indexValue,
  negate,
  PohThrow,
  setIndexValue,
  truthy,
  type Value,
  valuesEqual,
} from "./values.ts";
import {
  badWalkError,
  dictFrom,
  noCellError,
  repeatCount,
  thrownError,
  unsetError,
} from "./exec_common.ts";
import { Cell, type LoadedFunction, UNSET, type VmClosure } from "./vm_support.ts";

/** A compiled Poh function: runs one call to completion on the host stack. */
export type CompiledFn = (
  rt: JitRuntime,
  closure: VmClosure,
  bp: number,
  depth: number,
  ...args: Value[]
) => Value;

/** Per-function facts the exit path needs (made by the compiler). */
export interface JitMeta {
  readonly fn: LoadedFunction;
  /** Operand-stack depth before each instruction (function-relative pc; -1 = unreachable). */
  readonly depth: Int32Array;
  /** Instructions after each one that were charged with it (same fuel segment). */
  readonly refund: Int32Array;
}

/** Thrown by compiled code to hand its frames to the interpreter at `pc`. */
export class Deopt {
  /**
   * Creates the signal.
   *
   * @param pc function-relative pc the interpreter resumes at
   * @param refund fuel charged for instructions the interpreter will run (again)
   */
  constructor(readonly pc: number, readonly refund: number) {}
}

/** One compiled frame, written back for the interpreter. */
export interface SpilledFrame {
  fn: LoadedFunction;
  closure: VmClosure;
  depth: number;
  bp: number;
  /** Function-relative pc to resume at (inner frame) or to return to (callers). */
  pc: number;
  /** Where a caller wants its callee's result. */
  ret: number;
  /** Operand-stack values that are live. */
  live: number;
  locals: Value[];
  temps: Value[];
}

/** The pc of the instruction whose slow path ran last (read by the exit path right away). */
let faultPc = -1;

/**
 * The run's fuel meter and the compiled code's link to the VM. One per run; compiled functions
 * are shared by every run of a loaded module, so all run state is here.
 */
export class JitRuntime {
  /** Fuel left in the current chunk (the interpreter's dispatch loop keeps a copy). */
  budget = 0;
  /** Size of the current chunk. */
  chunk = 0;
  /** Fuel used by chunks already finished. */
  fuelUsed = 0;
  /** Frames written back by the last exit from compiled code, innermost first. */
  readonly spilled: SpilledFrame[] = [];
  /** Fuel to give back when the spilled frames are installed. */
  refund = 0;
  /** One instruction per chunk, so an observer sees every instruction. */
  perInstruction = false;

  /**
   * Creates the runtime of one run.
   *
   * @param limits fuel and time limits
   * @param deadline `performance.now()` deadline
   * @param globals the run's global slots
   * @param ctx the built-in context
   * @param observing true under `--trace`/`--profile` or with the compiling tier off: no
   *   compiled code runs (and observers get one instruction per chunk)
   * @param compile compiles a function (null when it cannot be compiled)
   */
  constructor(
    readonly limits: Limits,
    readonly deadline: number,
    readonly globals: Value[],
    readonly ctx: BuiltinContext,
    readonly observing: boolean,
    private readonly compile: (fn: LoadedFunction) => CompiledFn | null,
  ) {}

  /** Fuel used so far. */
  fuelTotal(): number {
    return this.fuelUsed + (this.chunk - this.budget);
  }

  /** Starts a new fuel chunk; `E_FUEL` when none is left. */
  refill(): void {
    const left = this.limits.fuel - this.fuelUsed;
    if (left <= 0) throw fuelError(this.limits);
    this.chunk = this.perInstruction ? 1 : Math.min(DEADLINE_CHECK_INTERVAL, left);
    this.budget = this.chunk;
  }

  /**
   * Compiled code could not pay `n` from the chunk: closes the chunk, checks the deadline and
   * pays from a new one — or, when fewer than `n` units are left in all, exits at `pc` so the
   * interpreter runs the last instructions one by one and stops at the exact one.
   */
  refuel(n: number, pc: number): void {
    this.budget += n;
    this.fuelUsed += this.chunk - this.budget;
    this.chunk = this.budget = 0;
    const left = this.limits.fuel - this.fuelUsed;
    if (left < n) throw new Deopt(pc, 0);
    if (performance.now() > this.deadline) throw timeoutError(this.limits);
    this.chunk = Math.max(n, Math.min(DEADLINE_CHECK_INTERVAL, left));
    this.budget = this.chunk - n;
  }

  /** The compiled form of `fn`, compiling it on first use (null: the interpreter runs it). */
  jitFor(fn: LoadedFunction): CompiledFn | null {
    // An observed run never compiles, and leaves the choice to later runs of the module.
    if (this.observing) return null;
    if (fn.jit === undefined) fn.jit = this.compile(fn);
    return fn.jit;
  }

  /** A call compiled code cannot make itself: exit at the call so the interpreter makes it. */
  deopt(pc: number, meta: JitMeta): Deopt {
    // A function that keeps exiting is left to the interpreter.
    if (++meta.fn.deopts > 64) meta.fn.jit = null;
    return new Deopt(pc, meta.refund[pc] + 1);
  }

  /**
   * Records a compiled frame an exception is leaving (called from its `catch`). Deopts and
   * guest errors are handed to the interpreter; anything else (limits, exits) is fatal anyway.
   */
  spill(
    e: unknown,
    meta: JitMeta,
    closure: VmClosure,
    bp: number,
    depth: number,
    at: number,
    locals: Value[],
    temps: Value[],
  ): void {
    if (!(e instanceof Deopt) && !(e instanceof PohThrow)) return;
    const fn = meta.fn;
    const last = this.spilled[this.spilled.length - 1];
    const frame: SpilledFrame = { fn, closure, depth, bp, pc: 0, ret: 0, live: 0, locals, temps };
    if (last !== undefined && last.depth === depth + 1) {
      // A caller: the exception came out of the call at `at`.
      const code = fn.code;
      const isCall = code[at] === 42;
      const n = isCall ? code[at + 1] : code[at + 2];
      frame.live = meta.depth[at] - n - (isCall ? 1 : 0);
      frame.pc = at + 1 + OP_BY_CODE[code[at]]!.operands.length;
      frame.ret = bp + fn.localCount + frame.live;
    } else if (e instanceof Deopt) {
      frame.pc = e.pc;
      frame.live = meta.depth[e.pc];
      this.refund += e.refund;
    } else {
      const pc = faultPc >= 0 ? faultPc : at;
      frame.pc = pc + 1;
      frame.live = meta.depth[pc];
      this.refund += meta.refund[pc];
    }
    faultPc = -1;
    this.spilled.push(frame);
  }
}

// --- slow paths: each records its pc first, then does what the interpreter does ----------

/** `a plus b` beyond two numbers. */
export function addSlow(pc: number, a: Value, b: Value, rt: JitRuntime): Value {
  faultPc = pc;
  const max = rt.ctx.maxItems;
  if (typeof a === "string" && typeof b === "string" && a.length + b.length <= max) return a + b;
  return addValues(a, b, max);
}

/** `- * / %` beyond the number fast path. */
export function arithSlow(pc: number, op: "-" | "*" | "/" | "%", a: Value, b: Value): number {
  faultPc = pc;
  return arith(op, a, b);
}

/** Ordering comparison beyond two numbers. */
export function compareSlow(pc: number, op: "<" | "<=" | ">" | ">=", a: Value, b: Value): boolean {
  faultPc = pc;
  return compare(op, a, b);
}

/** Structural equality. */
export function equalSlow(pc: number, a: Value, b: Value): boolean {
  faultPc = pc;
  return valuesEqual(a, b);
}

/** Unary minus beyond a number. */
export function negateSlow(pc: number, a: Value): number {
  faultPc = pc;
  return negate(a);
}

/** `t[i]` beyond a list and an in-range whole number. */
export function indexSlow(pc: number, t: Value, i: Value): Value {
  faultPc = pc;
  return indexValue(t, i);
}

/** `t[i] = v`. */
export function setIndexSlow(pc: number, t: Value, i: Value, v: Value): void {
  faultPc = pc;
  setIndexValue(t, i, v);
}

/** A dictionary from alternating keys and values. */
export function makeDictSlow(pc: number, kv: Value[]): Value {
  faultPc = pc;
  return dictFrom(kv, 0, kv.length >> 1);
}

/** A built-in that does not touch the host (so it answers synchronously). */
export function builtinSlow(pc: number, b: number, args: Value[], rt: JitRuntime): Value {
  faultPc = pc;
  return BUILTINS[b].fn(args, rt.ctx) as Value;
}

/** `Repeat n times`: the count. */
export function toCountSlow(pc: number, v: Value): number {
  faultPc = pc;
  return repeatCount(v);
}

/** `throw v`. */
export function throwSlow(pc: number, v: Value): never {
  faultPc = pc;
  throw thrownError(v);
}

/** Reading a local that has no value yet. */
export function unsetLocal(pc: number, meta: JitMeta, slot: number): never {
  faultPc = pc;
  return unsetError(meta.fn.proto.localNames[slot]);
}

/** Reading a captured variable that has no value yet. */
export function unsetUpval(pc: number, meta: JitMeta, u: number): never {
  faultPc = pc;
  return unsetError(meta.fn.proto.upvalues[u].name);
}

/** Reading a global that has no value yet. */
export function unsetGlobal(
  pc: number,
  rt: JitRuntime,
  names: readonly string[],
  g: number,
): never {
  void rt;
  faultPc = pc;
  return unsetError(names[g]);
}

/** A cell slot that holds no cell (only hand-made bytecode gets here). */
export function noCell(pc: number): never {
  faultPc = pc;
  return noCellError();
}

/** FOR_NEXT without a list and a position (only hand-made bytecode gets here). */
export function badWalkSlow(pc: number): never {
  faultPc = pc;
  return badWalkError();
}

/** `local plus k` beyond a number (unset locals are a NameError). */
export function localAddSlow(
  pc: number,
  meta: JitMeta,
  slot: number,
  a: Value,
  k: number,
  rt: JitRuntime,
): Value {
  if (a === UNSET) unsetLocal(pc, meta, slot);
  faultPc = pc;
  return addValues(a, k, rt.ctx.maxItems);
}

/** `local minus k` beyond a number. */
export function localSubSlow(pc: number, meta: JitMeta, slot: number, a: Value, k: number): Value {
  if (a === UNSET) unsetLocal(pc, meta, slot);
  faultPc = pc;
  return arith("-", a, k);
}

/** Local-versus-constant ordering beyond two numbers. */
export function compareLocalSlow(
  pc: number,
  meta: JitMeta,
  slot: number,
  op: "<" | "<=" | ">" | ">=",
  a: Value,
  b: Value,
): boolean {
  if (a === UNSET) unsetLocal(pc, meta, slot);
  faultPc = pc;
  return compare(op, a, b);
}

/** Local-versus-constant equality. */
export function equalLocalSlow(pc: number, meta: JitMeta, slot: number, a: Value, b: Value) {
  if (a === UNSET) unsetLocal(pc, meta, slot);
  faultPc = pc;
  return a === b || valuesEqual(a, b);
}

/** The helpers compiled code calls, by the names the generated source uses. */
export const JIT_HELPERS = {
  addSlow,
  arithSlow,
  compareSlow,
  equalSlow,
  negateSlow,
  indexSlow,
  setIndexSlow,
  makeDictSlow,
  builtinSlow,
  toCountSlow,
  throwSlow,
  unsetLocal,
  unsetUpval,
  unsetGlobal,
  noCell,
  badWalkSlow,
  localAddSlow,
  localSubSlow,
  compareLocalSlow,
  equalLocalSlow,
  truthy,
  Cell,
  UNSET,
  isArray: Array.isArray,
};
