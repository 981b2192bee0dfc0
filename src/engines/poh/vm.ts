/**
 * The PohLang bytecode VM: a stack machine over pre-verified `Int32Array` code. Locals live on
 * the value stack above each frame's base; caller state is kept in parallel arrays, so a Poh
 * call never recurses on the host stack. Fuel is a countdown checked once per instruction; the
 * deadline (and `--trace` / `--profile`) run only on the slow path when the countdown expires.
 * Host calls that answer with a Promise suspend the loop, which the async driver resumes.
 *
 * Opcode numbers in the `switch` are the ones in `isa.ts` (literal so V8 builds a jump table).
 *
 * @module
 */
import type { Host } from "../../host/host.ts";
import { deadlineFor, type Limits } from "../../host/limits.ts";
import { type BuiltinContext, BUILTINS } from "./builtins.ts";
import { lineAt } from "./module.ts";
import {
  builtinContext,
  MAX_CALL_DEPTH,
  type PohFrameInfo,
  timeoutError,
  toRunError,
} from "./runtime.ts";
import {
  addValues,
  arith,
  compare,
  indexValue,
  negate,
  pohError,
  PohMemoryError,
  PohThrow,
  setIndexValue,
  toText,
  truthy,
  type Value,
  valuesEqual,
} from "./values.ts";
import {
  badWalkError,
  dictFrom,
  errorHasType,
  noCellError,
  notCallable,
  repeatCount,
  thrownError,
  unsetError,
} from "./exec_common.ts";
import { compilePohFunction, MAX_STACK_SLOTS } from "./jit.ts";
import { type CompiledFn, Deopt, JitRuntime } from "./jit_runtime.ts";
import {
  Cell,
  checkCall,
  type LoadedPohModule,
  UNSET,
  VmClosure,
  VmObserver,
} from "./vm_support.ts";

/** Most `try` handlers active at once. */
const MAX_HANDLERS = 10000;

// deno-lint-ignore no-explicit-any
type Slot = any;

/** Options for {@link runPohVm}. */
export interface VmRunOptions {
  trace?: (line: string) => void;
  profile?: boolean;
  /** False: interpret every function (the compiling tier is off). Default true. */
  jit?: boolean;
}

/** What a finished VM run reports. */
export interface VmRunResult {
  fuelUsed: number;
  profile?: ReturnType<VmObserver["report"]>;
}

/**
 * Runs a loaded module's main function to completion.
 *
 * @param loaded the verified module
 * @param host the host for I/O
 * @param limits fuel, time and memory limits
 * @param options trace and profile switches
 * @returns fuel used (and the profile when asked)
 */
export async function runPohVm(
  loaded: LoadedPohModule,
  host: Host,
  limits: Limits,
  options: VmRunOptions = {},
): Promise<VmRunResult> {
  const vm = new PohVm(loaded, host, limits, options);
  try {
    for (;;) {
      const pending = vm.loop();
      if (pending === null) break;
      try {
        vm.resumeValue = await pending;
      } catch (e) {
        vm.resumeError = e;
      }
    }
  } catch (e) {
    throw toRunError(e, vm.errorFrames);
  }
  return { fuelUsed: vm.rt.fuelTotal(), profile: vm.observer?.report() };
}

class PohVm {
  private readonly stack: Slot[] = new Array(1024).fill(null);
  private readonly globals: Slot[];
  private readonly ctx: BuiltinContext;
  readonly observer: VmObserver | null;
  /** Fuel meter and the link to compiled functions. */
  readonly rt: JitRuntime;
  /** True while compiled code runs (its exit must not overwrite the fuel it spent). */
  private inCompiled = false;
  // Current frame.
  private closure: VmClosure;
  private pc = 0;
  private bp = 0;
  private sp = 0;
  // Saved caller frames (index k = the caller of frame k + 1).
  private readonly fClosure: VmClosure[] = [];
  /** pc, bp and result slot of each saved frame, 3 words per frame. */
  private readonly fInts = new Int32Array(3 * MAX_CALL_DEPTH + 3);
  private fp = 0;
  // try handlers.
  readonly hFrame: number[] = [];
  private readonly hPc: number[] = [];
  private readonly hSp: number[] = [];
  hCount = 0;
  // Suspension.
  private pushResume = false;
  resumeValue: unknown = undefined;
  resumeError: unknown = undefined;
  errorFrames: PohFrameInfo[] | undefined;
  /** Which module functions have run (an `IMPORT` runs each once). */
  private readonly modulesRun: Uint8Array;

  constructor(
    private readonly loaded: LoadedPohModule,
    private readonly host: Host,
    private readonly limits: Limits,
    options: VmRunOptions,
  ) {
    this.globals = new Array(loaded.module.globals.length).fill(UNSET);
    this.modulesRun = new Uint8Array(loaded.functions.length);
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
    this.rt.refill();
    // Observing: start with an empty chunk so the very first instruction takes the slow path.
    if (this.observer) this.rt.chunk = this.rt.budget = 0;
  }

  /** The fuel chunk ran out: start a new one and check the deadline (and observe). */
  private slowPath(): void {
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
        return this.dispatch();
      } catch (e) {
        // Compiled frames an exit left behind become interpreted frames first.
        if (this.rt.spilled.length > 0) this.installSpilled();
        if (e instanceof Deopt) continue;
        if (e instanceof PohMemoryError || !(e instanceof PohThrow)) throw e;
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
      if (k > 0) {
        this.fClosure[f.depth] = f.closure;
        this.fInts[3 * f.depth] = f.fn.entry + f.pc;
        this.fInts[3 * f.depth + 1] = f.bp;
        this.fInts[3 * f.depth + 2] = f.ret;
      }
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

  private dispatch(): Promise<unknown> | null {
    const rt = this.rt;
    const jitOn = !rt.observing;
    // Module bindings read through locals: imported bindings cost a context load per use.
    const unset = UNSET;
    const maxDepth = MAX_CALL_DEPTH;
    const Closure = VmClosure;
    const stack = this.stack;
    const globals = this.globals;
    const consts = this.loaded.consts;
    const maxItems = this.ctx.maxItems;
    let closure = this.closure;
    let fn = closure.fn;
    // One code array for the whole module: calls only move pc (see prepareModule).
    const code = this.loaded.code;
    let pc = this.pc;
    let bp = this.bp;
    let sp = this.sp;
    let budget = rt.budget;
    let fp = this.fp;
    const fClosure = this.fClosure;
    const fInts = this.fInts;
    try {
      for (;;) {
        if (--budget < 0) {
          this.closure = closure;
          this.pc = pc;
          this.bp = bp;
          this.sp = sp;
          rt.budget = budget;
          this.fp = fp;
          this.slowPath();
          budget = rt.budget;
        }
        switch (code[pc++]) {
          case 1: // CONST
            stack[sp++] = consts[code[pc++]];
            break;
          case 2: // NULL
            stack[sp++] = null;
            break;
          case 3: // TRUE
            stack[sp++] = true;
            break;
          case 4: // FALSE
            stack[sp++] = false;
            break;
          case 5: // POP
            sp--;
            break;
          case 7: { // LOAD_LOCAL
            const slot = code[pc++];
            const v = stack[bp + slot];
            if (v === unset) unsetError(fn.proto.localNames[slot]);
            stack[sp++] = v;
            break;
          }
          case 8: // STORE_LOCAL
            stack[bp + code[pc++]] = stack[--sp];
            break;
          case 9: { // LOAD_CELL
            const slot = code[pc++];
            const v = cellAt(stack[bp + slot]).v;
            if (v === unset) unsetError(fn.proto.localNames[slot]);
            stack[sp++] = v;
            break;
          }
          case 10: // STORE_CELL
            cellAt(stack[bp + code[pc++]]).v = stack[--sp];
            break;
          case 11: { // MAKE_CELL
            const slot = bp + code[pc++];
            stack[slot] = new Cell(stack[slot]);
            break;
          }
          case 12: { // LOAD_UPVAL
            const u = code[pc++];
            const v = closure.upvals[u].v;
            if (v === unset) unsetError(fn.proto.upvalues[u].name);
            stack[sp++] = v;
            break;
          }
          case 13: // STORE_UPVAL
            closure.upvals[code[pc++]].v = stack[--sp];
            break;
          case 14: { // LOAD_GLOBAL
            const g = code[pc++];
            const v = globals[g];
            if (v === unset) unsetError(this.loaded.module.globals[g]);
            stack[sp++] = v;
            break;
          }
          case 15: // STORE_GLOBAL
            globals[code[pc++]] = stack[--sp];
            break;
          case 16: { // ADD
            const b = stack[--sp];
            const a = stack[sp - 1];
            if (typeof a === "number" && typeof b === "number") stack[sp - 1] = a + b;
            else if (
              typeof a === "string" && typeof b === "string" && a.length + b.length <= maxItems
            ) {
              stack[sp - 1] = a + b;
            } else stack[sp - 1] = addValues(a, b, maxItems);
            break;
          }
          case 17: { // SUB
            const b = stack[--sp];
            const a = stack[sp - 1];
            stack[sp - 1] = typeof a === "number" && typeof b === "number"
              ? a - b
              : arith("-", a, b);
            break;
          }
          case 18: { // MUL
            const b = stack[--sp];
            const a = stack[sp - 1];
            stack[sp - 1] = typeof a === "number" && typeof b === "number"
              ? a * b
              : arith("*", a, b);
            break;
          }
          case 19: { // DIV
            const b = stack[--sp];
            stack[sp - 1] = arith("/", stack[sp - 1], b);
            break;
          }
          case 20: { // MOD
            const b = stack[--sp];
            stack[sp - 1] = arith("%", stack[sp - 1], b);
            break;
          }
          case 21: // NEG
            stack[sp - 1] = negate(stack[sp - 1]);
            break;
          case 22: // NOT
            stack[sp - 1] = !truthy(stack[sp - 1]);
            break;
          case 23: // TO_BOOL
            stack[sp - 1] = truthy(stack[sp - 1]);
            break;
          case 24: { // EQ
            const b = stack[--sp];
            stack[sp - 1] = valuesEqual(stack[sp - 1], b);
            break;
          }
          case 25: { // NE
            const b = stack[--sp];
            stack[sp - 1] = !valuesEqual(stack[sp - 1], b);
            break;
          }
          case 26: { // LT
            const b = stack[--sp];
            const a = stack[sp - 1];
            stack[sp - 1] = typeof a === "number" && typeof b === "number"
              ? a < b
              : compare("<", a, b);
            break;
          }
          case 27: { // LE
            const b = stack[--sp];
            stack[sp - 1] = compare("<=", stack[sp - 1], b);
            break;
          }
          case 28: { // GT
            const b = stack[--sp];
            stack[sp - 1] = compare(">", stack[sp - 1], b);
            break;
          }
          case 29: { // GE
            const b = stack[--sp];
            stack[sp - 1] = compare(">=", stack[sp - 1], b);
            break;
          }
          case 30: // JUMP
            pc = code[pc];
            break;
          case 31: // JUMP_IF_FALSE
            if (truthy(stack[--sp])) pc++;
            else pc = code[pc];
            break;
          case 32: // JUMP_IF_TRUE
            if (truthy(stack[--sp])) pc = code[pc];
            else pc++;
            break;
          case 33: { // JUMP_IF_NOT_LT
            const b = stack[--sp];
            const a = stack[--sp];
            if (typeof a === "number" && typeof b === "number" ? a < b : compare("<", a, b)) pc++;
            else pc = code[pc];
            break;
          }
          case 34: { // JUMP_IF_NOT_LE
            const b = stack[--sp];
            const a = stack[--sp];
            if (typeof a === "number" && typeof b === "number" ? a <= b : compare("<=", a, b)) pc++;
            else pc = code[pc];
            break;
          }
          case 35: { // JUMP_IF_NOT_GT
            const b = stack[--sp];
            const a = stack[--sp];
            if (typeof a === "number" && typeof b === "number" ? a > b : compare(">", a, b)) pc++;
            else pc = code[pc];
            break;
          }
          case 36: { // JUMP_IF_NOT_GE
            const b = stack[--sp];
            const a = stack[--sp];
            if (typeof a === "number" && typeof b === "number" ? a >= b : compare(">=", a, b)) pc++;
            else pc = code[pc];
            break;
          }
          case 37: { // JUMP_IF_NOT_EQ
            const b = stack[--sp];
            const a = stack[--sp];
            if (a === b || valuesEqual(a, b)) pc++;
            else pc = code[pc];
            break;
          }
          case 38: { // JUMP_IF_NOT_NE
            const b = stack[--sp];
            const a = stack[--sp];
            if (a === b || valuesEqual(a, b)) pc = code[pc];
            else pc++;
            break;
          }
          case 39: { // ADD_CONST
            const a = stack[sp - 1];
            const k = consts[code[pc++]] as number;
            stack[sp - 1] = typeof a === "number" ? a + k : addValues(a, k, maxItems);
            break;
          }
          case 40: { // SUB_CONST
            const a = stack[sp - 1];
            const k = consts[code[pc++]] as number;
            stack[sp - 1] = typeof a === "number" ? a - k : arith("-", a, k);
            break;
          }
          case 41: { // INC_LOCAL
            const slot = code[pc++];
            const k = consts[code[pc++]] as number;
            const a = stack[bp + slot];
            if (typeof a === "number") stack[bp + slot] = a + k;
            else {
              if (a === unset) unsetError(fn.proto.localNames[slot]);
              stack[bp + slot] = addValues(a, k, maxItems);
            }
            break;
          }
          case 42: { // CALL
            const n = code[pc++];
            const ret = sp - n - 1;
            const callee = stack[ret];
            if (!(callee instanceof Closure)) notCallable(callee);
            const target = callee.fn;
            const newBp = sp - n;
            const top = newBp + target.frameSize;
            if (jitOn && n === target.params && fp + 1 < maxDepth && top <= MAX_STACK_SLOTS) {
              const jf = target.jit === undefined ? rt.jitFor(target) : target.jit;
              if (jf !== null) {
                // Compiled callee: save this frame as its caller (an exit finds it there).
                const f = fp++;
                fClosure[f] = closure;
                fInts[3 * f] = pc;
                fInts[3 * f + 1] = bp;
                fInts[3 * f + 2] = ret;
                rt.budget = budget;
                this.inCompiled = true;
                const r = callCompiled(jf, rt, callee, newBp, fp, n, stack);
                this.inCompiled = false;
                budget = rt.budget;
                fp = f;
                stack[ret] = r;
                sp = ret + 1;
                break;
              }
            }
            // One branch for the common case; the slow path sorts out defaults, errors, growth.
            if ((n !== target.params) || (fp + 1 >= maxDepth) || (top > stack.length)) {
              checkCall(target, n, fp + 1);
              if (top > stack.length) growStack(stack, top);
            }
            for (let i = n; i < target.localCount; i++) stack[newBp + i] = unset;
            const f = fp++;
            fClosure[f] = closure;
            fInts[3 * f] = pc;
            fInts[3 * f + 1] = bp;
            fInts[3 * f + 2] = ret;
            closure = callee;
            fn = target;
            pc = target.entry;
            bp = newBp;
            sp = newBp + target.localCount;
            break;
          }
          case 43: { // CALL_GLOBAL
            const g = code[pc++];
            const n = code[pc++];
            const callee = globals[g];
            const ret = sp - n;
            if (!(callee instanceof Closure)) {
              if (callee === unset) unsetError(this.loaded.module.globals[g]);
              notCallable(callee);
            }
            const target = callee.fn;
            const newBp = sp - n;
            const top = newBp + target.frameSize;
            if (jitOn && n === target.params && fp + 1 < maxDepth && top <= MAX_STACK_SLOTS) {
              const jf = target.jit === undefined ? rt.jitFor(target) : target.jit;
              if (jf !== null) {
                // Compiled callee: save this frame as its caller (an exit finds it there).
                const f = fp++;
                fClosure[f] = closure;
                fInts[3 * f] = pc;
                fInts[3 * f + 1] = bp;
                fInts[3 * f + 2] = ret;
                rt.budget = budget;
                this.inCompiled = true;
                const r = callCompiled(jf, rt, callee, newBp, fp, n, stack);
                this.inCompiled = false;
                budget = rt.budget;
                fp = f;
                stack[ret] = r;
                sp = ret + 1;
                break;
              }
            }
            // One branch for the common case; the slow path sorts out defaults, errors, growth.
            if ((n !== target.params) || (fp + 1 >= maxDepth) || (top > stack.length)) {
              checkCall(target, n, fp + 1);
              if (top > stack.length) growStack(stack, top);
            }
            for (let i = n; i < target.localCount; i++) stack[newBp + i] = unset;
            const f = fp++;
            fClosure[f] = closure;
            fInts[3 * f] = pc;
            fInts[3 * f + 1] = bp;
            fInts[3 * f + 2] = ret;
            closure = callee;
            fn = target;
            pc = target.entry;
            bp = newBp;
            sp = newBp + target.localCount;
            break;
          }
          case 44: { // RETURN
            const result = stack[sp - 1];
            if (this.hCount > 0) dropHandlers(this, fp);
            if (fp === 0) {
              sp = bp;
              this.closure = closure;
              this.pc = pc;
              this.bp = bp;
              this.sp = sp;
              rt.budget = budget;
              this.fp = fp;
              return null;
            }
            const f = --fp;
            closure = fClosure[f];
            fn = closure.fn;
            pc = fInts[3 * f];
            bp = fInts[3 * f + 1];
            sp = fInts[3 * f + 2];
            stack[sp++] = result;
            break;
          }
          case 45: { // RETURN_NULL
            const result = null;
            if (this.hCount > 0) dropHandlers(this, fp);
            if (fp === 0) {
              sp = bp;
              this.closure = closure;
              this.pc = pc;
              this.bp = bp;
              this.sp = sp;
              rt.budget = budget;
              this.fp = fp;
              return null;
            }
            const f = --fp;
            closure = fClosure[f];
            fn = closure.fn;
            pc = fInts[3 * f];
            bp = fInts[3 * f + 1];
            sp = fInts[3 * f + 2];
            stack[sp++] = result;
            break;
          }
          case 67: { // RETURN_LOCAL
            const slot = code[pc++];
            const result = stack[bp + slot];
            if (result === unset) unsetError(fn.proto.localNames[slot]);
            if (this.hCount > 0) dropHandlers(this, fp);
            if (fp === 0) {
              sp = bp;
              this.closure = closure;
              this.pc = pc;
              this.bp = bp;
              this.sp = sp;
              rt.budget = budget;
              this.fp = fp;
              return null;
            }
            const f = --fp;
            closure = fClosure[f];
            fn = closure.fn;
            pc = fInts[3 * f];
            bp = fInts[3 * f + 1];
            sp = fInts[3 * f + 2];
            stack[sp++] = result;
            break;
          }
          case 46: { // CLOSURE
            const target = this.loaded.functions[code[pc++]];
            const ups = target.proto.upvalues;
            const cells: Cell[] = new Array(ups.length);
            for (let i = 0; i < ups.length; i++) {
              const u = ups[i];
              cells[i] = u.fromParentLocal ? cellAt(stack[bp + u.index]) : closure.upvals[u.index];
            }
            stack[sp++] = new Closure(target, cells);
            break;
          }
          case 47: { // MAKE_LIST
            const n = code[pc++];
            sp -= n;
            stack[sp] = stack.slice(sp, sp + n);
            sp++;
            break;
          }
          case 48: { // MAKE_DICT
            const n = code[pc++];
            sp -= 2 * n;
            stack[sp] = dictFrom(stack, sp, n);
            sp++;
            break;
          }
          case 49: { // INDEX
            const i = stack[--sp];
            const t = stack[sp - 1];
            if (
              Array.isArray(t) && typeof i === "number" && i >= 0 && i < t.length && (i | 0) === i
            ) {
              stack[sp - 1] = t[i];
            } else stack[sp - 1] = indexValue(t, i);
            break;
          }
          case 50: { // SET_INDEX
            sp -= 3;
            setIndexValue(stack[sp], stack[sp + 1], stack[sp + 2]);
            break;
          }
          case 51: { // BUILTIN
            const b = BUILTINS[code[pc++]];
            const n = code[pc++];
            sp -= n;
            const args = stack.slice(sp, sp + n);
            this.closure = closure;
            this.pc = pc;
            this.bp = bp;
            this.sp = sp;
            rt.budget = budget;
            this.fp = fp;
            const r = b.fn(args, this.ctx);
            if (r instanceof Promise) {
              this.pushResume = true;
              return r;
            }
            stack[sp++] = r;
            break;
          }
          case 52: // WRITE
          case 53: { // WRITE_RESULT
            const v = stack[--sp];
            if (code[pc - 1] === 53 && v === null) break;
            this.closure = closure;
            this.pc = pc;
            this.bp = bp;
            this.sp = sp;
            rt.budget = budget;
            this.fp = fp;
            const r = this.host.invoke("console.write", [toText(v) + "\n"]);
            if (r instanceof Promise) return r;
            break;
          }
          case 54: { // CALL0_IF_FUNC
            const v = stack[sp - 1];
            if (v instanceof Closure) {
              // Call it with no arguments; its result replaces it on the stack.
              const target = v.fn;
              checkCall(target, 0, fp + 1);
              const newBp = sp;
              const top = newBp + target.localCount + target.maxStack;
              if (top > stack.length) growStack(stack, top);
              for (let i = 0; i < target.localCount; i++) stack[newBp + i] = unset;
              const f = fp++;
              fClosure[f] = closure;
              fInts[3 * f] = pc;
              fInts[3 * f + 1] = bp;
              fInts[3 * f + 2] = sp - 1;
              closure = v;
              fn = target;
              pc = target.entry;
              bp = newBp;
              sp = newBp + target.localCount;
            }
            break;
          }
          case 55: { // TRY_BEGIN
            if (this.hCount >= MAX_HANDLERS) {
              pohError("RecursionError", "too many nested try blocks");
            }
            const h = this.hCount++;
            this.hFrame[h] = fp;
            this.hPc[h] = code[pc++];
            this.hSp[h] = sp;
            break;
          }
          case 56: // TRY_END
            if (this.hCount > 0 && this.hFrame[this.hCount - 1] === fp) this.hCount--;
            break;
          case 57: { // THROW
            const v = stack[--sp];
            this.closure = closure;
            this.pc = pc;
            this.bp = bp;
            this.sp = sp;
            rt.budget = budget;
            this.fp = fp;
            throw thrownError(v);
          }
          case 58: // ERROR_IS_TYPE
            stack[sp - 1] = errorHasType(stack[sp - 1], consts[code[pc++]] as string);
            break;
          case 59: // TO_COUNT
            stack[sp - 1] = repeatCount(stack[sp - 1]);
            break;
          case 60: { // JUMP_IF_SET
            const v = stack[bp + code[pc++]];
            if (v !== unset) pc = code[pc];
            else pc++;
            break;
          }
          case 61: { // JUMP_IF_NOT_LT_LK
            const slot = code[pc++];
            const a = stack[bp + slot];
            const b = consts[code[pc++]];
            if (
              typeof a === "number" && typeof b === "number"
                ? a < b
                : lkCompare(fn, slot, "<", a, b)
            ) pc++;
            else pc = code[pc];
            break;
          }
          case 62: { // JUMP_IF_NOT_LE_LK
            const slot = code[pc++];
            const a = stack[bp + slot];
            const b = consts[code[pc++]];
            if (
              typeof a === "number" && typeof b === "number"
                ? a <= b
                : lkCompare(fn, slot, "<=", a, b)
            ) pc++;
            else pc = code[pc];
            break;
          }
          case 63: { // JUMP_IF_NOT_GT_LK
            const slot = code[pc++];
            const a = stack[bp + slot];
            const b = consts[code[pc++]];
            if (
              typeof a === "number" && typeof b === "number"
                ? a > b
                : lkCompare(fn, slot, ">", a, b)
            ) pc++;
            else pc = code[pc];
            break;
          }
          case 64: { // JUMP_IF_NOT_GE_LK
            const slot = code[pc++];
            const a = stack[bp + slot];
            const b = consts[code[pc++]];
            if (
              typeof a === "number" && typeof b === "number"
                ? a >= b
                : lkCompare(fn, slot, ">=", a, b)
            ) pc++;
            else pc = code[pc];
            break;
          }
          case 65: // JUMP_IF_NOT_EQ_LK
          case 66: { // JUMP_IF_NOT_NE_LK
            const op = code[pc - 1];
            const slot = code[pc++];
            const a = stack[bp + slot];
            const b = consts[code[pc++]];
            if (a === unset) unsetError(fn.proto.localNames[slot]);
            const eq = a === b || valuesEqual(a, b);
            if (eq === (op === 65)) pc++;
            else pc = code[pc];
            break;
          }
          case 68: { // LOCAL_ADD_CONST
            const slot = code[pc++];
            const a = stack[bp + slot];
            const k = consts[code[pc++]] as number;
            if (typeof a === "number") stack[sp++] = a + k;
            else {
              if (a === unset) unsetError(fn.proto.localNames[slot]);
              stack[sp++] = addValues(a, k, maxItems);
            }
            break;
          }
          case 69: { // LOCAL_SUB_CONST
            const slot = code[pc++];
            const a = stack[bp + slot];
            const k = consts[code[pc++]] as number;
            if (typeof a === "number") stack[sp++] = a - k;
            else {
              if (a === unset) unsetError(fn.proto.localNames[slot]);
              stack[sp++] = arith("-", a, k);
            }
            break;
          }
          case 70: { // FOR_NEXT
            const xs = stack[bp + code[pc]];
            const at = bp + code[pc + 1];
            const i = stack[at];
            if (!Array.isArray(xs) || typeof i !== "number" || (i | 0) !== i || i < 0) {
              badWalkError();
            }
            if (i < xs.length) {
              stack[at] = i + 1;
              stack[sp++] = xs[i];
              pc += 3;
            } else pc = code[pc + 2];
            break;
          }
          case 71: { // IMPORT
            const target = this.loaded.functions[code[pc++]];
            if (this.modulesRun[target.index]) {
              stack[sp++] = null;
              break;
            }
            this.modulesRun[target.index] = 1;
            checkCall(target, 0, fp + 1);
            const newBp = sp;
            const top = newBp + target.frameSize;
            if (top > stack.length) growStack(stack, top);
            for (let i = 0; i < target.localCount; i++) stack[newBp + i] = unset;
            const f = fp++;
            fClosure[f] = closure;
            fInts[3 * f] = pc;
            fInts[3 * f + 1] = bp;
            fInts[3 * f + 2] = sp;
            closure = new Closure(target, []);
            fn = target;
            pc = target.entry;
            bp = newBp;
            sp = newBp + target.localCount;
            break;
          }
          default:
            throw new Error(`internal: unverified opcode ${code[pc - 1]}`);
        }
      }
    } catch (e) {
      this.closure = closure;
      this.pc = pc;
      this.bp = bp;
      this.sp = sp;
      // Compiled code keeps the meter itself; the local copy is stale when it threw.
      if (this.inCompiled) this.inCompiled = false;
      else rt.budget = budget;
      this.fp = fp;
      throw e;
    }
  }
}

/** Calls compiled code with the arguments in `stack[bp…]`. */
function callCompiled(
  jf: CompiledFn,
  rt: JitRuntime,
  callee: VmClosure,
  bp: number,
  depth: number,
  n: number,
  stack: Slot[],
): Value {
  switch (n) {
    case 0:
      return jf(rt, callee, bp, depth);
    case 1:
      return jf(rt, callee, bp, depth, stack[bp]);
    case 2:
      return jf(rt, callee, bp, depth, stack[bp], stack[bp + 1]);
    case 3:
      return jf(rt, callee, bp, depth, stack[bp], stack[bp + 1], stack[bp + 2]);
    default:
      return jf(rt, callee, bp, depth, ...stack.slice(bp, bp + n));
  }
}

/** Drops the try handlers of the frame that is returning. */
function dropHandlers(vm: { hCount: number; hFrame: number[] }, fp: number): void {
  while (vm.hCount > 0 && vm.hFrame[vm.hCount - 1] >= fp) vm.hCount--;
}

/** Slow path of the local-versus-constant compare-and-jumps. */
function lkCompare(
  fn: { proto: { localNames: string[] } },
  slot: number,
  op: "<" | "<=" | ">" | ">=",
  a: Value,
  b: Value,
): boolean {
  if (a === UNSET) unsetError(fn.proto.localNames[slot]);
  return compare(op, a, b);
}

function cellAt(v: Slot): Cell {
  if (!(v instanceof Cell)) noCellError();
  return v;
}

function growStack(stack: Slot[], top: number): void {
  if (top > MAX_STACK_SLOTS) {
    pohError("RecursionError", "the value stack is full (runaway recursion?)");
  }
  let size = stack.length;
  while (size < top) size *= 2;
  for (let i = stack.length; i < size; i++) stack.push(null);
}
