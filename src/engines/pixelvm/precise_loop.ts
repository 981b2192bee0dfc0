/**
 * The precise loop: one plain instruction at a time, every check spelled out, traps raised with
 * the exact pc, op and stack. It runs host operations (`PRINT`, `PRINT_STR`, `HOST_CALL`), the
 * single instructions the fast loop hands over, and whole runs under `--trace`/`--profile`, so the
 * fast loop carries no tracing or profiling cost at all.
 *
 * @module
 */
import type { Host } from "../../host/host.ts";
import {
  type DecodedProgram,
  I_CALL,
  I_DUP,
  I_END,
  I_ENTER,
  I_HALT,
  I_HOST,
  I_JMP,
  I_JNZ,
  I_JZ,
  I_LGET,
  I_LOAD,
  I_LOADB,
  I_LSET,
  I_NEG,
  I_NOP,
  I_NOT,
  I_OVER,
  I_POP,
  I_PRINT,
  I_PRINT_STR,
  I_PUSH,
  I_RET,
  I_RETN,
  I_ROT,
  I_STORE,
  I_STOREB,
  I_SWAP,
  INTERNAL_NAMES,
} from "./decode.ts";
import { hostCall, pop, push } from "./host_calls.ts";
import { pixelHostCall } from "./isa.ts";
import { BINARY_OPS } from "./op_semantics.ts";
import { ST_HALT, ST_SLICE, stackSnapshot, trap, type VmState } from "./state.ts";

/** Observers of the precise loop (`--trace`, `--profile`). */
export interface PreciseHooks {
  /** Receives one line per instruction, before it runs. */
  trace?: (line: string) => void;
  /** Executions per internal opcode. */
  opCounts?: Float64Array;
  /** Executions per instruction index. */
  pcCounts?: Float64Array;
}

/** The operand of instruction `k` as assembly text (labels for targets, literals for strings). */
export function operandText(p: DecodedProgram, k: number): string {
  const op = p.plain[k * 4], a = p.plain[k * 4 + 1];
  if (op === I_JMP || op === I_JZ || op === I_JNZ || op === I_CALL) {
    return p.labels.get(a) ?? `L_${p.offsets[a]}`;
  }
  if (op === I_PRINT_STR) return JSON.stringify(p.strings[a]);
  if (op === I_HOST) return pixelHostCall(a)?.name ?? String(a);
  if (op === I_PUSH || op === I_ENTER || op === I_LGET || op === I_LSET || op === I_RETN) {
    return String(a);
  }
  return "";
}

function traceLine(p: DecodedProgram, st: VmState): string {
  const k = st.pc;
  const text = `${INTERNAL_NAMES[p.plain[k * 4]]} ${operandText(p, k)}`.trim();
  return `${String(p.offsets[k]).padStart(6)}  ${text.padEnd(24)} [${
    stackSnapshot(st, 8).join(" ")
  }]`;
}

/**
 * Runs plain instructions from `st.pc` until `budget` fuel is spent (returns `ST_SLICE` before
 * the next instruction) or `HALT` (`ST_HALT`). Throws `E_TRAP` for guest faults.
 */
export async function runPrecise(
  p: DecodedProgram,
  st: VmState,
  host: Host,
  budget: number,
  hooks?: PreciseHooks,
): Promise<number> {
  const code = p.plain;
  const s = st.stack;
  let f = budget;
  const need = (n: number) => {
    if (st.sp < n) throw trap(p, st, `stack underflow (needs ${n}, has ${st.sp})`);
  };
  try {
    for (;;) {
      if (f <= 0) return ST_SLICE;
      const r = st.pc * 4;
      const op = code[r], a = code[r + 1];
      if (hooks) {
        hooks.trace?.(traceLine(p, st));
        if (hooks.opCounts) hooks.opCounts[op]++;
        if (hooks.pcCounts) hooks.pcCounts[st.pc]++;
      }
      f--;
      switch (op) {
        case I_PUSH:
          push(p, st, a);
          break;
        case I_POP:
          pop(p, st);
          break;
        case I_NEG:
          need(1);
          s[st.sp - 1] = -s[st.sp - 1] | 0;
          break;
        case I_NOT:
          need(1);
          s[st.sp - 1] = ~s[st.sp - 1];
          break;
        case I_DUP:
        case I_OVER: {
          // Copy the value `below` places down (1: the top, 2: the second) to the top.
          const below = op === I_DUP ? 1 : 2;
          need(below);
          push(p, st, s[st.sp - below]);
          break;
        }
        case I_SWAP:
        case I_ROT: {
          // Rotate the top n values: the lowest of them goes to the top (a b -- b a, a b c -- b c a).
          const n = op === I_SWAP ? 2 : 3;
          need(n);
          const lowest = s[st.sp - n];
          s.copyWithin(st.sp - n, st.sp - n + 1, st.sp);
          s[st.sp - 1] = lowest;
          break;
        }
        case I_PRINT: {
          need(1);
          await host.invoke("console.write", [`${s[st.sp - 1]}\n`]);
          st.sp--;
          break;
        }
        case I_PRINT_STR:
          await host.invoke("console.write", [`${p.strings[a]}\n`]);
          break;
        case I_HOST:
          need(pixelHostCall(a)?.pops ?? 0);
          await hostCall(p, st, host, a);
          break;
        case I_JMP:
          st.pc = a;
          continue;
        case I_JZ:
          st.pc = pop(p, st) === 0 ? a : st.pc + 1;
          continue;
        case I_JNZ:
          st.pc = pop(p, st) !== 0 ? a : st.pc + 1;
          continue;
        case I_CALL:
          if (p.singleStack) {
            push(p, st, p.offsets[st.pc + 1]); // the seed's return address: a code byte offset
            st.pc = a;
            continue;
          }
          if (st.rsp >= st.rstack.length) {
            throw trap(p, st, `call stack overflow (${st.rstack.length / 2} frames)`);
          }
          st.rstack[st.rsp++] = st.pc + 1;
          st.rstack[st.rsp++] = st.fp;
          st.pc = a;
          continue;
        case I_RET:
        case I_RETN: {
          if (p.singleStack) {
            st.pc = seedReturn(p, st);
            continue;
          }
          if (st.rsp < 2) throw trap(p, st, "bad return address: return with no caller");
          if (op === I_RETN) {
            if (st.sp - a < st.fp) {
              throw trap(p, st, `RETN ${a}: only ${st.sp - st.fp} values above the frame base`);
            }
            s.copyWithin(st.fp, st.sp - a, st.sp);
            st.sp = st.fp + a;
          }
          st.fp = st.rstack[--st.rsp];
          st.pc = st.rstack[--st.rsp];
          continue;
        }
        case I_ENTER:
          need(a);
          st.fp = st.sp - a;
          break;
        case I_LGET:
          if (st.fp + a >= st.sp) throw trap(p, st, `local ${a} is outside the frame`);
          push(p, st, s[st.fp + a]);
          break;
        case I_LSET: {
          const v = pop(p, st);
          if (st.fp + a >= st.sp) {
            st.sp++;
            throw trap(p, st, `local ${a} is outside the frame`);
          }
          s[st.fp + a] = v;
          break;
        }
        case I_LOAD:
        case I_LOADB: {
          need(1);
          const mem = op === I_LOAD ? st.mem32 : st.mem8;
          s[st.sp - 1] = mem[checkedAddress(p, st, mem)];
          break;
        }
        case I_STORE:
        case I_STOREB: {
          need(2);
          const mem = op === I_STORE ? st.mem32 : st.mem8;
          mem[checkedAddress(p, st, mem)] = s[st.sp - 2];
          st.sp -= 2;
          break;
        }
        case I_NOP:
          break;
        case I_HALT:
          return ST_HALT;
        case I_END:
          throw trap(p, st, "ran past the end of the code (missing HALT?)");
        default: {
          const binary = BINARY_OPS.get(op);
          if (!binary) throw trap(p, st, `internal: no handler for op ${op}`);
          need(2);
          if (binary.trapsOnZero && s[st.sp - 1] === 0) throw trap(p, st, "division by zero");
          const b = s[--st.sp];
          s[st.sp - 1] = binary.apply(s[st.sp - 1], b);
        }
      }
      st.pc++; // control transfers set pc themselves and continue
    }
  } finally {
    st.used = budget - f;
  }
}

/** The address on top of the stack, checked against `mem` (words or bytes); traps outside. */
function checkedAddress(p: DecodedProgram, st: VmState, mem: Int32Array | Uint8Array): number {
  const at = st.stack[st.sp - 1];
  if (at < 0 || at >= mem.length) {
    const unit = mem === st.mem32 ? "word" : "byte";
    throw trap(p, st, `out-of-range memory: ${unit} ${at} is outside 0–${mem.length - 1}`);
  }
  return at;
}

/**
 * `RET` under the seed's single stack: pops the return address (a code byte offset) and gives the
 * index of the instruction there; traps when it is not where an instruction starts.
 */
function seedReturn(p: DecodedProgram, st: VmState): number {
  if (st.sp < 1) throw trap(p, st, "stack underflow (RET needs a return address, has 0 values)");
  const at = st.stack[st.sp - 1];
  const k = at >= 0 && at < p.indexAt.length ? p.indexAt[at] : -1;
  if (k < 0) {
    throw trap(
      p,
      st,
      `bad return address: RET popped ${at}, which is not the start of an instruction ` +
        `(0–${p.indexAt.length - 1})`,
    );
  }
  st.sp--;
  return k;
}
