/**
 * The VM's data, shared by its interpreter and its compiling tier: the loaded (runnable) form of
 * a module and its functions, function values and the cells they capture, and the value stack's
 * bounds and growth.
 *
 * @module
 */
import type { PohModule, PohProto } from "./module.ts";
import { checkArity, checkCallDepth, noCellError } from "./exec_common.ts";
import { pohError, PohFunction, type Value } from "./values.ts";
import type { CompiledFn, LoopFn } from "./jit_runtime.ts";

/**
 * Most value-stack slots (compiled code checks the same bound): deeper calls are a
 * RecursionError in the interpreter and exit from compiled code.
 */
export const MAX_STACK_SLOTS = 1 << 22;

/** The "no value yet" marker in local and global slots (never visible to the guest). */
export const UNSET: Value = Object.freeze({ unset: true }) as unknown as Value;

/** A captured variable shared by a function and the closures made inside it. */
export class Cell {
  /**
   * Creates a cell.
   *
   * @param v its value (UNSET until assigned)
   */
  constructor(public v: Value) {}
}

/** A function ready to run: its proto plus facts from verification. */
export interface LoadedFunction {
  readonly proto: PohProto;
  readonly index: number;
  /** The function's own code (jump targets relative to it). */
  readonly code: Int32Array;
  /** Where the function starts in {@link LoadedPohModule.code}. */
  readonly entry: number;
  readonly localCount: number;
  readonly maxStack: number;
  /** Parameters without defaults. */
  readonly required: number;
  /** All parameters. */
  readonly params: number;
  /** Stack slots a call needs: locals plus the deepest operand stack. */
  readonly frameSize: number;
  /** Operand-stack depth before each instruction (-1: unreachable), from verification. */
  readonly depths: Int32Array;
  /** Its compiled form: undefined until first tried, null when the interpreter runs it. */
  jit: CompiledFn | null | undefined;
  /** Exits from its compiled form to the interpreter (too many: stop compiling it). */
  deopts: number;
  /**
   * Per instruction (function-relative pc), 1 once its operands were not numbers in compiled
   * code: from then on it is compiled with its slow path inline instead of leaving.
   */
  readonly generic: Uint8Array;
  /** Times its compiled forms were dropped because an instruction turned generic. */
  recompiles: number;
  /** Its hot loops' compiled forms by head pc (`jit_loop.ts`): null when one has none. */
  loops: Map<number, LoopFn | null> | undefined;
}

/** A verified module plus its functions in runnable form. */
export interface LoadedPohModule {
  readonly module: PohModule;
  readonly functions: readonly LoadedFunction[];
  /** The constant pool as guest values. */
  readonly consts: readonly Value[];
  /** Every function's code in one array, jump targets relocated to absolute offsets. */
  readonly code: Int32Array;
  /**
   * Per loop head (a backward jump's target, whole-module pc): times the interpreter jumped
   * back to it, then entries into the loop form; negative once the loop is left interpreted.
   */
  readonly loopHeat: Int32Array;
}

/** A function value of the VM. */
export class VmClosure extends PohFunction {
  /**
   * Creates a closure.
   *
   * @param fn the function
   * @param upvals its captured cells
   */
  constructor(readonly fn: LoadedFunction, readonly upvals: Cell[]) {
    super();
  }
  /** The function's name. */
  get name(): string {
    return this.fn.proto.name;
  }
}

/** Checks argument count and call depth before a call. */
export function checkCall(fn: LoadedFunction, argc: number, depth: number): void {
  const p = fn.proto;
  checkArity(p.name, p.requiredCount, p.paramCount, argc);
  checkCallDepth(depth);
}

/** The cell in a slot that must hold one (a cell slot without a cell is hand-made bytecode). */
export function cellAt(v: unknown): Cell {
  if (!(v instanceof Cell)) noCellError();
  return v;
}

/** Grows the value stack to at least `top` slots (doubling); a RecursionError past the bound. */
export function growStack(stack: Value[], top: number): void {
  if (top > MAX_STACK_SLOTS) {
    pohError("RecursionError", "the value stack is full (runaway recursion?)");
  }
  let size = stack.length;
  while (size < top) size *= 2;
  for (let i = stack.length; i < size; i++) stack.push(null);
}
