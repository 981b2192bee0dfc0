/**
 * The source text of one compiled Poh function (see `jit.ts`): a verified function's bytecode
 * as JavaScript, with locals, operand-stack slots and the globals the function uses as JS
 * variables, its loops and branches as labelled loops and blocks (`jit_structure.ts`), and the
 * fuel countdown in a local. Two forms come out of the same translation (`jit_ops.ts`):
 *
 * - a *call* form, run when the function is called (its locals start as the arguments);
 * - a *loop* form, entered from the interpreter at a hot loop's head with the frame's variables
 *   read from the value stack; every instruction it does not do itself (a host call, `Write`,
 *   `try`, a return) and every jump out of the loop is an exit back to the interpreter.
 *
 * What keeps a numeric loop at plain-JS speed — V8 keeps a loop's numbers unboxed only when
 * nothing merges a non-number into them:
 * - number operations are compiled for numbers only until one meets something else; then it
 *   exits (a bail) and its function is compiled again with that instruction generic;
 * - the loop form checks at entry that the variables holding numbers when it was compiled still
 *   do (else it exits and is compiled again without that assumption);
 * - exits return a marker instead of throwing (no `try` in compiled code), and no call that
 *   returns sits inside a loop except the program's own calls: a loop head short of fuel exits
 *   to the interpreter with a new chunk and comes back at the next turn.
 *
 * Globals live in JS variables between calls: they are written back to the run's global slots
 * before anything that may read them (a call, an exit, a return) and read again after a call.
 *
 * @module
 */
import { OP_BY_CODE } from "./isa.ts";
import { ExitKind, KIND_BITS, OTHER_CALL } from "./jit_runtime.ts";
import { MAX_CALL_DEPTH } from "./runtime.ts";
import { MAX_STACK_SLOTS } from "./vm_support.ts";
import { JIT_HELPERS } from "./jit_slow.ts";
import { translate } from "./jit_ops.ts";
import { PURE_STATE, pureBody, tryPure } from "./jit_pure.ts";
import { structure } from "./jit_structure.ts";
import type { LoadedFunction, LoadedPohModule } from "./vm_support.ts";

/** Where compiled code starts and what it owns. */
export type EmitMode = "call" | "loop";

/** What the translation needs from planning (see `planFunction` in `jit.ts`). */
export interface EmitPlan {
  /** Instruction starts, in order. */
  readonly pcs: readonly number[];
  /** Fuel charged at each segment start. */
  readonly cost: ReadonlyMap<number, number>;
  /** The same with calls inside segments (the pure form's, `jit_pure.ts`). */
  readonly pureCost: ReadonlyMap<number, number>;
  /** Instructions charged with each one that come after it (given back at an exit there). */
  readonly refund: Int32Array;
  /** Instructions the loop form hands to the interpreter (never translated). */
  readonly exits: ReadonlySet<number>;
  /** Segments that check the fuel countdown, with the fuel each asks for (`jit_fuel.ts`). */
  readonly checks: ReadonlyMap<number, number>;
}

/** The code a compiled form holds, and what it may assume when it starts. */
export interface Region {
  /** First pc (0, or the loop's head). */
  readonly from: number;
  /** The pc after the region. */
  readonly to: number;
  /**
   * Locals and globals that held numbers when the loop form was compiled (it checks they still
   * do when it starts, so V8 can keep them unboxed), and those that held a value: it checks they
   * still do, and reads them without testing for "no value yet" (nothing sets a variable back
   * to no value).
   */
  readonly numbers?: {
    readonly locals: readonly number[];
    readonly globals: readonly number[];
    readonly setLocals: readonly number[];
    readonly setGlobals: readonly number[];
  };
}

/** What `jit_ops.ts` writes an instruction's translation with. */
export interface Emitter {
  readonly fn: LoadedFunction;
  readonly loaded: LoadedPohModule;
  /** True for the loop form. */
  readonly loop: boolean;
  /** Appends a line. */
  out(line: string): void;
  /** A constant as source: finite numbers inline, everything else read from the pool. */
  lit(k: number): string;
  /** The statement for a jump from `pc` to `target`. */
  jump(pc: number, target: number): string;
  /**
   * The statement that exits at `pc` for `kind` (an expression choosing one, too; `budget`: the
   * countdown it writes back).
   */
  exit(kind: ExitKind | string, pc: number, budget?: string): string;
  /** The expression recording this frame when its callee exited at the call at `pc`. */
  unwind(pc: number): string;
  /**
   * True in the body of an entry (`selfSlots`) without loops, closures or calls through a value:
   * its exits throw `EXIT` and its self-calls catch it (no test of each result), its entry turns
   * it back into a return. Its frames all share the entry's closure and sit one above the other
   * on the value stack, so they are called without either, and record their exits without them:
   * the entry fills them in (`placeFrames` in `jit_runtime.ts`). (A loop's numbers would be kept
   * boxed for a handler.) Its entry also checks the stack has room for its deepest recursion, so
   * the body's self-calls check only the depth.
   */
  readonly throws: boolean;
  /** True while writing the pure form (`jit_pure.ts`): no fuel meter, no exits, no frames. */
  readonly pure: boolean;
  /** True for a local (`l`) or global (`g`) the loop form knows holds a value (`Region`). */
  isSet(kind: "l" | "g", slot: number): boolean;
  /** Statements writing the globals the function sets back to the run's slots. */
  readonly flush: string;
  /** Statements reading every global the function uses again (after a call). */
  readonly reload: string;
  /**
   * The call form of a function that sets no global and whose calls all call itself (the rest
   * exit until they meet another callee, see `jit_ops.ts`): while it runs, only its own code
   * runs, so nothing changes a global it keeps and a self-call reads none again.
   */
  readonly selfContained: boolean;
  /**
   * Globals a self-contained call form calls itself through and reads for nothing else: its
   * entry checks once that they hold the closure called (else it exits and is compiled again
   * with general calls), so its body never reads them (see `entry`).
   */
  readonly selfSlots: ReadonlySet<number>;
}

/** The jump target of the instruction at `pc`, or -1. */
export function targetOf(code: Int32Array, pc: number): number {
  const t = OP_BY_CODE[code[pc]]!.operands.indexOf("target");
  return t < 0 ? -1 : code[pc + 1 + t];
}

/**
 * Global slots `fn` reads or calls through, and those it writes (in the order the exit path
 * writes them back, `JitMeta.flushed`).
 */
export function globalsOf(
  fn: LoadedFunction,
  pcs: readonly number[],
): { used: number[]; set: number[] } {
  const used = new Set<number>();
  const set = new Set<number>();
  for (const pc of pcs) {
    const op = fn.code[pc];
    if (op === 14 || op === 15 || op === 43) used.add(fn.code[pc + 1]);
    if (op === 15) set.add(fn.code[pc + 1]);
  }
  return { used: [...used].sort((a, b) => a - b), set: [...set].sort((a, b) => a - b) };
}

/** LOAD_UPVAL, STORE_UPVAL, CALL (a callee that is a value), CLOSURE: they need the closure. */
const CLOSURE_OPS = new Set([12, 13, 42, 46]);

function isCall(op: number): boolean {
  return op === 42 || op === 43;
}

/**
 * True for a call (at `pc`, in the call form) compiled for self-calls only: its argument count
 * fits the function and it has not met another callee.
 */
export function selfCallOnly(fn: LoadedFunction, pc: number): boolean {
  const op = fn.code[pc];
  if (!isCall(op)) return false;
  const argc = op === 42 ? fn.code[pc + 1] : fn.code[pc + 2];
  return argc === fn.params && (fn.generic[pc] & OTHER_CALL) === 0;
}

/** `from`, …, `to - 1`. */
export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/**
 * The source of the factory that returns `fn` compiled in `mode` (run with the parameters
 * `compile` in `jit.ts` passes), or null when its jumps do not nest.
 *
 * @param fn the verified function
 * @param loaded its module
 * @param plan its fuel segments and exits
 * @param mode the call form or the loop form
 * @param region the code the form holds
 * @returns JavaScript source, or null
 */
export function generate(
  fn: LoadedFunction,
  loaded: LoadedPohModule,
  plan: EmitPlan,
  mode: EmitMode,
  region: Region,
): string | null {
  const code = fn.code;
  const loop = mode === "loop";
  const globals = globalsOf(fn, plan.pcs);
  const flush = globals.set.map((g) => `G[${g}] = g${g};`).join(" ");
  /**
   * The frame as the exit path takes it, one argument each (an array literal of a loop's numbers
   * would make V8 box them on every turn): locals, the operands live at `pc`, kept globals.
   */
  const frame = (pc: number, withGlobals: boolean) =>
    [
      ...range(0, fn.localCount).map((i) => `l${i}`),
      ...range(0, fn.depths[pc]).map((i) => `s${i}`),
      ...(withGlobals ? globals.set.map((g) => `g${g}`) : []),
    ].map((x) => `, ${x}`).join("");
  const selfContained = !loop && globals.set.length === 0 &&
    plan.pcs.every((pc) => !isCall(code[pc]) || selfCallOnly(fn, pc));
  const selfSlots = new Set<number>();
  if (selfContained) {
    for (const pc of plan.pcs) if (code[pc] === 43) selfSlots.add(code[pc + 1]);
    for (const pc of plan.pcs) if (code[pc] === 14) selfSlots.delete(code[pc + 1]);
  }
  const throws = selfSlots.size > 0 &&
    plan.pcs.every((pc) => targetOf(code, pc) < 0 || targetOf(code, pc) > pc) &&
    plan.pcs.every((pc) => !CLOSURE_OPS.has(code[pc]));
  const setLocals = region.numbers?.setLocals ?? [];
  const setGlobals = (region.numbers?.setGlobals ?? []).filter((g) => globals.used.includes(g));
  // Where a frame is, in the exit path's arguments (the entry fills it in for `throws`).
  const where = throws ? "null, 0" : "closure, bp";
  const e: Emitter = {
    fn,
    loaded,
    loop,
    out: (line) => lines.push(line),
    lit(k: number): string {
      const v = loaded.consts[k];
      if (typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0)) return `(${v})`;
      if (v === null || typeof v === "boolean") return String(v);
      return `K[${k}]`;
    },
    // Out of the region: what the jump's segment charged after it is given back.
    jump: (pc, target) =>
      `{ ${
        layout!.jump(pc, target) ??
          e.exit(String(ExitKind.Leave + (plan.refund[pc] << KIND_BITS)), target)
      } }`,
    exit: (kind, pc, budget = "budget") =>
      `${throws ? "throw" : "return"} exit(rt, ${kind}, ${pc}, META, ${where}, depth, ` +
      `${budget}${frame(pc, true)});`,
    unwind: (pc) => `unwind(rt, ${pc}, META, ${where}, depth${frame(pc, false)})`,
    throws,
    pure: false,
    isSet: (kind, slot) => (kind === "l" ? setLocals : setGlobals).includes(slot),
    flush,
    reload: globals.used.map((g) => `g${g} = G[${g}];`).join(" "),
    selfContained,
    selfSlots,
  };
  /** Opens a new chunk when the countdown is short of `need`; exits when fuel runs out. */
  const refuel = (pc: number, need: number) =>
    `if (budget < ${need} && (budget = refuel(rt, ${need}, budget)) < 0) ` +
    e.exit(ExitKind.Leave, pc, "0");
  const layout = structure(
    plan.pcs.filter((pc) => !plan.exits.has(pc)),
    (pc) => targetOf(code, pc),
    (pc) => pc + 1 + OP_BY_CODE[code[pc]]!.operands.length,
    region.from,
    region.to,
    (head) => refuel(head, plan.checks.get(head)!),
  );
  if (layout === null) return null;
  const lines: string[] = [];
  for (const pc of plan.pcs) {
    if (pc < region.from || pc >= region.to) continue;
    const opening = layout.before.get(pc);
    if (opening !== undefined) e.out(opening);
    const need = plan.checks.get(pc);
    // A loop head short of fuel refuels in the loop around it (see `jit_structure.ts`).
    if (need !== undefined && layout.heads.has(pc)) e.out(`if (budget < ${need}) continue R${pc};`);
    else if (need !== undefined) e.out(refuel(pc, need));
    const n = plan.cost.get(pc);
    if (n !== undefined) e.out(`budget -= ${n};`);
    // The loop form hands what it does not translate (and what follows) to the interpreter.
    if (plan.exits.has(pc)) e.out(e.exit(ExitKind.Redo, pc));
    else translate(e, pc);
  }
  // Pool constants (texts and the like) are read once per entry, not once per use.
  const pooled = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    lines[i] = lines[i].replace(/\bK\[(\d+)\]/g, (_, k: string) => (pooled.add(k), `k${k}`));
  }
  const body = lines.join("\n");
  // What the body uses of the built-in context (each a load on every call otherwise).
  const context = [
    ...(/\bctx\b/.test(body) ? ["ctx = rt.ctx"] : []),
    ...(/\bmaxItems\b/.test(body) ? ["maxItems = rt.ctx.maxItems"] : []),
    ...[...pooled].map((k) => `k${k} = K[${k}]`),
  ];
  const cached = globals.used.filter((g) => !selfSlots.has(g));
  if (cached.length > 0 || /\bG\[/.test(body)) context.unshift("G = rt.globals");
  const entered = selfSlots.size > 0 ? (throws ? "thrown" : "returned") : "none";
  const pure = pureBody(e, plan, layout);
  return prologue(fn, mode, region, cached, frame(region.from, true), context, entered)
    .concat(
      lines,
      layout.after,
      // Past the region's end: the loop form's exit; a function's code never gets there.
      loop ? e.exit(ExitKind.Leave, region.to) : 'throw new Error("internal: ran off the end");',
      "};",
      ...(pure === null ? [] : [PURE_STATE, ...pure]),
      selfSlots.size > 0 ? entry(fn, selfSlots, throws, pure !== null) : "",
    ).join("\n");
}

/**
 * The entry of a call form with {@link Emitter.selfSlots}: checks the globals it calls itself
 * through hold the closure called and the stack has room for its deepest recursion (a frame per
 * level: every call in it is a self-call), and runs the body (which its self-calls call
 * directly). Otherwise nothing has run or been paid yet: it exits, and the interpreter runs the
 * call (and the function is compiled again with general calls when a global differs).
 */
function entry(
  fn: LoadedFunction,
  selfSlots: ReadonlySet<number>,
  throws: boolean,
  pure: boolean,
): string {
  const args = range(0, fn.params).map((i) => `, a${i}`).join("");
  const locals = range(0, fn.localCount).map((i) => i < fn.params ? `, a${i}` : ", UNSET").join("");
  const differs = [...selfSlots].map((g) => `G[${g}] !== closure`).join(" || ");
  const room = MAX_STACK_SLOTS - (MAX_CALL_DEPTH + 1) * fn.frameSize;
  const leave = (kind: ExitKind) =>
    `return exit(rt, ${kind}, 0, META, closure, bp, depth, budget${locals});`;
  const body = `poh_${fn.index}(rt, ${throws ? "" : "closure, bp, "}depth, budget${args})`;
  return [
    `return function poh_${fn.index}_entry(rt, closure, bp, depth, budget${args}) {`,
    `const G = rt.globals;`,
    `if (${differs}) ${leave(ExitKind.OtherEntry)}`,
    `if (bp > ${room}) ${leave(ExitKind.Leave)}`,
    // A pure form runs first; the exact form runs the call when it gives up.
    pure ? tryPure(fn.index, args) : "",
    throws
      ? `const start = rt.spilled.length; try { return ${body}; } catch (x) { ` +
        `if (x === EXIT) return placeFrames(rt, start, closure, bp); throw x; }`
      : `return ${body};`,
    "};",
  ].join("\n");
}

/** The factory's start and the compiled function's variables. */
function prologue(
  fn: LoadedFunction,
  mode: EmitMode,
  region: Region,
  cached: number[],
  frame: string,
  context: string[],
  entered: "none" | "returned" | "thrown",
): string[] {
  const L = fn.localCount;
  const P = fn.params;
  const loop = mode === "loop";
  const params = range(0, P).map((i) => `a${i}`);
  const temps = range(0, fn.maxStack).map((i) => `s${i}`);
  const locals = range(0, L).map((i) =>
    loop ? `l${i} = stack[bp + ${i}]` : `l${i} = ${i < P ? `a${i}` : "UNSET"}`
  );
  // The loop form starts with the operands the interpreter left (a loop head's, usually none).
  const operands = loop ? temps.map((x, i) => `${x} = stack[bp + ${L + i}]`) : temps;
  const signature = loop
    ? `poh_loop_${fn.index}_${region.from}(rt, closure, bp, depth, stack)`
    : `poh_${fn.index}(rt, ${entered === "thrown" ? "" : "closure, bp, "}depth, budget` +
      `${params.map((p) => ", " + p).join("")})`;
  const lines = [
    '"use strict";',
    `const { ${Object.keys(JIT_HELPERS).join(", ")} } = H;`,
    // With an entry (see `entry`), the body is a declaration the entry returned calls.
    `${entered === "none" ? "return " : ""}function ${signature} {`,
    locals.length ? `let ${locals.join(", ")};` : "",
    operands.length ? `let ${operands.join(", ")};` : "",
    loop ? "let t, u, f, jf, budget = rt.budget;" : "let t, u, f, jf;",
    context.length ? `const ${context.join(", ")};` : "",
    cached.length ? `let ${cached.map((g) => `g${g} = G[${g}]`).join(", ")};` : "",
  ];
  const n = region.numbers;
  if (n !== undefined) {
    // The loop form assumes what held numbers, and what held a value, when it was compiled.
    const kept = (gs: readonly number[]) => gs.filter((g) => cached.includes(g));
    const vars = [...n.locals.map((i) => `l${i}`), ...kept(n.globals).map((g) => `g${g}`)];
    const set = [
      ...n.setLocals.filter((i) => !n.locals.includes(i)).map((i) => `l${i}`),
      ...kept(n.setGlobals).filter((g) => !n.globals.includes(g)).map((g) => `g${g}`),
    ];
    const tests = [
      ...vars.map((x) => `typeof ${x} !== "number"`),
      ...set.map((x) => `${x} === UNSET`),
    ];
    if (tests.length > 0) {
      lines.push(
        `if (${tests.join(" || ")}) ` +
          `return exit(rt, ${ExitKind.Retype}, ${region.from}, META, closure, bp, depth, ` +
          `budget${frame});`,
      );
    }
  }
  return lines;
}
