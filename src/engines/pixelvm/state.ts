/**
 * The PixelVM machine state shared by both dispatch loops, its fixed bounds, and the trap builder.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { GuestPlace } from "../limit_errors.ts";
import { enclosingLabel, sourceLineAt } from "../source_map.ts";
import { callTraceLines } from "./call_trace.ts";
import { type DecodedProgram, INTERNAL_NAMES } from "./decode.ts";

/** Data stack slots (i32 each): a push beyond this traps with "stack overflow". */
export const STACK_SLOTS = 65536;
/** Call depth: a `CALL` beyond this traps with "call stack overflow". */
export const CALL_DEPTH = 16384;
/** Values from the top of the stack a trap reports in `details.stack`. */
export const TRAP_STACK_SNAPSHOT = 16;

/** Loop exit: the fuel slice ran out at a control transfer (instruction at `pc` not run). */
export const ST_SLICE = 0;
/** Loop exit: `HALT` ran. */
export const ST_HALT = 1;
/** Loop exit (fast loop only): let the precise loop run the instruction at `pc`. */
export const ST_SLOW = 2;

/** Registers and memories of a running program. */
export interface VmState {
  /** Instruction index of the next instruction. */
  pc: number;
  /** Data stack height. */
  sp: number;
  /** Frame base (stack index of local 0). */
  fp: number;
  /** Call stack height in words (two per frame: return index, saved frame base). */
  rsp: number;
  /** The data stack. */
  stack: Int32Array;
  /** The call stack. */
  rstack: Int32Array;
  /** Memory as bytes. */
  mem8: Uint8Array;
  /** The same memory as words (word w = bytes 4w..4w+3, little-endian). */
  mem32: Int32Array;
  /** Fuel the last loop call used. */
  used: number;
}

/** A fresh state for `program`: empty stacks, memory holding the module's data at address 0. */
export function newState(program: DecodedProgram): VmState {
  const mem8 = new Uint8Array(program.module.memoryBytes);
  mem8.set(program.module.data);
  return {
    pc: 0,
    sp: 0,
    fp: 0,
    rsp: 0,
    stack: new Int32Array(STACK_SLOTS),
    rstack: new Int32Array(CALL_DEPTH * 2),
    mem8,
    mem32: new Int32Array(mem8.buffer, 0, mem8.length >> 2),
    used: 0,
  };
}

/** The top of the data stack (at most {@link TRAP_STACK_SNAPSHOT} values, bottom first). */
export function stackSnapshot(st: VmState, max = TRAP_STACK_SNAPSHOT): number[] {
  return Array.from(st.stack.subarray(Math.max(0, st.sp - max), st.sp));
}

/**
 * Where instruction `k` is, for messages: the source file and line when the program has a source
 * map (else the bytecode file and byte offset), and `pc N (OP) in label` in words.
 */
export function placeOf(program: DecodedProgram, k: number): GuestPlace {
  const offset = program.offsets[k];
  const op = INTERNAL_NAMES[program.plain[k * 4]] ?? "?";
  const source = sourceLineAt(program.sourceMap, offset);
  const label = enclosingLabel(program.sourceMap, offset);
  return {
    file: source?.file ?? program.file,
    line: source?.line,
    offset,
    doing: `pc ${offset} (${op})${label ? ` in ${label}` : ""}`,
  };
}

/**
 * Builds the `E_TRAP` error for the instruction at `st.pc`: the message names the byte offset, the
 * op and (with a source map) the label it is under, then the call trace; the error carries the
 * source file and line;
 * `details` has `pc`, `op`, `sp` and a stack snapshot.
 */
export function trap(program: DecodedProgram, st: VmState, what: string): PxosError {
  const place = placeOf(program, st.pc);
  const op = INTERNAL_NAMES[program.plain[st.pc * 4]] ?? "?";
  const trace = callTraceLines(program, st);
  const message = [`trap at ${place.doing}: ${what}`, ...trace].join("\n");
  return new PxosError("E_TRAP", message, {
    file: place.file,
    line: place.line,
    offset: place.offset,
    details: { pc: place.offset, op, sp: st.sp, stack: stackSnapshot(st) },
  });
}
