/**
 * The translation of each Poh instruction to JavaScript (see `jit_emit.ts` for the function
 * around it). Operand-stack slots are the variables `s0…`, locals `l0…`, cached globals `g0…`;
 * `t` and `u` are scratch. An instruction that exits does so before it changes any variable, so
 * the interpreter finds the frame as it was before the instruction and runs it itself.
 *
 * Opcode numbers are the ones in `isa.ts`.
 *
 * @module
 */
import { BUILTINS } from "./builtins.ts";
import type { Emitter } from "./jit_emit.ts";
import { range, selfCallOnly } from "./jit_emit.ts";
import { ExitKind, GENERIC_OP } from "./jit_runtime.ts";
import { MAX_CALL_DEPTH } from "./runtime.ts";
import { MAX_STACK_SLOTS } from "./vm_support.ts";

const ORDER: Record<number, string> = { 26: "<", 27: "<=", 28: ">", 29: ">=" };
const JUMP_ORDER: Record<number, string> = { 33: "<", 34: "<=", 35: ">", 36: ">=" };
const JUMP_ORDER_LK: Record<number, string> = { 61: "<", 62: "<=", 63: ">", 64: ">=" };

/**
 * "`x` holds no value yet". The number test first: comparing a number with the marker object
 * makes V8 box the number, which costs a heap allocation per turn of a numeric loop.
 */
function unset(x: string): string {
  return `(typeof ${x} !== "number" && ${x} === UNSET)`;
}

/**
 * Writes the translation of the instruction at `pc`.
 *
 * @param e the function being written
 * @param pc the instruction (function-relative)
 */
export function translate(e: Emitter, pc: number): void {
  const { fn, out } = e;
  const code = fn.code;
  const op = code[pc];
  const a = code[pc + 1];
  const b = code[pc + 2];
  const c = code[pc + 3];
  const d = fn.depths[pc];
  const s = (i: number) => `s${i}`;
  const top = s(d - 1);
  const second = s(d - 2);
  const redo = e.exit(ExitKind.Redo, pc);
  const jump = (target: number) => e.jump(pc, target);
  /** Reads local `i` into `into`; an unset local exits (the interpreter raises the NameError). */
  const local = (i: number, into: string) => {
    out(`t = l${i};`);
    // Parameters of a compiled call always hold arguments; the loop form reads the stack.
    if ((e.loop || i >= fn.params) && !e.isSet("l", i)) out(`if (${unset("t")}) ${redo}`);
    out(`${into} = t;`);
  };
  /** `into = slow`, exiting when the slow path fails (the interpreter raises the error). */
  const slowInto = (into: string, slow: string) =>
    `{ u = ${slow}; if (u === FAIL) ${redo} ${into} = u; }`;
  /**
   * `dst = fast` for number operands. Until the instruction has met anything else, other
   * operands exit (a bail: the interpreter runs the instruction and the function is compiled
   * again with it generic), so the result is a number V8 keeps unboxed; once it has, the slow
   * path runs inline.
   */
  const numeric = (dst: string, xs: string[], fast: string, slow: string, extra = "") => {
    const test = xs.map((x) => `typeof ${x} === "number"`).join(" && ") + extra;
    if ((fn.generic[pc] & GENERIC_OP) !== 0) {
      out(`if (${test}) ${dst} = ${fast}; else ${slowInto(dst, slow)}`);
    } else out(`if (!(${test})) ${e.exit(ExitKind.Bail, pc)} ${dst} = ${fast};`);
  };
  /** A conditional jump taken when `cond` (computed by `numeric` into `u`) is `taken`. */
  const branch = (xs: string[], fast: string, slow: string, taken: boolean, target: number) => {
    numeric("u", xs, fast, slow);
    out(`if (${taken ? "" : "!"}u) ${jump(target)}`);
  };
  switch (op) {
    case 1: // CONST
      out(`${s(d)} = ${e.lit(a)};`);
      break;
    case 2: // NULL
      out(`${s(d)} = null;`);
      break;
    case 3: // TRUE
    case 4: // FALSE
      out(`${s(d)} = ${op === 3};`);
      break;
    case 5: // POP
      break;
    case 7: // LOAD_LOCAL
      local(a, s(d));
      break;
    case 8: // STORE_LOCAL
      out(`l${a} = ${top};`);
      break;
    case 9: // LOAD_CELL
      out(`t = l${a}; if (!(t instanceof Cell)) ${redo} t = t.v;`);
      out(`if (${unset("t")}) ${redo} ${s(d)} = t;`);
      break;
    case 10: // STORE_CELL
      out(`t = l${a}; if (!(t instanceof Cell)) ${redo} t.v = ${top};`);
      break;
    case 11: // MAKE_CELL
      out(`l${a} = new Cell(l${a});`);
      break;
    case 12: // LOAD_UPVAL
      out(`t = closure.upvals[${a}].v; if (${unset("t")}) ${redo} ${s(d)} = t;`);
      break;
    case 13: // STORE_UPVAL
      out(`closure.upvals[${a}].v = ${top};`);
      break;
    case 14: // LOAD_GLOBAL
      out(`t = g${a}; ${e.isSet("g", a) ? "" : `if (${unset("t")}) ${redo} `}${s(d)} = t;`);
      break;
    case 15: // STORE_GLOBAL
      out(`g${a} = ${top};`);
      break;
    case 16: { // ADD
      const slow = `addSlow(${second}, ${top}, ctx)`;
      if ((fn.generic[pc] & GENERIC_OP) !== 0) {
        // Generic: two texts join inline (within the size limit) before the slow path.
        const texts = `typeof ${second} === "string" && typeof ${top} === "string" && ` +
          `${second}.length + ${top}.length <= maxItems`;
        out(
          `if (typeof ${second} === "number" && typeof ${top} === "number") ` +
            `${second} = ${second} + ${top}; else if (${texts}) ${second} = ${second} + ${top}; ` +
            `else ${slowInto(second, slow)}`,
        );
      } else numeric(second, [second, top], `${second} + ${top}`, slow);
      break;
    }
    case 17: // SUB
    case 18: // MUL
    case 19: // DIV
    case 20: { // MOD
      const o = ({ 17: "-", 18: "*", 19: "/", 20: "%" } as Record<number, string>)[op];
      const slow = `arithSlow("${o}", ${second}, ${top})`;
      // Division by zero is a MathError: the slow path (or the interpreter) raises it.
      const extra = op >= 19 ? ` && ${top} !== 0` : "";
      numeric(second, [second, top], `${second} ${o} ${top}`, slow, extra);
      break;
    }
    case 21: // NEG
      numeric(top, [top], `-${top}`, `negateSlow(${top})`);
      break;
    case 22: // NOT
      out(`${top} = !truthy(${top});`);
      break;
    case 23: // TO_BOOL
      out(`${top} = truthy(${top});`);
      break;
    case 24: // EQ
    case 25: { // NE
      const not = op === 25 ? "!" : "";
      numeric("u", [second, top], `${second} === ${top}`, `equalSlow(${second}, ${top})`);
      out(`${second} = ${not}u;`);
      break;
    }
    case 26: // LT
    case 27: // LE
    case 28: // GT
    case 29: { // GE
      const o = ORDER[op];
      numeric(
        second,
        [second, top],
        `${second} ${o} ${top}`,
        `compareSlow("${o}", ${second}, ${top})`,
      );
      break;
    }
    case 30: // JUMP
      out(jump(a));
      break;
    case 31: // JUMP_IF_FALSE
      out(`t = ${top}; if (t === false || (t !== true && !truthy(t))) ${jump(a)}`);
      break;
    case 32: // JUMP_IF_TRUE
      out(`t = ${top}; if (t === true || (t !== false && truthy(t))) ${jump(a)}`);
      break;
    case 33: // JUMP_IF_NOT_LT
    case 34: // JUMP_IF_NOT_LE
    case 35: // JUMP_IF_NOT_GT
    case 36: { // JUMP_IF_NOT_GE
      const o = JUMP_ORDER[op];
      const slow = `compareSlow("${o}", ${second}, ${top})`;
      branch([second, top], `${second} ${o} ${top}`, slow, false, a);
      break;
    }
    case 37: // JUMP_IF_NOT_EQ
    case 38: // JUMP_IF_NOT_NE
      branch([second, top], `${second} === ${top}`, `equalSlow(${second}, ${top})`, op === 38, a);
      break;
    case 39: // ADD_CONST
      numeric(top, [top], `${top} + ${e.lit(a)}`, `addSlow(${top}, ${e.lit(a)}, ctx)`);
      break;
    case 40: // SUB_CONST
      numeric(top, [top], `${top} - ${e.lit(a)}`, `arithSlow("-", ${top}, ${e.lit(a)})`);
      break;
    case 41: // INC_LOCAL
      out(`t = l${a};`);
      if ((e.loop || a >= fn.params) && !e.isSet("l", a)) out(`if (${unset("t")}) ${redo}`);
      numeric(`l${a}`, ["t"], `t + ${e.lit(b)}`, `addSlow(t, ${e.lit(b)}, ctx)`);
      break;
    case 42: // CALL
      call(e, pc, d, a, `${s(d - a - 1)}`, d - a - 1);
      break;
    case 43: // CALL_GLOBAL
      if (e.selfSlots.has(a)) call(e, pc, d, b, "closure", d - b);
      else {
        out(`t = g${a};`);
        call(e, pc, d, b, "t", d - b);
      }
      break;
    case 44: // RETURN
    case 45: // RETURN_NULL
    case 67: // RETURN_LOCAL
      // The loop form leaves returns to the interpreter (the frame is the interpreter's).
      if (e.loop) out(redo);
      else {
        if (op === 67) local(a, "t");
        const value = op === 44 ? top : op === 45 ? "null" : "t";
        // The pure form's countdown is shared by its frames (`jit_pure.ts`).
        out(e.pure ? `return ${value};` : `rt.budget = budget; ${e.flush} return ${value};`);
      }
      break;
    case 46: { // CLOSURE
      const upvalues = e.loaded.functions[a].proto.upvalues;
      const cells = upvalues.map((u) =>
        u.fromParentLocal ? `l${u.index}` : `closure.upvals[${u.index}]`
      );
      for (const u of upvalues) {
        if (u.fromParentLocal) out(`if (!(l${u.index} instanceof Cell)) ${redo}`);
      }
      out(`${s(d)} = new VmClosure(FUNCS[${a}], [${cells.join(", ")}]);`);
      break;
    }
    case 47: // MAKE_LIST
      out(`${s(d - a)} = [${range(d - a, d).map(s).join(", ")}];`);
      break;
    case 48: // MAKE_DICT
      out(slowInto(s(d - 2 * a), `makeDictSlow([${range(d - 2 * a, d).map(s).join(", ")}])`));
      break;
    case 49: // INDEX: a list at a whole position in range, a dictionary at a text key it has
      out(`t = ${second}; u = ${top};`);
      out(
        `if (isArray(t) && typeof u === "number" && u >= 0 && u < t.length && (u | 0) === u) ` +
          `${second} = t[u]; else if (t instanceof Map && typeof u === "string" && ` +
          `(f = t.get(u)) !== undefined) ${second} = f; else ${
            slowInto(second, "indexSlow(t, u)")
          }`,
      );
      break;
    case 50: { // SET_INDEX: the same cases inline (a dictionary takes any text key)
      const [target, key, value] = [s(d - 3), second, top];
      out(`t = ${target}; u = ${key};`);
      out(
        `if (isArray(t) && typeof u === "number" && u >= 0 && u < t.length && (u | 0) === u) ` +
          `t[u] = ${value}; else if (t instanceof Map && typeof u === "string") ` +
          `t.set(u, ${value}); else if (setIndexSlow(t, u, ${value}) === FAIL) ${redo}`,
      );
      break;
    }
    case 51: { // BUILTIN
      const call = slowInto(
        s(d - b),
        `builtinSlow(${a}, [${range(d - b, d).map(s).join(", ")}], ctx)`,
      );
      // `contains key in dictionary` with a text key: the lookup inline.
      if (BUILTINS[a].name === "contains" && b === 2) {
        out(
          `if (${top} instanceof Map && typeof ${second} === "string") ${second} = ${top}.has(${second});`,
        );
        out(`else ${call}`);
      } else out(call);
      break;
    }
    case 57: // THROW: the interpreter raises it, with its handlers and trace
      out(redo);
      break;
    case 59: // TO_COUNT
      numeric(top, [top], `Math.floor(${top})`, `toCountSlow(${top})`);
      break;
    case 60: // JUMP_IF_SET
      out(`if (!${unset(`l${a}`)}) ${jump(b)}`);
      break;
    case 61: // JUMP_IF_NOT_LT_LK
    case 62: // JUMP_IF_NOT_LE_LK
    case 63: // JUMP_IF_NOT_GT_LK
    case 64: { // JUMP_IF_NOT_GE_LK
      const o = JUMP_ORDER_LK[op];
      const k = e.lit(b);
      local(a, "t");
      branch(["t", k], `t ${o} ${k}`, `compareSlow("${o}", t, ${k})`, false, c);
      break;
    }
    case 65: // JUMP_IF_NOT_EQ_LK
    case 66: { // JUMP_IF_NOT_NE_LK
      const k = e.lit(b);
      local(a, "t");
      branch(["t", k], `t === ${k}`, `equalSlow(t, ${k})`, op === 66, c);
      break;
    }
    case 68: // LOCAL_ADD_CONST
    case 69: { // LOCAL_SUB_CONST
      const k = e.lit(b);
      local(a, "t");
      if (op === 68) numeric(s(d), ["t"], `t + ${k}`, `addSlow(t, ${k}, ctx)`);
      else numeric(s(d), ["t"], `t - ${k}`, `arithSlow("-", t, ${k})`);
      break;
    }
    case 70: // FOR_NEXT
      out(`t = l${a}; u = l${b};`);
      out(`if (!isArray(t) || typeof u !== "number" || (u | 0) !== u || u < 0) ${redo}`);
      out(`if (u < t.length) { l${b} = u + 1; ${s(d)} = t[u]; } else ${jump(c)}`);
      break;
    default:
      throw new Error(`internal: no translation for opcode ${op}`);
  }
}

/**
 * A call: a compiled callee is called directly (it exits by returning `EXIT`, and this frame
 * follows it out); anything else exits at the call so the interpreter makes it.
 *
 * In the call form, a call whose callee is this very closure (compared at every call, so a
 * redefined name is followed) calls the running function by its own name: nothing about the
 * callee's function, arity or compiled form to check (none of them change while compiled frames
 * run: they change only at an exit, which leaves every compiled frame), and a direct call V8 can
 * inline. Until a call meets another callee it is compiled for self-calls only (another callee
 * exits, and the function is compiled again with all its calls general), which lets a function
 * that only calls itself skip reading its globals again after each call (`selfContained`).
 */
function call(e: Emitter, pc: number, d: number, n: number, callee: string, result: number): void {
  const fn = e.fn;
  const base = fn.localCount + d - n;
  const newBp = `bp + ${base}`;
  const args = range(d - n, d).map((i) => `, s${i}`).join("");
  const self = !e.loop && n === fn.params;
  if (e.pure && callee === "closure" && self) {
    // Too deep: give up (the exact form exits there, and the interpreter raises the error).
    e.out(`if (!(depth < ${MAX_CALL_DEPTH - 1})) ${e.exit(ExitKind.NoCall, pc)}`);
    e.out(`s${result} = poh_${fn.index}_pure(depth + 1${args});`);
    return;
  }
  // A `throws` body's frames are placed by its entry: no closure and no stack base to pass.
  const frameArgs = e.throws ? "" : `closure, ${newBp}, `;
  const selfCall = `t = poh_${fn.index}(rt, ${frameArgs}depth + 1, budget${args});`;
  // A callee that is `closure` itself: a global the entry checked, and the entry checked the
  // room on the stack too (`Emitter.selfSlots`).
  const entered = e.selfSlots.size > 0;
  const selfOk = `${callee === "closure" ? "" : `${callee} === closure && `}` +
    `depth < ${MAX_CALL_DEPTH - 1}` +
    (entered ? "" : ` && bp <= ${MAX_STACK_SLOTS - base - fn.frameSize}`);
  if (self && selfCallOnly(fn, pc)) {
    // Too deep or no room: the interpreter raises the error; another callee: compile it general.
    const kind = callee === "closure"
      ? ExitKind.NoCall
      : `${callee} === closure ? ${ExitKind.NoCall} : ${ExitKind.Other}`;
    e.out(`if (!(${selfOk})) ${e.exit(kind, pc)}`);
    if (e.throws) {
      // An exit below throws: this frame records itself on the way out.
      e.out(`try { ${selfCall} } catch (x) { throw x === EXIT ? ${e.unwind(pc)} : x; }`);
      e.out(`s${result} = t; budget = rt.budget;`);
      return;
    }
    e.out(`${e.flush} ${selfCall}`);
  } else {
    if (self) e.out(`if (${selfOk}) { ${e.flush} ${selfCall} } else {`);
    e.out(
      `if (!(${callee} instanceof VmClosure && (f = ${callee}.fn).params === ${n} && ` +
        `depth < ${MAX_CALL_DEPTH - 1} && ${newBp} + f.frameSize <= ${MAX_STACK_SLOTS} && ` +
        `(jf = f.jit === undefined ? rt.jitFor(f) : f.jit) !== null)) ` +
        e.exit(ExitKind.NoCall, pc),
    );
    // The countdown goes in as an argument and comes back through the runtime (or the exit path).
    if (e.flush !== "") e.out(e.flush);
    e.out(`t = jf(rt, ${callee}, ${newBp}, depth + 1, budget${args});`);
    if (self) e.out("}");
  }
  e.out(`if (t === EXIT) return ${e.unwind(pc)};`);
  e.out(`s${result} = t; budget = rt.budget; ${e.selfContained ? "" : e.reload}`);
}
