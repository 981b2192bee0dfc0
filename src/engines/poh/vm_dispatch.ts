/**
 * The VM's dispatch loop: one `switch` over the opcode, with the registers (pc, bp, sp, fp, the
 * current closure and the fuel countdown) in locals. Fuel is a countdown checked once per
 * instruction; the deadline (and `--trace` / `--profile`) run only on the slow path when the
 * countdown expires. The instructions a loop never repeats much (`Write`, `throw`, error-type
 * tests, `Repeat` counts, imports) are in `vm_cold_ops.ts` and run on the state in
 * {@link PohVm}; everything else stays here.
 *
 * Why this function is long (measured with the compiling tier off, new ÷ old run time, median
 * of 5–6 fresh-isolate sessions, on a shared 2-core machine): moving cells, closures and
 * dictionary literals to the cold function made closure-heavy code 1.08× slower, moving `try`
 * made a loop with a `try` in it 1.07–1.10× slower; one body for CALL and CALL_GLOBAL (a branch
 * on the opcode) made recursive calls 1.045× slower, and sharing the call and return sequences
 * through labelled blocks cost 1.02–1.07×. So CALL / CALL_GLOBAL and RETURN / RETURN_LOCAL each
 * keep their own copy of the frame code (RETURN_NULL shares RETURN's for free: it pushes null
 * and falls into it).
 *
 * Opcode numbers in the `switch` are the ones in `isa.ts` (literal so V8 builds a jump table).
 *
 * @module
 */
import { BUILTINS } from "./builtins.ts";
import { badWalkError, dictFrom, notCallable, unsetError } from "./exec_common.ts";
import { type CompiledFn, DEOPT, EXIT, type JitRuntime } from "./jit_runtime.ts";
import { enterLoop } from "./jit_loop.ts";
import { MAX_CALL_DEPTH } from "./runtime.ts";
import {
  addValues,
  arith,
  compare,
  indexValue,
  negate,
  pohError,
  setIndexValue,
  truthy,
  type Value,
  valuesEqual,
} from "./values.ts";
import { runColdOp } from "./vm_cold_ops.ts";
import type { PohVm } from "./vm_machine.ts";
import {
  Cell,
  cellAt,
  checkCall,
  growStack,
  MAX_STACK_SLOTS,
  UNSET,
  VmClosure,
} from "./vm_support.ts";

// deno-lint-ignore no-explicit-any
type Slot = any;

/** Most `try` handlers active at once. */
const MAX_HANDLERS = 10000;

/**
 * Runs `vm` until the program ends (null) or a host call must be awaited (its Promise).
 *
 * @param vm the run's state; its registers are current on return and when this throws
 * @returns null at the end, else the Promise to await before calling again
 */
export function dispatch(vm: PohVm): Promise<unknown> | null {
  const rt = vm.rt;
  const jitOn = !rt.observing;
  const loopHeat = vm.loaded.loopHeat;
  const exited = EXIT;
  const hotLoop = rt.hotLoop;
  // Module bindings read through locals: imported bindings cost a context load per use.
  const unset = UNSET;
  const maxDepth = MAX_CALL_DEPTH;
  const Closure = VmClosure;
  const stack = vm.stack;
  const globals = vm.globals;
  const consts = vm.loaded.consts;
  const maxItems = vm.ctx.maxItems;
  let closure = vm.closure;
  let fn = closure.fn;
  // One code array for the whole module: calls only move pc (see prepareModule).
  const code = vm.loaded.code;
  let pc = vm.pc;
  let bp = vm.bp;
  let sp = vm.sp;
  let budget = rt.budget;
  let fp = vm.fp;
  const fClosure = vm.fClosure;
  const fInts = vm.fInts;
  try {
    for (;;) {
      if (--budget < 0) {
        vm.sync(closure, pc, bp, sp, fp, budget);
        vm.slowPath();
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
          if (v === unset) unsetError(vm.loaded.module.globals[g]);
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
          stack[sp - 1] = typeof a === "number" && typeof b === "number" ? a - b : arith("-", a, b);
          break;
        }
        case 18: { // MUL
          const b = stack[--sp];
          const a = stack[sp - 1];
          stack[sp - 1] = typeof a === "number" && typeof b === "number" ? a * b : arith("*", a, b);
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
        case 30: { // JUMP
          const target = code[pc];
          // A backward jump closes a loop: once hot, its compiled loop form takes the frame.
          if (target < pc && jitOn && ++loopHeat[target] >= hotLoop) {
            vm.sync(closure, target, bp, sp, fp, budget);
            enterLoop(vm, target);
          }
          pc = target;
          break;
        }
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
        // CALL and CALL_GLOBAL differ only in where the callee is; see the module comment for
        // why each has its own copy of the call sequence.
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
              vm.inCompiled = true;
              const r = callCompiled(jf, rt, callee, newBp, fp, n, stack);
              // It exited: its frames (and this one's callers) go to the interpreter.
              if (r === exited) throw DEOPT;
              vm.inCompiled = false;
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
            if (callee === unset) unsetError(vm.loaded.module.globals[g]);
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
              vm.inCompiled = true;
              const r = callCompiled(jf, rt, callee, newBp, fp, n, stack);
              // It exited: its frames (and this one's callers) go to the interpreter.
              if (r === exited) throw DEOPT;
              vm.inCompiled = false;
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
        case 45: // RETURN_NULL
          // RETURN with null pushed: the slot above the operands exists (or is appended).
          stack[sp++] = null;
        // falls through
        case 44: { // RETURN
          const result = stack[sp - 1];
          if (vm.hCount > 0) vm.dropHandlers(fp);
          if (fp === 0) {
            sp = bp;
            vm.sync(closure, pc, bp, sp, fp, budget);
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
          if (vm.hCount > 0) vm.dropHandlers(fp);
          if (fp === 0) {
            sp = bp;
            vm.sync(closure, pc, bp, sp, fp, budget);
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
        case 47: { // MAKE_LIST
          const n = code[pc++];
          sp -= n;
          stack[sp] = stack.slice(sp, sp + n);
          sp++;
          break;
        }
        case 11: { // MAKE_CELL
          const slot = bp + code[pc++];
          stack[slot] = new Cell(stack[slot]);
          break;
        }
        case 46: { // CLOSURE
          const target = vm.loaded.functions[code[pc++]];
          const ups = target.proto.upvalues;
          const cells: Cell[] = new Array(ups.length);
          for (let i = 0; i < ups.length; i++) {
            const u = ups[i];
            cells[i] = u.fromParentLocal ? cellAt(stack[bp + u.index]) : closure.upvals[u.index];
          }
          stack[sp++] = new Closure(target, cells);
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
          // Written out: with a vm.sync() call here the word count measured 1.04× the old run
          // time, written out 0.97× (this runs once per built-in call, so it is hot).
          vm.closure = closure;
          vm.pc = pc;
          vm.bp = bp;
          vm.sp = sp;
          vm.fp = fp;
          rt.budget = budget;
          const r = b.fn(args, vm.ctx);
          if (r instanceof Promise) {
            vm.pushResume = true;
            return r;
          }
          stack[sp++] = r;
          break;
        }
        case 55: { // TRY_BEGIN
          if (vm.hCount >= MAX_HANDLERS) {
            pohError("RecursionError", "too many nested try blocks");
          }
          const h = vm.hCount++;
          vm.hFrame[h] = fp;
          vm.hPc[h] = code[pc++];
          vm.hSp[h] = sp;
          break;
        }
        case 56: // TRY_END
          if (vm.hCount > 0 && vm.hFrame[vm.hCount - 1] === fp) vm.hCount--;
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
            typeof a === "number" && typeof b === "number" ? a < b : lkCompare(fn, slot, "<", a, b)
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
            typeof a === "number" && typeof b === "number" ? a > b : lkCompare(fn, slot, ">", a, b)
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
        default: {
          // A rare instruction: it runs on the machine state, the registers synced around it.
          vm.sync(closure, pc, bp, sp, fp, budget);
          vm.inColdOp = true;
          const pending = runColdOp(vm, code[pc - 1]);
          vm.inColdOp = false;
          closure = vm.closure;
          fn = closure.fn;
          pc = vm.pc;
          bp = vm.bp;
          sp = vm.sp;
          fp = vm.fp;
          if (pending !== null) return pending;
          break;
        }
      }
    }
  } catch (e) {
    // A rare instruction threw: the machine state is current, the locals are not.
    if (vm.inColdOp) vm.inColdOp = false;
    else {
      vm.closure = closure;
      vm.pc = pc;
      vm.bp = bp;
      vm.sp = sp;
      // Compiled code keeps the meter itself; the local copy is stale when it threw.
      if (vm.inCompiled) vm.inCompiled = false;
      else rt.budget = budget;
      vm.fp = fp;
    }
    throw e;
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
      return jf(rt, callee, bp, depth, rt.budget);
    case 1:
      return jf(rt, callee, bp, depth, rt.budget, stack[bp]);
    case 2:
      return jf(rt, callee, bp, depth, rt.budget, stack[bp], stack[bp + 1]);
    case 3:
      return jf(rt, callee, bp, depth, rt.budget, stack[bp], stack[bp + 1], stack[bp + 2]);
    default:
      return jf(rt, callee, bp, depth, rt.budget, ...stack.slice(bp, bp + n));
  }
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
