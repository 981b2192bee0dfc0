/**
 * The *pure form* of a compiled Poh function: a second translation of a recursive function that
 * only computes (`fib`), which its entry runs first and which gives up rather than exits.
 *
 * The exact call form (`jit_emit.ts`) keeps the fuel meter right at every instruction, because
 * any instruction may hand the frames to the interpreter: it passes the countdown to each call
 * and takes it back through the runtime, checks it after every call, and catches an exit around
 * every call to record its frame. A function that changes nothing outside itself needs none of
 * that: if anything goes wrong — a number test fails, the recursion gets too deep, fuel runs
 * out — running the call again from its start on the exact form gives exactly what the
 * interpreter would, since nothing the first try did can be seen. So the pure form:
 *
 * - keeps the countdown in one `Int32Array` slot shared by its frames (no argument, no return
 *   path), charges each straight run of instructions once, calls included, and lets it go below
 *   zero between checks: only the entry of each frame checks it (a new chunk, or give up), and
 *   the entry of the whole call checks what is left at the end;
 * - gives up by throwing `ABORT` (`jit_pure_runtime.ts`), which no handler on the way catches,
 *   and takes no runtime, closure or stack base: its body is small enough for V8 to inline a
 *   call of it into itself, as it does plain JavaScript's.
 *
 * On giving up, the entry puts the meter back as it was and runs the exact form, which then
 * exits, bails or stops at the instruction the interpreter would. Giving up costs at most the
 * pure run's time again, once per outermost call.
 *
 * Only functions whose instructions cannot change anything are pure: no global written, no
 * calls but to themselves, no closures, cells, built-ins or index stores, no lists or
 * dictionaries made (reading an item is fine), no loops (see {@link pureBody}).
 *
 * @module
 */
import { OP_BY_CODE } from "./isa.ts";
import type { EmitPlan, Emitter } from "./jit_emit.ts";
import { range } from "./jit_emit.ts";
import { translate } from "./jit_ops.ts";
import type { Structure } from "./jit_structure.ts";

/** Instructions that change nothing outside their frame (calls: only to the function itself). */
// deno-fmt-ignore
const PURE_OPS = new Set([
  "CONST", "NULL", "TRUE", "FALSE", "POP", "LOAD_LOCAL", "STORE_LOCAL", "LOAD_GLOBAL",
  "ADD", "SUB", "MUL", "DIV", "MOD", "NEG", "NOT", "TO_BOOL", "EQ", "NE", "LT", "LE", "GT", "GE",
  "JUMP", "JUMP_IF_FALSE", "JUMP_IF_TRUE", "JUMP_IF_NOT_LT", "JUMP_IF_NOT_LE", "JUMP_IF_NOT_GT",
  "JUMP_IF_NOT_GE", "JUMP_IF_NOT_EQ", "JUMP_IF_NOT_NE", "ADD_CONST", "SUB_CONST", "INC_LOCAL",
  "CALL_GLOBAL", "RETURN", "RETURN_NULL", "RETURN_LOCAL", "INDEX", "THROW", "TO_COUNT",
  "JUMP_IF_SET", "JUMP_IF_NOT_LT_LK", "JUMP_IF_NOT_LE_LK", "JUMP_IF_NOT_GT_LK",
  "JUMP_IF_NOT_GE_LK", "JUMP_IF_NOT_EQ_LK", "JUMP_IF_NOT_NE_LK", "LOCAL_ADD_CONST",
  "LOCAL_SUB_CONST",
]);

/** What the body may not name: the state of a run, which the pure form does without. */
const OUTSIDE = /\b(rt|budget|closure|bp|ctx|maxItems|G|exit|unwind|refuel|Cell|VmClosure)\b/;

/**
 * The pure form of `e.fn` — a function declaration `poh_<index>_pure(depth, a0, …)` — or null
 * when the function is not pure. Only for a call form whose entry checks its self-calls
 * (`Emitter.throws`): every call in it is then a call of itself.
 *
 * @param e the exact call form's emitter
 * @param plan the function's plan
 * @param layout its jumps as loops and blocks
 * @returns the source lines, or null
 */
export function pureBody(e: Emitter, plan: EmitPlan, layout: Structure): string[] | null {
  const fn = e.fn;
  if (!e.throws || !plan.pcs.every((pc) => PURE_OPS.has(OP_BY_CODE[fn.code[pc]]!.name))) {
    return null;
  }
  const lines: string[] = [];
  const pure: Emitter = {
    ...e,
    pure: true,
    out: (line) => lines.push(line),
    exit: () => `throw ABORT;`,
    jump: (pc, target) => `{ ${layout.jump(pc, target) ?? "throw ABORT;"} }`,
  };
  for (const pc of plan.pcs) {
    const opening = layout.before.get(pc);
    if (opening !== undefined) lines.push(opening);
    // Overdrawn since the last check: a new chunk (the deadline checked), or give up.
    if (pc === 0) lines.push("if (B[0] < 0 && !moreFuel(R, B)) throw ABORT;");
    const n = plan.pureCost.get(pc);
    if (n !== undefined) lines.push(`B[0] -= ${n};`);
    translate(pure, pc);
  }
  lines.push(layout.after);
  // Anything the translation needed from the run (a general call, a slow path taking the
  // built-in context): not pure after all.
  if (OUTSIDE.test(lines.join("\n"))) return null;
  const P = fn.params;
  const locals = range(0, fn.localCount).map((i) => `l${i} = ${i < P ? `a${i}` : "UNSET"}`);
  const temps = range(0, fn.maxStack).map((i) => `s${i}`);
  return [
    `function poh_${fn.index}_pure(depth${range(0, P).map((i) => `, a${i}`).join("")}) {`,
    locals.length ? `let ${locals.join(", ")};` : "",
    temps.length ? `let ${temps.join(", ")};` : "",
    "let t, u, f;",
    ...lines,
    'throw new Error("internal: ran off the end");',
    "}",
  ];
}

/**
 * The statements of an entry that runs the pure form first (see the module doc): `args` the
 * call's arguments (", a0, …"); on giving up they fall through to the exact form.
 *
 * @param index the function's index
 * @param args its arguments as source
 * @returns the statements
 */
export function tryPure(index: number, args: string): string {
  return [
    "const used = rt.fuelUsed, chunk = rt.chunk;",
    "R = rt; B[0] = budget;",
    `try { const v = poh_${index}_pure(depth${args}); ` +
    "if (B[0] >= 0 || moreFuel(rt, B)) { R = null; rt.budget = B[0]; return v; } " +
    "} catch (x) { if (x !== ABORT) throw x; }",
    // Given up: the meter as it was, and the exact form runs the call.
    "R = null; rt.fuelUsed = used; rt.chunk = chunk;",
  ].join("\n");
}

/** The factory-level state of a pure form: its countdown and the run it counts for. */
export const PURE_STATE = "const B = new Int32Array(1); let R = null;";
