/**
 * Bytecode verifier: run on every module before the VM touches it, because `.pbc` files are
 * untrusted. It checks that every opcode exists, operands are in range (constants, locals,
 * upvalues, globals, functions, built-ins), jumps land on instruction boundaries, closures
 * capture only slots their creator has, the stack never underflows and has one depth at every
 * join point, and no path falls off the end of the code. It returns each function's maximum
 * stack depth, which the VM uses to bound its value stack.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { BUILTINS } from "./builtins.ts";
import { OP_BY_CODE, type OpSpec } from "./isa.ts";
import type { PohModule, PohProto } from "./module.ts";

/** Instructions whose constant operand must be a number (their fast paths assume it). */
const NUMBER_CONST_OPS = new Set([
  "ADD_CONST",
  "SUB_CONST",
  "INC_LOCAL",
  "LOCAL_ADD_CONST",
  "LOCAL_SUB_CONST",
]);

/** Largest stack one function may need; keeps a hostile file from sizing huge frames. */
export const MAX_FUNCTION_STACK = 65536;

/** What verification learns about each function. */
export interface VerifiedFunction {
  /** Deepest operand stack (above the locals) any path reaches. */
  maxStack: number;
  /** Operand-stack depth before each instruction (-1 where no path reaches). */
  depths: Int32Array;
}

/**
 * Verifies a module; throws `PxosError` `E_VERIFY` naming the function and offset at fault.
 *
 * @param module the module from `readPbc` (or the compiler)
 * @returns per-function facts, in function order
 */
export function verifyModule(module: PohModule): VerifiedFunction[] {
  const main = module.functions[0];
  if (!main) throw new PxosError("E_VERIFY", "expected a main function, found none");
  if (main.paramCount !== 0 || main.upvalues.length !== 0) {
    throw new PxosError("E_VERIFY", "expected main to take no parameters and capture nothing");
  }
  return module.functions.map((f, i) => verifyFunction(module, f, i));
}

function verifyFunction(module: PohModule, f: PohProto, fIndex: number): VerifiedFunction {
  const fail = (pc: number, what: string): never => {
    throw new PxosError("E_VERIFY", `function ${fIndex} (${f.name}) @ ${pc}: ${what}`, {
      details: { function: fIndex, pc },
    });
  };
  const code = f.code;
  const starts = new Uint8Array(code.length + 1);
  const specs: (OpSpec | undefined)[] = [];
  // Pass 1: decode, mark instruction starts, check operand ranges.
  for (let pc = 0; pc < code.length;) {
    const found = OP_BY_CODE[code[pc]];
    if (!found) return fail(pc, `expected an opcode, found ${code[pc]}`);
    const spec: OpSpec = found;
    if (pc + spec.operands.length >= code.length) {
      fail(pc, `${spec.name} is cut off by the end of the code`);
    }
    starts[pc] = 1;
    specs[pc] = spec;
    spec.operands.forEach((kind, k) => {
      const v = code[pc + 1 + k];
      const limit = kind === "const"
        ? module.consts.length
        : kind === "local"
        ? f.localNames.length
        : kind === "upval"
        ? f.upvalues.length
        : kind === "global"
        ? module.globals.length
        : kind === "func"
        ? module.functions.length
        : kind === "builtin"
        ? BUILTINS.length
        : kind === "target"
        ? code.length
        : 65536;
      if (v < 0 || v >= limit || (kind === "func" && v === 0)) {
        fail(pc, `${spec.name} operand ${k + 1} (${kind}) must be in 0–${limit - 1}, found ${v}`);
      }
    });
    pc += 1 + spec.operands.length;
  }
  // Pass 2: targets on boundaries, typed constants, closure captures, built-in arity.
  for (let pc = 0; pc < code.length; pc += 1 + specs[pc]!.operands.length) {
    const spec = specs[pc]!;
    spec.operands.forEach((kind, k) => {
      const v = code[pc + 1 + k];
      if (kind === "target" && !starts[v]) {
        fail(pc, `${spec.name} jumps into the middle of an instruction (${v})`);
      }
    });
    if (NUMBER_CONST_OPS.has(spec.name)) {
      const k = code[pc + 1 + spec.operands.indexOf("const")];
      if (typeof module.consts[k] !== "number") fail(pc, `${spec.name} needs a number constant`);
    }
    if (spec.name === "ERROR_IS_TYPE" && typeof module.consts[code[pc + 1]] !== "string") {
      fail(pc, "ERROR_IS_TYPE needs a text constant");
    }
    if (spec.name === "BUILTIN") {
      const b = BUILTINS[code[pc + 1]];
      const n = code[pc + 2];
      if (n < b.min || n > b.max) {
        fail(pc, `built-in ${b.name} takes ${b.min}–${b.max} arguments, found ${n}`);
      }
    }
    if (spec.name === "IMPORT") {
      const target = module.functions[code[pc + 1]];
      if (target.paramCount !== 0 || target.upvalues.length !== 0) {
        fail(pc, `IMPORT of ${target.name}: a module takes no parameters and captures nothing`);
      }
    }
    if (spec.name === "CLOSURE") {
      const target = module.functions[code[pc + 1]];
      for (const u of target.upvalues) {
        const limit = u.fromParentLocal ? f.localNames.length : f.upvalues.length;
        if (u.index >= limit) {
          fail(pc, `CLOSURE of ${target.name} captures slot ${u.index} of ${limit}`);
        }
      }
    }
  }
  // Pass 3: stack depths by abstract interpretation over the control-flow graph.
  const depth = new Int32Array(code.length).fill(-1);
  const work: number[] = [];
  let maxStack = 0;
  const flow = (from: number, to: number, d: number) => {
    if (to >= code.length) fail(from, "execution can run past the end of the code");
    if (depth[to] === -1) {
      depth[to] = d;
      work.push(to);
    } else if (depth[to] !== d) {
      fail(to, `stack depth ${d} here disagrees with ${depth[to]} on another path`);
    }
  };
  if (code.length === 0) fail(0, "a function needs at least one instruction");
  flow(0, 0, 0);
  while (work.length > 0) {
    const pc = work.pop()!;
    const spec = specs[pc]!;
    const d = depth[pc];
    const n = spec.operands.length > 0 ? code[pc + spec.operands.length] : 0;
    const pop = spec.pop === "n"
      ? n
      : spec.pop === "n+1"
      ? n + 1
      : spec.pop === "2n"
      ? 2 * n
      : spec.pop;
    if (pop > d) fail(pc, `${spec.name} needs ${pop} values, the stack holds ${d}`);
    const after = d - pop + spec.push;
    if (after > maxStack) maxStack = after;
    if (maxStack > MAX_FUNCTION_STACK) fail(pc, `stack deeper than ${MAX_FUNCTION_STACK}`);
    const next = pc + 1 + spec.operands.length;
    const targetAt = spec.operands.indexOf("target");
    if (targetAt >= 0) {
      const t = code[pc + 1 + targetAt];
      // A handler starts with the stack as it was at TRY_BEGIN, plus the error; a finished
      // FOR_NEXT jumps without pushing an item.
      flow(pc, t, spec.name === "TRY_BEGIN" ? d + 1 : spec.name === "FOR_NEXT" ? d : after);
    }
    if (!spec.ends) flow(pc, next, after);
  }
  let lastPc = -1;
  for (const l of f.lines) {
    if (l.pc <= lastPc || l.pc >= code.length) {
      fail(l.pc, "line table entries must be increasing and inside the code");
    }
    lastPc = l.pc;
  }
  return { maxStack, depths: depth };
}
