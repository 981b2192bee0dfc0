/**
 * On-stack entry into compiled code at a hot loop: the interpreter counts its backward jumps
 * per loop head, and once a loop is hot it hands the running frame — main part, module body or
 * function alike — to that function's loop form (`jit_emit.ts`) at the loop's head. The loop
 * form runs until it meets something it hands back (a `Write`, a host call, a call to a
 * function without a call form, a return, the last units of fuel) or a guest error; its frame is
 * then spilled for the interpreter exactly as a compiled callee's is (`jit_runtime.ts`), so
 * output, errors, their lines and fuel are what the interpreter alone gives.
 *
 * A loop that keeps handing back after a few instructions (a `Write` in every turn) would pay
 * for entering and leaving each turn, so after {@link MAX_SHORT_STINTS} short stays in a row it
 * is left to the interpreter for the rest of the module's life.
 *
 * @module
 */
import { compilePohLoop } from "./jit.ts";
import { DEOPT, LOOSE_LOOP } from "./jit_runtime.ts";
import type { Region } from "./jit_emit.ts";
import type { PohVm } from "./vm_machine.ts";
import { UNSET } from "./vm_support.ts";

/**
 * What the loop form may assume (see `Region.numbers`): the frame's locals and the globals that
 * hold numbers now, and those that hold any value (none once a loop form started with one that
 * did not, see `JitRuntime.retype`).
 */
function numbersNow(vm: PohVm, at: number): Region["numbers"] {
  const fn = vm.closure.fn;
  if ((fn.generic[at] & LOOSE_LOOP) !== 0) return undefined;
  const found = { locals: [] as number[], globals: [] as number[], setLocals: [] as number[] };
  const setGlobals: number[] = [];
  for (let i = 0; i < fn.localCount; i++) {
    const v = vm.stack[vm.bp + i];
    if (typeof v === "number") found.locals.push(i);
    if (v !== UNSET) found.setLocals.push(i);
  }
  vm.globals.forEach((v, g) => {
    if (typeof v === "number") found.globals.push(g);
    if (v !== UNSET) setGlobals.push(g);
  });
  return { ...found, setGlobals };
}

/** A stay in the loop form shorter than this (fuel units) counts as short. */
const SHORT_STINT = 256;
/** Short stays in a row after which a loop head is left to the interpreter. */
const MAX_SHORT_STINTS = 32;
/** `loopHeat` of a loop head the loop form is not entered at any more. */
const COLD = -(1 << 30);

/**
 * Called by the interpreter at a backward jump to `head` (whole-module pc) once the loop is hot,
 * with its registers synced: enters the loop form there. Returns only when the loop form cannot
 * be entered (the interpreter goes on); otherwise throws {@link DEOPT} when the loop form exited
 * (its frame recorded, which `PohVm.loop` installs), or the limit error it stopped with.
 *
 * @param vm the run, registers current (pc at the jump's target)
 * @param head the loop head
 */
export function enterLoop(vm: PohVm, head: number): void {
  const heat = vm.loaded.loopHeat;
  const closure = vm.closure;
  const fn = closure.fn;
  const at = head - fn.entry;
  const loops = fn.loops ??= new Map();
  let loopFn = loops.get(at);
  if (loopFn === undefined) {
    loopFn = compilePohLoop(fn, vm.loaded, at, numbersNow(vm, at));
    loops.set(at, loopFn);
  }
  if (loopFn === null) {
    heat[head] = COLD;
    return;
  }
  const rt = vm.rt;
  const before = rt.fuelTotal();
  // `inCompiled` stays set: the dispatch loop must not write its stale fuel count back.
  vm.inCompiled = true;
  loopFn(rt, closure, vm.bp, vm.fp, vm.stack);
  // The jump here counted one more; a long stay forgives the short ones before it.
  if (rt.fuelTotal() - before >= SHORT_STINT) heat[head] = rt.hotLoop - 1;
  else if (heat[head] >= rt.hotLoop + MAX_SHORT_STINTS) heat[head] = COLD;
  throw DEOPT;
}
