/**
 * The fast tier of the PohLang VM: translates a verified function's bytecode into JavaScript
 * (`new Function`) — whole, as a *call form* run when the function is called, or one hot loop
 * of it (the main part's included) as a *loop form* the interpreter enters at the loop's head
 * (`jit_loop.ts`). The translation is in `jit_emit.ts` / `jit_ops.ts`: locals, operand-stack
 * slots and used globals become JS variables, jumps become labelled loops and blocks
 * (`jit_structure.ts`), number operations are compiled for numbers only until one meets another
 * type. Compiled functions call each other directly on the host stack, at most
 * `MAX_CALL_DEPTH` deep. A recursive function that changes nothing outside itself also gets a
 * *pure form* (`jit_pure.ts`), run first and run again on the exact form when it gives up.
 *
 * Safety is the interpreter's, instruction for instruction:
 * - Only numbers reach the generated source (slots, pcs, counts, constant indexes, and number
 *   constants formatted by `String`); text constants are read from the constant pool at run
 *   time, never embedded, so a program cannot inject code.
 * - Fuel is paid per straight-line segment before it runs and checked at the code's start, loop
 *   heads and after calls for the most any path spends before the next check (`jit_fuel.ts`);
 *   the deadline is checked between chunks; the last units of fuel are spent in the interpreter
 *   so `E_FUEL` stops at the same instruction.
 * - Anything compiled code does not do itself — a call to a function that is not compiled, a
 *   call deeper than the limit, a guest error, an operand of another type — exits to the
 *   interpreter before that instruction: each compiled frame writes its variables back into the
 *   VM's value stack in the interpreter's layout (`jit_runtime.ts`), and the interpreter carries
 *   on, so `try` handlers, Poh stack traces and RecursionErrors come out exactly as without this
 *   tier.
 * - Compiled code never waits for a Promise: functions that write, read input, call the host,
 *   use `try` or import have no call form; their loop forms (and the main part's) exit to the
 *   interpreter at such an instruction, and the interpreter enters them again at the next turn.
 *
 * @module
 */
import { BUILTINS, HOST_BACKED_BUILTINS } from "./builtins.ts";
import { OP_BY_CODE } from "./isa.ts";
import { fuelChecks } from "./jit_fuel.ts";
import {
  type EmitMode,
  type EmitPlan,
  generate,
  globalsOf,
  type Region,
  targetOf,
} from "./jit_emit.ts";
import type { CompiledFn, JitMeta, LoopFn } from "./jit_runtime.ts";
import { JIT_HELPERS } from "./jit_slow.ts";
import { type LoadedFunction, type LoadedPohModule, VmClosure } from "./vm_support.ts";

/** Largest function (code words) worth compiling; bounds the generated source. */
const MAX_JIT_WORDS = 20000;
/** Longest generated source worth handing to `new Function`. */
const MAX_SOURCE_CHARS = 4_000_000;
/** Most locals plus operand slots a compiled function keeps in JS variables. */
const MAX_JIT_SLOTS = 512;

/** Opcodes the fast tier compiles; a function using any other stays interpreted. */
const COMPILED_OPS = new Set([
  "CONST",
  "NULL",
  "TRUE",
  "FALSE",
  "POP",
  "LOAD_LOCAL",
  "STORE_LOCAL",
  "LOAD_CELL",
  "STORE_CELL",
  "MAKE_CELL",
  "LOAD_UPVAL",
  "STORE_UPVAL",
  "LOAD_GLOBAL",
  "STORE_GLOBAL",
  "ADD",
  "SUB",
  "MUL",
  "DIV",
  "MOD",
  "NEG",
  "NOT",
  "TO_BOOL",
  "EQ",
  "NE",
  "LT",
  "LE",
  "GT",
  "GE",
  "JUMP",
  "JUMP_IF_FALSE",
  "JUMP_IF_TRUE",
  "JUMP_IF_NOT_LT",
  "JUMP_IF_NOT_LE",
  "JUMP_IF_NOT_GT",
  "JUMP_IF_NOT_GE",
  "JUMP_IF_NOT_EQ",
  "JUMP_IF_NOT_NE",
  "ADD_CONST",
  "SUB_CONST",
  "INC_LOCAL",
  "CALL",
  "CALL_GLOBAL",
  "RETURN",
  "RETURN_NULL",
  "RETURN_LOCAL",
  "CLOSURE",
  "MAKE_LIST",
  "MAKE_DICT",
  "INDEX",
  "SET_INDEX",
  "BUILTIN",
  "THROW",
  "TO_COUNT",
  "JUMP_IF_SET",
  "JUMP_IF_NOT_LT_LK",
  "JUMP_IF_NOT_LE_LK",
  "JUMP_IF_NOT_GT_LK",
  "JUMP_IF_NOT_GE_LK",
  "JUMP_IF_NOT_EQ_LK",
  "JUMP_IF_NOT_NE_LK",
  "LOCAL_ADD_CONST",
  "LOCAL_SUB_CONST",
  "FOR_NEXT",
]); // deno-fmt-ignore

/**
 * Compiles `fn` to a JS function run when it is called, or returns null when it must stay
 * interpreted (it does something only the interpreter does).
 *
 * @param fn the verified function
 * @param loaded its module
 * @returns the compiled function, or null
 */
export function compilePohFunction(
  fn: LoadedFunction,
  loaded: LoadedPohModule,
): CompiledFn | null {
  return compile(fn, loaded, "call", 0) as CompiledFn | null;
}

/**
 * Compiles the loop of `fn` (the main part included) that starts at `head` in its loop form: a
 * JS function the interpreter enters at the loop's head, which runs until it leaves the loop or
 * meets an instruction it hands back (see `jit_emit.ts`). Null when it cannot be compiled.
 *
 * @param fn the verified function
 * @param loaded its module
 * @param head function-relative pc of the loop's head (a backward jump's target)
 * @returns the loop form, or null
 */
export function compilePohLoop(
  fn: LoadedFunction,
  loaded: LoadedPohModule,
  head: number,
  numbers?: Region["numbers"],
): LoopFn | null {
  return compile(fn, loaded, "loop", head, numbers) as LoopFn | null;
}

function compile(
  fn: LoadedFunction,
  loaded: LoadedPohModule,
  mode: EmitMode,
  head: number,
  numbers?: Region["numbers"],
): CompiledFn | LoopFn | null {
  const scan = scanFunction(fn, mode);
  if (scan === null) return null;
  const region = mode === "call"
    ? { from: 0, to: fn.code.length }
    : loopRegion(fn, scan, head, numbers);
  if (region === null) return null;
  const plan = planFuel(fn, scan, region);
  const meta: JitMeta = {
    fn,
    depth: fn.depths,
    refund: plan.refund,
    loop: mode === "loop",
    flushed: globalsOf(fn, plan.pcs).set,
  };
  const source = generate(fn, loaded, plan, mode, region);
  // Every exit names the frame's variables: a huge function with many locals is left alone.
  if (source === null || source.length > MAX_SOURCE_CHARS) return null;
  try {
    const factory = new Function("H", "K", "META", "VmClosure", "FUNCS", "NAMES", source);
    return factory(
      JIT_HELPERS,
      loaded.consts,
      meta,
      VmClosure,
      loaded.functions,
      loaded.module.globals,
    );
  } catch {
    // A translation the host refuses (never expected): the interpreter runs the function.
    return null;
  }
}

/** A function's reachable instructions, and those the loop form hands to the interpreter. */
interface Scan {
  readonly pcs: number[];
  readonly exits: Set<number>;
}

/** A loop's code: its head to its last backward jump (null when `head` is no loop's head). */
function loopRegion(
  fn: LoadedFunction,
  scan: Scan,
  head: number,
  numbers: Region["numbers"],
): Region | null {
  let to = -1;
  for (const pc of scan.pcs) {
    if (pc >= head && !scan.exits.has(pc) && targetOf(fn.code, pc) === head) {
      to = pc + 1 + OP_BY_CODE[fn.code[pc]]!.operands.length;
    }
  }
  return to < 0 ? null : { from: head, to, numbers };
}

/**
 * Decides whether `fn` can be compiled in `mode`: the call form refuses what it cannot
 * translate; the loop form makes it an exit.
 */
function scanFunction(fn: LoadedFunction, mode: EmitMode): Scan | null {
  const code = fn.code;
  if ((mode === "call" && fn.index === 0) || code.length > MAX_JIT_WORDS) return null;
  if (fn.localCount + fn.maxStack > MAX_JIT_SLOTS || fn.params > MAX_JIT_SLOTS) return null;
  const pcs: number[] = [];
  const exits = new Set<number>();
  for (let pc = 0; pc < code.length; pc += 1 + OP_BY_CODE[code[pc]]!.operands.length) {
    if (fn.depths[pc] < 0) continue;
    const spec = OP_BY_CODE[code[pc]]!;
    const compiled = COMPILED_OPS.has(spec.name) &&
      !(spec.name === "BUILTIN" && HOST_BACKED_BUILTINS.has(BUILTINS[code[pc + 1]].name));
    if (!compiled) {
      if (mode === "call") return null;
      exits.add(pc);
    }
    pcs.push(pc);
  }
  return { pcs, exits };
}

/**
 * Finds the fuel segments of the code `region` holds: straight runs of instructions, each
 * charged when it starts (a segment also ends after a call, except in the pure form).
 */
function planFuel(fn: LoadedFunction, scan: Scan, region: Region): EmitPlan {
  const code = fn.code;
  const leaders = new Set<number>([0]);
  const segmentStarts = new Set<number>([0]);
  for (let pc = 0; pc < code.length;) {
    const spec = OP_BY_CODE[code[pc]]!;
    const next = pc + 1 + spec.operands.length;
    const target = targetOf(code, pc);
    if (target >= 0) leaders.add(target);
    // A conditional jump out of the region (a loop form's way out) ends no segment: what
    // follows it is charged with it, and the way out gives that back (`jit_emit.ts`).
    const inside = target >= region.from && target < region.to;
    if (spec.ends || (target >= 0 && inside)) leaders.add(next);
    if (spec.name === "CALL" || spec.name === "CALL_GLOBAL") segmentStarts.add(next);
    pc = next;
  }
  for (const l of leaders) segmentStarts.add(l);
  const { pcs, exits } = scan;
  const refund = new Int32Array(code.length);
  const cost = segments(pcs, segmentStarts, refund);
  // The pure form (`jit_pure.ts`) needs no exact count between calls: a call ends no segment.
  const pureCost = segments(pcs, leaders, new Int32Array(code.length));
  return { pcs, cost, pureCost, refund, exits, checks: fuelChecks(code, pcs, cost, exits) };
}

/**
 * The fuel segments of `pcs` that start at `starts`: instructions charged at each segment's
 * start; `refund` gets, for each instruction, those charged with it that come after it.
 */
function segments(
  pcs: readonly number[],
  starts: ReadonlySet<number>,
  refund: Int32Array,
): Map<number, number> {
  const cost = new Map<number, number>();
  for (let i = 0; i < pcs.length;) {
    let j = i + 1;
    while (j < pcs.length && !starts.has(pcs[j])) j++;
    cost.set(pcs[i], j - i);
    for (let k = i; k < j; k++) refund[pcs[k]] = j - k - 1;
    i = j;
  }
  return cost;
}
