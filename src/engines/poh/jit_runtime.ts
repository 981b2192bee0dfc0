/**
 * What compiled Poh code (see `jit.ts`) shares with the VM at run time: the fuel meter and the
 * exit path. An exit happens when compiled code meets something only the interpreter does (a
 * call to a function that is not compiled, a host call, the last drops of fuel, a guest error,
 * an operand its number-only code does not take): every compiled frame on the host stack then
 * writes its locals and operand stack into the VM's value stack in the interpreter's layout,
 * and the VM resumes those frames as interpreted frames — so handlers, stack traces and fuel are
 * exactly what the interpreter alone would give.
 *
 * Compiled code never throws to exit: the innermost frame records itself ({@link exitFrame})
 * and returns {@link EXIT}; each compiled caller sees it, records itself ({@link unwindFrame})
 * and returns it too, and the interpreter (which called the outermost) takes the frames over.
 * A `try` around compiled code would make V8 keep every variable a loop carries boxed. The exit
 * path is plain functions, not methods or stores on the runtime: compiled code reaches it
 * rarely, and a property access V8 has no feedback for deoptimizes the whole function.
 *
 * @module
 */
import type { Limits } from "../../host/limits.ts";
import { DEADLINE_CHECK_INTERVAL } from "../../host/limits.ts";
import type { BuiltinContext } from "./builtins.ts";
import { OP_BY_CODE } from "./isa.ts";
import { fuelError, timeoutError } from "./runtime.ts";
import type { Value } from "./values.ts";
import type { LoadedFunction, VmClosure } from "./vm_support.ts";

/**
 * A compiled Poh function: runs one call to completion on the host stack (or exits). It gets
 * the fuel countdown as `budget` and leaves what remains of it in `JitRuntime.budget`.
 */
export type CompiledFn = (
  rt: JitRuntime,
  closure: VmClosure,
  bp: number,
  depth: number,
  budget: number,
  ...args: Value[]
) => Value;

/**
 * A loop's compiled form (`jit_emit.ts`): entered at the loop's head with the frame at `bp` in
 * `stack`; it never finishes the frame, it always exits ({@link EXIT}) with its frame recorded.
 */
export type LoopFn = (
  rt: JitRuntime,
  closure: VmClosure,
  bp: number,
  depth: number,
  stack: Value[],
) => Value;

/** Per-function facts the exit path needs (made by the compiler). */
export interface JitMeta {
  readonly fn: LoadedFunction;
  /** Operand-stack depth before each instruction (function-relative pc; -1 = unreachable). */
  readonly depth: Int32Array;
  /** Instructions after each one that were charged with it (same fuel segment). */
  readonly refund: Int32Array;
  /** True for a loop form: its exits are expected, and do not count against its call form. */
  readonly loop: boolean;
  /** The global slots the compiled code writes (it keeps them in variables until it exits). */
  readonly flushed: readonly number[];
}

/** What compiled code returns when it exited (its frames are in `JitRuntime.spilled`). */
export const EXIT: Value = Object.freeze({ exit: true }) as unknown as Value;

/** Thrown by the VM to hand the frames compiled code recorded to its dispatch loop. */
export class Deopt {}

/** The one {@link Deopt} signal (it carries nothing: the frames are in the runtime). */
export const DEOPT: Deopt = new Deopt();

/** Why compiled code exits (the first argument of {@link JitRuntime.exit}). */
export const ExitKind = {
  /** The interpreter runs the instruction at pc (paid already: refunded). */
  Redo: 0,
  /** As Redo; the instruction met operands that were not numbers: compile it generic. */
  Bail: 1,
  /** As Redo, at a call the compiled code could not make. */
  NoCall: 2,
  /** The interpreter goes on at pc (nothing there paid yet). */
  Leave: 3,
  /** As Leave, at a loop head whose compiled form assumed a number that is not one. */
  Retype: 4,
  /** A caller whose callee exited at the call at pc. */
  Unwind: 5,
  /**
   * As NoCall, at a call compiled for self-calls only that met another callee: compile the
   * function's calls general (see `jit_ops.ts`).
   */
  Other: 6,
  /**
   * As Leave, at the start of a call form whose entry found a global it calls itself through
   * holding another function: compile its calls general.
   */
  OtherEntry: 7,
} as const;

/** One of {@link ExitKind}'s values. */
export type ExitKind = typeof ExitKind[keyof typeof ExitKind];

/**
 * Fuel to give back at an exit rides in the bits of its kind above these (`kind + (n << 4)`, a
 * constant in the generated source): arithmetic on the countdown at an exit that runs once a
 * call would find no type feedback there, and V8 would throw the compiled loop away each time.
 */
export const KIND_BITS = 4;

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

/** Backward jumps to a loop head before the loop form is entered there (see `jit_loop.ts`). */
export const HOT_LOOP = 1000;

/** Fuel per chunk compiled code takes (the deadline is checked between chunks). */
const COMPILED_CHUNK = 128 * DEADLINE_CHECK_INTERVAL;

/** Recompilations of one function (after bails) before its call form is given up. */
const MAX_RECOMPILES = 64;

/** `LoadedFunction.generic` bit: instruction met operands that are not numbers. */
export const GENERIC_OP = 1;
/** `LoadedFunction.generic` bit at a loop head: compile its loop form assuming no types. */
export const LOOSE_LOOP = 2;
/** `LoadedFunction.generic` bit at a call: it met a callee other than its own function. */
export const OTHER_CALL = 4;

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
  /** Backward jumps to a loop head before the interpreter enters its loop form there. */
  hotLoop = HOT_LOOP;

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
   * Compiled code is about to spend up to `n` units before it checks again, and its chunk holds
   * fewer: closes the chunk, checks the deadline and opens one holding at least `n`. False when
   * fewer than `n` units are left in all: compiled code then exits, so the interpreter runs the
   * last instructions one by one and stops at the exact one.
   */
  ensure(n: number): boolean {
    this.fuelUsed += this.chunk - this.budget;
    this.chunk = this.budget = 0;
    const left = this.limits.fuel - this.fuelUsed;
    if (left < n) return false;
    if (performance.now() > this.deadline) throw timeoutError(this.limits);
    // Compiled code spends a unit in a few nanoseconds: longer chunks, about the same deadline
    // slack (a loop leaves compiled code once per chunk, see `jit_emit.ts`).
    this.chunk = this.budget = Math.max(n, Math.min(COMPILED_CHUNK, left)) | 0;
    return true;
  }

  /** The compiled form of `fn`, compiling it on first use (null: the interpreter runs it). */
  jitFor(fn: LoadedFunction): CompiledFn | null {
    // An observed run never compiles, and leaves the choice to later runs of the module.
    if (this.observing) return null;
    if (fn.jit === undefined) fn.jit = this.compile(fn);
    return fn.jit;
  }

  /**
   * Records a compiled frame that exits (see {@link ExitKind}) for the interpreter.
   *
   * @param kind why it exits
   * @param pc function-relative pc: where the interpreter goes on, or the call (Unwind)
   * @param meta the function's facts
   * @param closure the frame's closure
   * @param bp the frame's base in the value stack
   * @param depth its call level
   * @param locals its locals
   * @param temps its operand stack (at least the live part)
   * @returns {@link EXIT}, for the compiled code to return
   */
  exit(
    kind: ExitKind,
    pc: number,
    meta: JitMeta,
    closure: VmClosure,
    bp: number,
    depth: number,
    locals: Value[],
    temps: Value[],
  ): Value {
    const fn = meta.fn;
    const frame: SpilledFrame = {
      fn,
      closure,
      depth,
      bp,
      pc,
      ret: 0,
      live: meta.depth[pc],
      locals,
      temps,
    };
    switch (kind) {
      case ExitKind.Bail:
        fn.generic[pc] |= GENERIC_OP;
        // Each bail makes one more instruction generic, so this ends; the cap bounds the work.
        if (++fn.recompiles > MAX_RECOMPILES) fn.jit = null;
        else if (fn.jit !== null) fn.jit = undefined;
        fn.loops = undefined;
        this.refund += meta.refund[pc] + 1;
        break;
      case ExitKind.Other:
      case ExitKind.OtherEntry:
        // Every call of the function made general at once: one recompilation, however many.
        for (let at = 0; at < fn.code.length; at += 1 + OP_BY_CODE[fn.code[at]]!.operands.length) {
          if (fn.code[at] === 42 || fn.code[at] === 43) fn.generic[at] |= OTHER_CALL;
        }
        if (++fn.recompiles > MAX_RECOMPILES) fn.jit = null;
        else if (fn.jit !== null) fn.jit = undefined;
        if (kind === ExitKind.Other) this.refund += meta.refund[pc] + 1;
        break;
      case ExitKind.NoCall:
        // A function that keeps exiting at calls is left to the interpreter.
        if (!meta.loop && ++fn.deopts > 64) fn.jit = null;
        this.refund += meta.refund[pc] + 1;
        break;
      case ExitKind.Redo:
        this.refund += meta.refund[pc] + 1;
        break;
      case ExitKind.Retype:
        fn.generic[pc] |= LOOSE_LOOP;
        fn.loops?.delete(pc);
        break;
      case ExitKind.Leave:
        break;
      case ExitKind.Unwind: {
        const isCall = fn.code[pc] === 42;
        const n = isCall ? fn.code[pc + 1] : fn.code[pc + 2];
        frame.live = meta.depth[pc] - n - (isCall ? 1 : 0);
        frame.pc = pc + 1 + OP_BY_CODE[fn.code[pc]]!.operands.length;
        frame.ret = bp + fn.localCount + frame.live;
        break;
      }
    }
    this.spilled.push(frame);
    return EXIT;
  }
}

// --- the exit path as compiled code calls it --------------------------------------------------
// A frame comes as one argument per variable — its locals, the operands live at `pc`, then the
// globals it keeps (`JitMeta.flushed`) — since an array literal of a loop's numbers on an exit
// path makes V8 box them on every turn of the loop.

/** Splits the variables of a frame that exits at `pc`, writing the kept globals back. */
function record(
  rt: JitRuntime,
  kind: ExitKind,
  pc: number,
  meta: JitMeta,
  closure: VmClosure,
  bp: number,
  depth: number,
  vars: Value[],
): Value {
  const locals = meta.fn.localCount;
  const live = locals + meta.depth[pc];
  const slots = rt.globals;
  meta.flushed.forEach((g, i) => slots[g] = vars[live + i]);
  const temps = vars.slice(locals, live);
  return rt.exit(kind, pc, meta, closure, bp, depth, vars.slice(0, locals), temps);
}

/**
 * Compiled code exits: writes its fuel countdown and the globals it keeps back, and records its
 * frame ({@link JitRuntime.exit}).
 *
 * @returns {@link EXIT}
 */
export function exitFrame(
  rt: JitRuntime,
  kind: ExitKind,
  pc: number,
  meta: JitMeta,
  closure: VmClosure,
  bp: number,
  depth: number,
  budget: number,
  ...vars: Value[]
): Value {
  rt.budget = budget + (kind >> KIND_BITS);
  const why = (kind & ((1 << KIND_BITS) - 1)) as ExitKind;
  return record(rt, why, pc, meta, closure, bp, depth, vars);
}

/**
 * A compiled caller whose callee exited at the call at `pc`: records its frame (the callee wrote
 * the countdown; this frame wrote its globals before the call, and passes none).
 *
 * @returns {@link EXIT}
 */
export function unwindFrame(
  rt: JitRuntime,
  pc: number,
  meta: JitMeta,
  closure: VmClosure,
  bp: number,
  depth: number,
  ...vars: Value[]
): Value {
  const locals = meta.fn.localCount;
  const temps = vars.slice(locals);
  return rt.exit(ExitKind.Unwind, pc, meta, closure, bp, depth, vars.slice(0, locals), temps);
}

/**
 * The countdown `budget` is short of `n` (away from a loop head): a new chunk's countdown, or -1
 * when fewer than `n` units are left (compiled code then exits).
 */
export function refuel(rt: JitRuntime, n: number, budget: number): number {
  rt.budget = budget;
  return rt.ensure(n) ? rt.budget : -1;
}

/**
 * The entry of a `throws` body (`jit_emit.ts`) caught an exit: the frames its body recorded
 * since `start` (innermost first) all run `closure`, the outermost at `bp`, each callee at the
 * slot its caller wants the result in; their exits left both out.
 *
 * @returns {@link EXIT}
 */
export function placeFrames(rt: JitRuntime, start: number, closure: VmClosure, bp: number): Value {
  const frames = rt.spilled;
  let base = bp;
  for (let i = frames.length - 1; i >= start; i--) {
    const frame = frames[i];
    frame.closure = closure;
    frame.bp = base;
    // A caller (Unwind): its callee's frame starts where the result goes.
    if (i > start) base = frame.ret = base + frame.fn.localCount + frame.live;
  }
  return EXIT;
}
