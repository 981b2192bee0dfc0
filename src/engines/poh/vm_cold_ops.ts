/**
 * The VM instructions that no loop repeats much — `Write` (a host call anyway), `Write f` of a
 * function value, `throw`, error-type tests in handlers, `Repeat` counts, imports — kept out of
 * the dispatch loop's `switch`. They run on the state in {@link PohVm}: the loop writes its
 * registers back before it calls {@link runColdOp} and reads them again after; when one
 * throws, the state here is the one that counts (`PohVm.inColdOp`).
 *
 * @module
 */
import { errorHasType, repeatCount, thrownError } from "./exec_common.ts";
import { toText } from "./values.ts";
import type { PohVm } from "./vm_machine.ts";
import { VmClosure } from "./vm_support.ts";

/**
 * Runs one rare instruction (`vm.pc` is just past its opcode).
 *
 * @param vm the run's state, registers included
 * @param op the opcode
 * @returns a Promise when a host call must be awaited, else null
 */
export function runColdOp(vm: PohVm, op: number): Promise<unknown> | null {
  const code = vm.loaded.code;
  const stack = vm.stack;
  switch (op) {
    case 52: // WRITE
    case 53: { // WRITE_RESULT
      const v = stack[--vm.sp];
      if (op === 53 && v === null) return null;
      const r = vm.host.invoke("console.write", [toText(v) + "\n"]);
      return r instanceof Promise ? r : null;
    }
    case 54: { // CALL0_IF_FUNC
      // `Write f` with a function f calls it; its result replaces it on the stack.
      const v = stack[vm.sp - 1];
      if (v instanceof VmClosure) vm.callWithoutArguments(v, vm.sp - 1);
      return null;
    }
    case 57: // THROW
      throw thrownError(stack[--vm.sp]);
    case 58: // ERROR_IS_TYPE
      stack[vm.sp - 1] = errorHasType(stack[vm.sp - 1], vm.loaded.consts[code[vm.pc++]] as string);
      return null;
    case 59: // TO_COUNT
      stack[vm.sp - 1] = repeatCount(stack[vm.sp - 1]);
      return null;
    case 71: { // IMPORT
      // A module's top-level code runs once, when its first `Import` is reached.
      const target = vm.loaded.functions[code[vm.pc++]];
      if (vm.modulesRun[target.index]) {
        stack[vm.sp++] = null;
        return null;
      }
      vm.modulesRun[target.index] = 1;
      vm.callWithoutArguments(new VmClosure(target, []), vm.sp);
      return null;
    }
    default:
      throw new Error(`internal: unverified opcode ${op}`);
  }
}
