/**
 * The PohLang VM's state and everything around its dispatch loop: the registers, the saved call
 * frames (parallel arrays, so a Poh call never recurses on the host stack), the `try` handlers,
 * the fuel chunk's slow path, error routing with the Poh stack trace, and taking back the frames
 * compiled code hands over when it exits. The loop itself is in `vm_dispatch.ts`.
 *
 * @module
 */
import { GuestExit, type Host } from "../../host/host.ts";
import { deadlineFor, type Limits } from "../../host/limits.ts";
import type { BuiltinContext } from "./builtins.ts";
import { compilePohFunction } from "./jit.ts";
import { Deopt, JitRuntime } from "./jit_runtime.ts";
import { lineAt } from "./module.ts";
import { builtinContext, MAX_CALL_DEPTH, type PohFrameInfo, timeoutError } from "./runtime.ts";
import { PohMemoryError, PohThrow, type Value } from "./values.ts";
import type { VmRunOptions } from "./vm.ts";
import { dispatch } from "./vm_dispatch.ts";
import { VmObserver } from "./vm_observer.ts";
import { checkCall, growStack, type LoadedPohModule, UNSET, VmClosure } from "./vm_support.ts";

// deno-lint-ignore no-explicit-any
type Slot = any;

/** A fresh value stack is a copy of this (copying beats filling a new array). */
const EMPTY_STACK: readonly Slot[] = new Array(1024).fill(null);
/**
 * Saved-frame words of finished runs, for the next run to reuse: a typed array costs
 * microseconds to make, a run of a short program not many more. (Words are written before they
 * are read, so what a finished run left there is never seen.)
 */
const FRAME_WORDS_POOL: Int32Array[] = [];

/**
 * One run of a loaded module. The dispatch loop keeps the registers (`closure`, `pc`, `bp`,
 * `sp`, `fp` and the fuel countdown) in locals and writes them back here ({@link sync}) before
 * anything that may look at them: the slow path, a host call, a rare instruction, an error.
 */
export class PohVm {
  /** The value stack: each frame's locals, then its operands. */
  readonly stack: Slot[] = EMPTY_STACK.slice();
  readonly globals: Slot[];
  readonly ctx: BuiltinContext;
  readonly observer: VmObserver | null;
  /** Fuel meter and the link to compiled functions. */
  readonly rt: JitRuntime;
  /** True while compiled code runs (its exit must not overwrite the fuel it spent). */
  inCompiled = false;
  /** True while a rare instruction runs (the registers here are current, not the loop's). */
  inColdOp = false;
  // Current frame.
  closure: VmClosure;
  pc = 0;
  bp = 0;
  sp = 0;
  // Saved caller frames (index k = the caller of frame k + 1).
  readonly fClosure: VmClosure[] = [];
  /** pc, bp and result slot of each saved frame, 3 words per frame. */
  readonly fInts: Int32Array = FRAME_WORDS_POOL.pop() ?? new Int32Array(3 * MAX_CALL_DEPTH + 3);
  fp = 0;
  // try handlers: frame level, handler pc and stack height of each.
  readonly hFrame: number[] = [];
  readonly hPc: number[] = [];
  readonly hSp: number[] = [];
  hCount = 0;
  // Suspension.
  pushResume = false;
  resumeValue: unknown = undefined;
  resumeError: unknown = undefined;
  errorFrames: PohFrameInfo[] | undefined;
  /** Which module functions have run (an `IMPORT` runs each once). */
  readonly modulesRun: number[];

  /**
   * Sets up a run of `loaded`'s main function.
   *
   * @param loaded the verified module
   * @param host the host for I/O
   * @param limits fuel, time and memory limits
   * @param options trace, profile and compiling-tier switches
   */
  constructor(
    readonly loaded: LoadedPohModule,
    readonly host: Host,
    private readonly limits: Limits,
    options: VmRunOptions,
  ) {
    this.globals = new Array(loaded.module.globals.length).fill(UNSET);
    this.modulesRun = new Array(loaded.functions.length).fill(0);
    this.ctx = builtinContext(host, limits);
    this.observer = options.trace || options.profile
      ? new VmObserver(options.trace, !!options.profile)
      : null;
    this.rt = new JitRuntime(
      limits,
      deadlineFor(limits),
      this.globals,
      this.ctx,
      this.observer !== null || options.jit === false,
      (fn) => compilePohFunction(fn, loaded),
    );
    const main = loaded.functions[0];
    this.closure = new VmClosure(main, []);
    for (let i = 0; i < main.localCount; i++) this.stack[i] = UNSET;
    this.sp = main.localCount;
    this.rt.perInstruction = this.observer !== null;
    if (options.jit === "eager") this.rt.hotLoop = 1;
    this.rt.refill();
    // Observing: start with an empty chunk so the very first instruction takes the slow path.
    if (this.observer) this.rt.chunk = this.rt.budget = 0;
  }

  /** The run is over: its saved-frame words go back to the pool (see `FRAME_WORDS_POOL`). */
  release(): void {
    if (FRAME_WORDS_POOL.length < 4) FRAME_WORDS_POOL.push(this.fInts);
  }

  /** Writes the dispatch loop's registers back (the fuel countdown into the meter). */
  sync(closure: VmClosure, pc: number, bp: number, sp: number, fp: number, budget: number): void {
    this.closure = closure;
    this.pc = pc;
    this.bp = bp;
    this.sp = sp;
    this.fp = fp;
    this.rt.budget = budget;
  }

  /** The fuel chunk ran out: start a new one and check the deadline (and observe). */
  slowPath(): void {
    const rt = this.rt;
    rt.fuelUsed += rt.chunk;
    rt.refill();
    rt.budget--;
    if (performance.now() > rt.deadline) throw timeoutError(this.limits);
    if (this.observer) {
      const fn = this.closure.fn;
      this.observer.before(fn, this.pc - fn.entry, this.fp + 1, this.stack, this.sp, this.bp);
    }
  }

  /** Saves a caller frame at `level`: it resumes at `pc` with the callee's result at `ret`. */
  saveFrame(level: number, closure: VmClosure, pc: number, bp: number, ret: number): void {
    this.fClosure[level] = closure;
    this.fInts[3 * level] = pc;
    this.fInts[3 * level + 1] = bp;
    this.fInts[3 * level + 2] = ret;
  }

  /**
   * Calls `callee` with no arguments from outside the dispatch loop's registers (a rare
   * instruction): the current frame is saved and resumes with the result at `ret`.
   */
  callWithoutArguments(callee: VmClosure, ret: number): void {
    const target = callee.fn;
    checkCall(target, 0, this.fp + 1);
    const newBp = this.sp;
    const top = newBp + target.frameSize;
    if (top > this.stack.length) growStack(this.stack, top);
    for (let i = 0; i < target.localCount; i++) this.stack[newBp + i] = UNSET;
    this.saveFrame(this.fp++, this.closure, this.pc, this.bp, ret);
    this.closure = callee;
    this.pc = target.entry;
    this.bp = newBp;
    this.sp = newBp + target.localCount;
  }

  /**
   * The closure a top-level name holds once the main part has run (`Make update … End`), when
   * it is a function callable without arguments; else `undefined`.
   */
  globalFunction(name: string): VmClosure | undefined {
    const index = this.loaded.module.globals.indexOf(name);
    const value = index < 0 ? undefined : this.globals[index];
    return value instanceof VmClosure && value.fn.required === 0 ? value : undefined;
  }

  /** Starts a fresh outermost call of `callee` (the frame loop's `update`): run it with `loop`. */
  enter(callee: VmClosure): void {
    const target = callee.fn;
    if (target.frameSize > this.stack.length) growStack(this.stack, target.frameSize);
    for (let i = 0; i < target.localCount; i++) this.stack[i] = UNSET;
    this.closure = callee;
    this.pc = target.entry;
    this.bp = 0;
    this.fp = 0;
    this.hCount = 0;
    this.sp = target.localCount;
  }

  /** Drops the try handlers of the frame at `fp`, which is returning. */
  dropHandlers(fp: number): void {
    while (this.hCount > 0 && this.hFrame[this.hCount - 1] >= fp) this.hCount--;
  }

  /** Snapshot of the Poh call stack (outermost first) at the current instruction. */
  private frames(): PohFrameInfo[] {
    const out: PohFrameInfo[] = [];
    for (let k = 0; k < this.fp; k++) {
      const f = this.fClosure[k].fn;
      out.push({
        name: f.proto.name,
        ...lineAt(f.proto, Math.max(0, this.fInts[3 * k] - 1 - f.entry)),
      });
    }
    const cur = this.closure.fn.proto;
    out.push({ name: cur.name, ...lineAt(cur, Math.max(0, this.pc - 1 - this.closure.fn.entry)) });
    return out;
  }

  /** Routes a guest error to the innermost handler; false when none is left. */
  private handle(err: PohThrow): boolean {
    if (this.hCount === 0) return false;
    const h = --this.hCount;
    const level = this.hFrame[h];
    if (level < this.fp) {
      this.closure = this.fClosure[level];
      this.bp = this.fInts[3 * level + 1];
      this.fp = level;
    }
    this.sp = this.hSp[h];
    this.stack[this.sp++] = err.value;
    this.pc = this.hPc[h];
    return true;
  }

  private raise(e: unknown): void {
    const err = e instanceof PohThrow ? e : null;
    if (err === null) throw e;
    const frames = this.frames();
    if (!this.handle(err)) {
      this.errorFrames = frames;
      throw err;
    }
  }

  /** Runs until the program ends (null) or a host call must be awaited (its Promise). */
  loop(): Promise<unknown> | null {
    for (;;) {
      try {
        if (this.resumeError !== undefined) {
          const e = this.resumeError;
          this.resumeError = undefined;
          this.pushResume = false;
          throw e;
        }
        if (this.pushResume) {
          this.stack[this.sp++] = this.resumeValue as Value;
          this.pushResume = false;
        }
        return dispatch(this);
      } catch (e) {
        // Compiled frames an exit left behind become interpreted frames first.
        if (this.rt.spilled.length > 0) this.installSpilled();
        if (e instanceof Deopt) continue;
        if (e instanceof PohMemoryError || !(e instanceof PohThrow)) {
          // Fuel, time and memory say where the program was (`toRunError` reads these frames).
          if (!(e instanceof GuestExit)) this.errorFrames ??= this.frames();
          throw e;
        }
        this.raise(e);
      }
    }
  }

  /**
   * Turns the frames compiled code wrote back (innermost first) into interpreter frames: their
   * variables into the value stack, callers into the saved-frame arrays, the innermost into
   * the registers.
   */
  private installSpilled(): void {
    const rt = this.rt;
    const list = rt.spilled;
    const stack = this.stack;
    for (let k = list.length - 1; k >= 0; k--) {
      const f = list[k];
      const L = f.fn.localCount;
      const top = f.bp + L + f.fn.maxStack;
      if (top > stack.length) growStack(stack, top);
      for (let i = 0; i < L; i++) stack[f.bp + i] = f.locals[i];
      for (let i = 0; i < f.live; i++) stack[f.bp + L + i] = f.temps[i];
      if (k > 0) this.saveFrame(f.depth, f.closure, f.fn.entry + f.pc, f.bp, f.ret);
    }
    const inner = list[0];
    this.fp = inner.depth;
    this.closure = inner.closure;
    this.pc = inner.fn.entry + inner.pc;
    this.bp = inner.bp;
    this.sp = inner.bp + inner.fn.localCount + inner.live;
    rt.budget += rt.refund;
    rt.refund = 0;
    list.length = 0;
  }
}
