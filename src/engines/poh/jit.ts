/**
 * The fast tier of the PohLang VM: translates one verified function's bytecode into one
 * JavaScript function (`new Function`), with the function's locals and operand-stack slots as JS
 * variables and basic blocks as `switch` cases. Compiled functions call each other directly on
 * the host stack, at most `MAX_CALL_DEPTH` deep, so recursion (fib) runs near plain-JS speed.
 *
 * Safety is the interpreter's, instruction for instruction:
 * - Only numbers reach the generated source (slots, pcs, counts, constant indexes, and number
 *   constants formatted by `String`); text constants are read from the constant pool at run
 *   time, never embedded, so a program cannot inject code.
 * - Fuel is charged per straight-line segment before it runs (segments end at jumps, jump
 *   targets and calls) and the deadline is checked between chunks, as in the interpreter; the
 *   last units of fuel are spent in the interpreter so `E_FUEL` stops at the same instruction.
 * - Anything compiled code does not do itself — a call to a function that is not compiled, a
 *   call deeper than the limit, a guest error — exits to the interpreter: each compiled frame
 *   writes its variables back into the VM's value stack in the interpreter's layout
 *   (`jit_runtime.ts`), and the interpreter carries on, so `try` handlers, Poh stack traces and
 *   RecursionErrors come out exactly as without this tier.
 * - Functions that write, read input, call the host, use `try` or import are never compiled:
 *   compiled code never waits for a Promise.
 *
 * @module
 */
import { BUILTINS, HOST_BACKED_BUILTINS } from "./builtins.ts";
import { OP_BY_CODE } from "./isa.ts";
import { type CompiledFn, JIT_HELPERS, type JitMeta } from "./jit_runtime.ts";
import { MAX_CALL_DEPTH } from "./runtime.ts";
import {
  type LoadedFunction,
  type LoadedPohModule,
  MAX_STACK_SLOTS,
  VmClosure,
} from "./vm_support.ts";

/** Largest function (code words) worth compiling; bounds the generated source. */
const MAX_JIT_WORDS = 20000;
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

const ORDER: Record<number, string> = { 26: "<", 27: "<=", 28: ">", 29: ">=" };
const JUMP_ORDER: Record<number, string> = { 33: "<", 34: "<=", 35: ">", 36: ">=" };
const JUMP_ORDER_LK: Record<number, string> = { 61: "<", 62: "<=", 63: ">", 64: ">=" };

/** Source of "unless `x o y`, jump": the comparison inline for two numbers, `slow` otherwise. */
function orderJump(x: string, o: string, y: string, slow: string, jump: string): string {
  return `if (!(typeof ${x} === "number" && typeof ${y} === "number" ? ${x} ${o} ${y} : ` +
    `${slow})) ${jump}`;
}

/**
 * Compiles `fn` to a JS function, or returns null when it must stay interpreted.
 *
 * @param fn the verified function
 * @param loaded its module
 * @returns the compiled function, or null
 */
export function compilePohFunction(
  fn: LoadedFunction,
  loaded: LoadedPohModule,
): CompiledFn | null {
  const plan = planFunction(fn);
  if (plan === null) return null;
  const meta: JitMeta = { fn, depth: fn.depths, refund: plan.refund };
  const source = generate(fn, loaded, plan);
  try {
    const factory = new Function("H", "K", "META", "VmClosure", "FUNCS", "NAMES", source);
    return factory(
      JIT_HELPERS,
      loaded.consts,
      meta,
      VmClosure,
      loaded.functions,
      loaded.module.globals,
    ) as CompiledFn;
  } catch {
    // A translation the host refuses (never expected): the interpreter runs the function.
    return null;
  }
}

interface Plan {
  /** Instruction starts, in order. */
  pcs: number[];
  /** Block starts (jump targets and the instruction after a jump or an end). */
  leaders: Set<number>;
  /** Fuel charged at each segment start. */
  cost: Map<number, number>;
  /** Instructions charged with each one that come after it. */
  refund: Int32Array;
}

/** Decides whether `fn` can be compiled, and finds its blocks and fuel segments. */
function planFunction(fn: LoadedFunction): Plan | null {
  const code = fn.code;
  if (fn.index === 0 || code.length > MAX_JIT_WORDS) return null;
  if (fn.localCount + fn.maxStack > MAX_JIT_SLOTS || fn.params > MAX_JIT_SLOTS) return null;
  const pcs: number[] = [];
  const leaders = new Set<number>([0]);
  const segmentStarts = new Set<number>([0]);
  for (let pc = 0; pc < code.length;) {
    const spec = OP_BY_CODE[code[pc]]!;
    const next = pc + 1 + spec.operands.length;
    if (fn.depths[pc] >= 0) {
      if (!COMPILED_OPS.has(spec.name)) return null;
      if (spec.name === "BUILTIN" && HOST_BACKED_BUILTINS.has(BUILTINS[code[pc + 1]].name)) {
        return null;
      }
      pcs.push(pc);
    }
    const t = spec.operands.indexOf("target");
    if (t >= 0) {
      leaders.add(code[pc + 1 + t]);
      leaders.add(next);
    }
    if (spec.ends) leaders.add(next);
    if (spec.name === "CALL" || spec.name === "CALL_GLOBAL") segmentStarts.add(next);
    pc = next;
  }
  for (const l of leaders) segmentStarts.add(l);
  const cost = new Map<number, number>();
  const refund = new Int32Array(code.length);
  for (let i = 0; i < pcs.length;) {
    let j = i + 1;
    while (j < pcs.length && !segmentStarts.has(pcs[j])) j++;
    cost.set(pcs[i], j - i);
    for (let k = i; k < j; k++) refund[pcs[k]] = j - k - 1;
    i = j;
  }
  return { pcs, leaders, cost, refund };
}

/** The generated function's source. */
function generate(fn: LoadedFunction, loaded: LoadedPohModule, plan: Plan): string {
  const code = fn.code;
  const consts = loaded.consts;
  const L = fn.localCount;
  const P = fn.params;
  const lines: string[] = [];
  const out = (s: string) => lines.push(s);
  /** A constant as source: finite numbers inline, everything else read from the pool. */
  const lit = (k: number): string => {
    const v = consts[k];
    if (typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0)) return `(${String(v)})`;
    if (v === null || typeof v === "boolean") return String(v);
    return `K[${k}]`;
  };
  const jump = (t: number) => `{ blk = ${t}; continue; }`;
  const local = (pc: number, i: number, into: string) => {
    out(`t = l${i};`);
    if (i >= P) out(`if (t === UNSET) unsetLocal(${pc}, META, ${i});`);
    out(`${into} = t;`);
  };

  for (const pc of plan.pcs) {
    if (plan.leaders.has(pc)) out(`case ${pc}:`);
    const n = plan.cost.get(pc);
    if (n !== undefined) out(`if ((rt.budget -= ${n}) < 0) rt.refuel(${n}, ${pc});`);
    const op = code[pc];
    const a = code[pc + 1];
    const b = code[pc + 2];
    const c = code[pc + 3];
    const d = fn.depths[pc];
    const s = (i: number) => `s${i}`;
    const top = s(d - 1);
    const second = s(d - 2);
    switch (op) {
      case 1: // CONST
        out(`${s(d)} = ${lit(a)};`);
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
        local(pc, a, s(d));
        break;
      case 8: // STORE_LOCAL
        out(`l${a} = ${top};`);
        break;
      case 9: // LOAD_CELL
        out(`t = l${a}; if (!(t instanceof Cell)) noCell(${pc}); t = t.v;`);
        out(`if (t === UNSET) unsetLocal(${pc}, META, ${a}); ${s(d)} = t;`);
        break;
      case 10: // STORE_CELL
        out(`t = l${a}; if (!(t instanceof Cell)) noCell(${pc}); t.v = ${top};`);
        break;
      case 11: // MAKE_CELL
        out(`l${a} = new Cell(l${a});`);
        break;
      case 12: // LOAD_UPVAL
        out(`t = closure.upvals[${a}].v; if (t === UNSET) unsetUpval(${pc}, META, ${a});`);
        out(`${s(d)} = t;`);
        break;
      case 13: // STORE_UPVAL
        out(`closure.upvals[${a}].v = ${top};`);
        break;
      case 14: // LOAD_GLOBAL
        out(`t = G[${a}]; if (t === UNSET) unsetGlobal(${pc}, rt, NAMES, ${a}); ${s(d)} = t;`);
        break;
      case 15: // STORE_GLOBAL
        out(`G[${a}] = ${top};`);
        break;
      case 16: // ADD
        out(
          `${second} = typeof ${second} === "number" && typeof ${top} === "number" ? ` +
            `${second} + ${top} : addSlow(${pc}, ${second}, ${top}, rt);`,
        );
        break;
      case 17: // SUB
      case 18: { // MUL
        const o = op === 17 ? "-" : "*";
        out(
          `${second} = typeof ${second} === "number" && typeof ${top} === "number" ? ` +
            `${second} ${o} ${top} : arithSlow(${pc}, "${o}", ${second}, ${top});`,
        );
        break;
      }
      case 19: // DIV
      case 20: { // MOD
        const o = op === 19 ? "/" : "%";
        out(
          `${second} = typeof ${second} === "number" && typeof ${top} === "number" && ` +
            `${top} !== 0 ? ${second} ${o} ${top} : arithSlow(${pc}, "${o}", ${second}, ${top});`,
        );
        break;
      }
      case 21: // NEG
        out(`t = ${top}; ${top} = typeof t === "number" ? -t : negateSlow(${pc}, t);`);
        break;
      case 22: // NOT
        out(`${top} = !truthy(${top});`);
        break;
      case 23: // TO_BOOL
        out(`${top} = truthy(${top});`);
        break;
      case 24: // EQ
      case 25: // NE
        out(
          `${second} = ${op === 25 ? "!" : ""}(${second} === ${top} || ` +
            `equalSlow(${pc}, ${second}, ${top}));`,
        );
        break;
      case 26: // LT
      case 27: // LE
      case 28: // GT
      case 29: // GE
        out(
          `${second} = typeof ${second} === "number" && typeof ${top} === "number" ? ` +
            `${second} ${ORDER[op]} ${top} : compareSlow(${pc}, "${
              ORDER[op]
            }", ${second}, ${top});`,
        );
        break;
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
        const slow = `compareSlow(${pc}, "${o}", ${second}, ${top})`;
        out(orderJump(second, o, top, slow, jump(a)));
        break;
      }
      case 37: // JUMP_IF_NOT_EQ
      case 38: // JUMP_IF_NOT_NE
        out(
          `if (${op === 37 ? "!" : ""}(${second} === ${top} || ` +
            `equalSlow(${pc}, ${second}, ${top}))) ${jump(a)}`,
        );
        break;
      case 39: // ADD_CONST
        out(
          `t = ${top}; ${top} = typeof t === "number" ? t + ${lit(a)} : ` +
            `addSlow(${pc}, t, ${lit(a)}, rt);`,
        );
        break;
      case 40: // SUB_CONST
        out(
          `t = ${top}; ${top} = typeof t === "number" ? t - ${lit(a)} : ` +
            `arithSlow(${pc}, "-", t, ${lit(a)});`,
        );
        break;
      case 41: // INC_LOCAL
        out(
          `t = l${a}; l${a} = typeof t === "number" ? t + ${lit(b)} : ` +
            `localAddSlow(${pc}, META, ${a}, t, ${lit(b)}, rt);`,
        );
        break;
      case 42: // CALL
        call(pc, d, a, `${s(d - a - 1)}`, d - a - 1);
        break;
      case 43: // CALL_GLOBAL
        out(`t = G[${a}];`);
        call(pc, d, b, "t", d - b);
        break;
      case 44: // RETURN
        out(`return ${top};`);
        break;
      case 45: // RETURN_NULL
        out(`return null;`);
        break;
      case 67: // RETURN_LOCAL
        local(pc, a, "t");
        out(`return t;`);
        break;
      case 46: { // CLOSURE
        const cells = loaded.functions[a].proto.upvalues.map((u) =>
          u.fromParentLocal
            ? `(l${u.index} instanceof Cell ? l${u.index} : noCell(${pc}))`
            : `closure.upvals[${u.index}]`
        );
        out(`${s(d)} = new VmClosure(FUNCS[${a}], [${cells.join(", ")}]);`);
        break;
      }
      case 47: // MAKE_LIST
        out(`${s(d - a)} = [${range(d - a, d).map(s).join(", ")}];`);
        break;
      case 48: // MAKE_DICT
        out(`${s(d - 2 * a)} = makeDictSlow(${pc}, [${range(d - 2 * a, d).map(s).join(", ")}]);`);
        break;
      case 49: // INDEX
        out(`t = ${second}; u = ${top};`);
        out(
          `${second} = isArray(t) && typeof u === "number" && u >= 0 && u < t.length && ` +
            `(u | 0) === u ? t[u] : indexSlow(${pc}, t, u);`,
        );
        break;
      case 50: // SET_INDEX
        out(`setIndexSlow(${pc}, ${s(d - 3)}, ${second}, ${top});`);
        break;
      case 51: // BUILTIN
        out(`${s(d - b)} = builtinSlow(${pc}, ${a}, [${range(d - b, d).map(s).join(", ")}], rt);`);
        break;
      case 57: // THROW
        out(`throwSlow(${pc}, ${top});`);
        break;
      case 59: // TO_COUNT
        out(`t = ${top}; ${top} = typeof t === "number" ? Math.floor(t) : toCountSlow(${pc}, t);`);
        break;
      case 60: // JUMP_IF_SET
        out(`if (l${a} !== UNSET) ${jump(b)}`);
        break;
      case 61: // JUMP_IF_NOT_LT_LK
      case 62: // JUMP_IF_NOT_LE_LK
      case 63: // JUMP_IF_NOT_GT_LK
      case 64: { // JUMP_IF_NOT_GE_LK
        const o = JUMP_ORDER_LK[op];
        const k = lit(b);
        const slow = `compareLocalSlow(${pc}, META, ${a}, "${o}", t, ${k})`;
        out(`t = l${a}; ` + orderJump("t", o, k, slow, jump(c)));
        break;
      }
      case 65: // JUMP_IF_NOT_EQ_LK
      case 66: // JUMP_IF_NOT_NE_LK
        out(
          `t = l${a}; if (${op === 65 ? "!" : ""}(t === ${lit(b)} || ` +
            `equalLocalSlow(${pc}, META, ${a}, t, ${lit(b)}))) ${jump(c)}`,
        );
        break;
      case 68: // LOCAL_ADD_CONST
        out(
          `t = l${a}; ${s(d)} = typeof t === "number" ? t + ${lit(b)} : ` +
            `localAddSlow(${pc}, META, ${a}, t, ${lit(b)}, rt);`,
        );
        break;
      case 69: // LOCAL_SUB_CONST
        out(
          `t = l${a}; ${s(d)} = typeof t === "number" ? t - ${lit(b)} : ` +
            `localSubSlow(${pc}, META, ${a}, t, ${lit(b)});`,
        );
        break;
      case 70: // FOR_NEXT
        out(`t = l${a}; u = l${b};`);
        out(
          `if (!isArray(t) || typeof u !== "number" || (u | 0) !== u || u < 0) ` +
            `badWalkSlow(${pc});`,
        );
        out(`if (u < t.length) { l${b} = u + 1; ${s(d)} = t[u]; } else ${jump(c)}`);
        break;
      default:
        throw new Error(`internal: no translation for opcode ${op}`);
    }
  }

  /** A call: compiled callees are called directly; anything else exits at the call. */
  function call(pc: number, d: number, n: number, callee: string, result: number): void {
    const newBp = `bp + ${L + d - n}`;
    const args = range(d - n, d).map((i) => `s${i}`);
    out(`at = ${pc};`);
    out(
      `if (!(${callee} instanceof VmClosure && (f = ${callee}.fn).params === ${n} && ` +
        `depth < ${MAX_CALL_DEPTH - 1} && ${newBp} + f.frameSize <= ${MAX_STACK_SLOTS} && ` +
        `(jf = f.jit === undefined ? rt.jitFor(f) : f.jit) !== null)) throw rt.deopt(${pc}, META);`,
    );
    out(
      `s${result} = jf(rt, ${callee}, ${newBp}, depth + 1${args.map((x) => ", " + x).join("")});`,
    );
  }

  const params = range(0, P).map((i) => `a${i}`);
  const locals = range(0, L).map((i) => `l${i}`);
  const temps = range(0, fn.maxStack).map((i) => `s${i}`);
  const decl = locals.map((l, i) => `${l} = ${i < P ? `a${i}` : "UNSET"}`);
  return [
    '"use strict";',
    "const { " + Object.keys(JIT_HELPERS).join(", ") + " } = H;",
    `return function poh_${fn.index}(rt, closure, bp, depth${
      params.map((p) => ", " + p).join("")
    }) {`,
    decl.length ? `let ${decl.join(", ")};` : "",
    temps.length ? `let ${temps.join(", ")};` : "",
    "let at = -1, blk = 0, t, u, f, jf;",
    "const G = rt.globals;",
    "try {",
    "for (;;) switch (blk) {",
    ...lines,
    'default: throw new Error("internal: no block " + blk);',
    "}",
    "} catch (e) {",
    `rt.spill(e, META, closure, bp, depth, at, [${locals.join(", ")}], [${temps.join(", ")}]);`,
    "throw e;",
    "}",
    "};",
  ].join("\n");
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}
