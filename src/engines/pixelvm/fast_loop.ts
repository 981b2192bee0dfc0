/**
 * The fast dispatch loop: pre-decoded records with superinstructions, registers in locals, one
 * `switch`. It never builds errors and never talks to the host: whenever an instruction would trap
 * (or is a host operation, or the end sentinel), it stops *before* changing anything and returns
 * {@link ST_SLOW}, and the precise loop runs that one instruction (raising the exact trap). So the
 * two loops agree by construction, and this one pays nothing for tracing or error reporting.
 *
 * Fuel: every record subtracts the number of instructions it stands for; the budget is checked
 * before each jump and call (and the seed's `RET`, a computed jump). Every cycle in a program's
 * control flow passes through one of those (frame returns only unwind calls, and the base-case
 * superinstruction only jumps forward), so a
 * run overshoots its slice by a bounded amount: straight-line code plus returns, never a loop.
 *
 * The file is long for a reason: the dispatch must be one function with one `switch` (a call per
 * instruction would cost more than the work), so every case lives here. What the cases share
 * without a cost is shared: the exits (`break loop` to the precise loop, `break spent` when the
 * slice ran out) and the return tails after the `switch`, reached by `break` (see the comment at
 * the top of the `switch` for what stays spelled out, and why).
 *
 * Case labels are numeric literals (named in comments, numbered in decode.ts): V8 builds a jump
 * table only for constant cases, and imported bindings are not constants to it.
 *
 * @module
 */
import type { DecodedProgram } from "./decode.ts";
import { ST_HALT, ST_SLICE, ST_SLOW, type VmState } from "./state.ts";

/**
 * Runs from `st.pc` until the fuel `budget` is spent at a control transfer, `HALT`, or an
 * instruction the precise loop must handle. Returns the exit status; `st` holds the registers.
 */
export function runFast(p: DecodedProgram, st: VmState, budget: number): number {
  const code = p.fast;
  const s = st.stack, rs = st.rstack, m8 = st.mem8, m32 = st.mem32;
  const SMAX = s.length, RMAX = rs.length, WORDS = m32.length, BYTES = m8.length;
  const indexAt = p.indexAt, RETS = indexAt.length;
  let pc = st.pc << 2, sp = st.sp, fp = st.fp, rsp = st.rsp, f = budget;
  let status = ST_SLOW;
  let value = 0; // what a returning superinstruction leaves (the return tails below read it)
  exit: {
    spent: {
      loop: for (;;) {
        const r = pc;
        const op = code[r];
        ret: {
          retValue: {
            baseCase: {
              // Families of cases stay spelled out one per opcode, because sharing their bodies
              // measurably slows the loop (A/B in one process, interpreter only, median of 11
              // rounds): one case per condition family with an inlined `holds(cc, x, y)` made
              // fib(30) 5-7%, the sieve 5-9% and a compare-and-branch loop 5% slower; one case
              // for the binary operators with a `binary(op, a, b)` helper made an arithmetic
              // loop 7-8% slower. The second dispatch on the operator is what costs.
              switch (op) {
                case 0: // I_PUSH
                  if (sp >= SMAX) break loop;
                  s[sp++] = code[r + 1];
                  pc += 4;
                  f--;
                  continue;
                case 1: // I_POP
                  if (sp < 1) break loop;
                  sp--;
                  pc += 4;
                  f--;
                  continue;
                case 2: // I_ADD
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = (s[sp - 1] + s[sp]) | 0;
                  pc += 4;
                  f--;
                  continue;
                case 3: // I_SUB
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = (s[sp - 1] - s[sp]) | 0;
                  pc += 4;
                  f--;
                  continue;
                case 4: // I_MUL
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = Math.imul(s[sp - 1], s[sp]);
                  pc += 4;
                  f--;
                  continue;
                case 5: // I_DIV
                  if (sp < 2 || s[sp - 1] === 0) break loop;
                  sp--;
                  s[sp - 1] = (s[sp - 1] / s[sp]) | 0;
                  pc += 4;
                  f--;
                  continue;
                case 6: // I_MOD
                  if (sp < 2 || s[sp - 1] === 0) break loop;
                  sp--;
                  s[sp - 1] = (s[sp - 1] % s[sp]) | 0;
                  pc += 4;
                  f--;
                  continue;
                case 7: // I_NEG
                  if (sp < 1) break loop;
                  s[sp - 1] = -s[sp - 1] | 0;
                  pc += 4;
                  f--;
                  continue;
                case 8: // I_AND
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] &= s[sp];
                  pc += 4;
                  f--;
                  continue;
                case 9: // I_OR
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] |= s[sp];
                  pc += 4;
                  f--;
                  continue;
                case 10: // I_XOR
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] ^= s[sp];
                  pc += 4;
                  f--;
                  continue;
                case 11: // I_NOT
                  if (sp < 1) break loop;
                  s[sp - 1] = ~s[sp - 1];
                  pc += 4;
                  f--;
                  continue;
                case 12: // I_SHL
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] <<= s[sp];
                  pc += 4;
                  f--;
                  continue;
                case 13: // I_SHR
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] >>= s[sp];
                  pc += 4;
                  f--;
                  continue;
                case 14: // I_SHRU
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = s[sp - 1] >>> s[sp];
                  pc += 4;
                  f--;
                  continue;
                case 16: // I_DUP
                  if (sp < 1 || sp >= SMAX) break loop;
                  s[sp] = s[sp - 1];
                  sp++;
                  pc += 4;
                  f--;
                  continue;
                case 17: { // I_SWAP
                  if (sp < 2) break loop;
                  const t = s[sp - 1];
                  s[sp - 1] = s[sp - 2];
                  s[sp - 2] = t;
                  pc += 4;
                  f--;
                  continue;
                }
                case 19: // I_OVER
                  if (sp < 2 || sp >= SMAX) break loop;
                  s[sp] = s[sp - 2];
                  sp++;
                  pc += 4;
                  f--;
                  continue;
                case 20: { // I_ROT
                  if (sp < 3) break loop;
                  const a = s[sp - 3];
                  s[sp - 3] = s[sp - 2];
                  s[sp - 2] = s[sp - 1];
                  s[sp - 1] = a;
                  pc += 4;
                  f--;
                  continue;
                }
                case 21: // I_EQ
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = s[sp - 1] === s[sp] ? 1 : 0;
                  pc += 4;
                  f--;
                  continue;
                case 22: // I_LT
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = s[sp - 1] < s[sp] ? 1 : 0;
                  pc += 4;
                  f--;
                  continue;
                case 23: // I_GT
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = s[sp - 1] > s[sp] ? 1 : 0;
                  pc += 4;
                  f--;
                  continue;
                case 24: // I_NE
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = s[sp - 1] !== s[sp] ? 1 : 0;
                  pc += 4;
                  f--;
                  continue;
                case 25: // I_LE
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = s[sp - 1] <= s[sp] ? 1 : 0;
                  pc += 4;
                  f--;
                  continue;
                case 26: // I_GE
                  if (sp < 2) break loop;
                  sp--;
                  s[sp - 1] = s[sp - 1] >= s[sp] ? 1 : 0;
                  pc += 4;
                  f--;
                  continue;
                case 27: // I_JMP
                  if (f <= 0) break spent;
                  f--;
                  pc = code[r + 1];
                  continue;
                case 28: // I_JZ
                  if (f <= 0) break spent;
                  if (sp < 1) break loop;
                  f--;
                  pc = s[--sp] === 0 ? code[r + 1] : pc + 4;
                  continue;
                case 29: // I_JNZ
                  if (f <= 0) break spent;
                  if (sp < 1) break loop;
                  f--;
                  pc = s[--sp] !== 0 ? code[r + 1] : pc + 4;
                  continue;
                case 30: // I_CALL
                  if (f <= 0) break spent;
                  if (rsp >= RMAX) break loop;
                  rs[rsp++] = (pc >> 2) + 1;
                  rs[rsp++] = fp;
                  f--;
                  pc = code[r + 1];
                  continue;
                case 31: // I_RET
                  if (rsp < 2) break loop;
                  f--;
                  break ret;
                case 32: { // I_ENTER
                  const n = code[r + 1];
                  if (sp < n) break loop;
                  fp = sp - n;
                  pc += 4;
                  f--;
                  continue;
                }
                case 33: { // I_LGET
                  const x = fp + code[r + 1];
                  if (x >= sp || sp >= SMAX) break loop;
                  s[sp++] = s[x];
                  pc += 4;
                  f--;
                  continue;
                }
                case 34: { // I_LSET
                  const x = fp + code[r + 1];
                  if (x >= sp - 1) break loop;
                  s[x] = s[--sp];
                  pc += 4;
                  f--;
                  continue;
                }
                case 35: { // I_RETN
                  const k = code[r + 1];
                  if (rsp < 2 || sp - k < fp) break loop;
                  for (let j = 0; j < k; j++) s[fp + j] = s[sp - k + j];
                  sp = fp + k;
                  f--;
                  break ret;
                }
                case 36: { // I_LOAD
                  if (sp < 1) break loop;
                  const w = s[sp - 1];
                  if (w >>> 0 >= WORDS) break loop;
                  s[sp - 1] = m32[w];
                  pc += 4;
                  f--;
                  continue;
                }
                case 37: { // I_STORE
                  if (sp < 2) break loop;
                  const w = s[sp - 1];
                  if (w >>> 0 >= WORDS) break loop;
                  m32[w] = s[sp - 2];
                  sp -= 2;
                  pc += 4;
                  f--;
                  continue;
                }
                case 38: { // I_LOADB
                  if (sp < 1) break loop;
                  const a = s[sp - 1];
                  if (a >>> 0 >= BYTES) break loop;
                  s[sp - 1] = m8[a];
                  pc += 4;
                  f--;
                  continue;
                }
                case 39: { // I_STOREB
                  if (sp < 2) break loop;
                  const a = s[sp - 1];
                  if (a >>> 0 >= BYTES) break loop;
                  m8[a] = s[sp - 2];
                  sp -= 2;
                  pc += 4;
                  f--;
                  continue;
                }
                case 41: // I_NOP
                  pc += 4;
                  f--;
                  continue;
                case 42: // I_HALT
                  f--;
                  status = ST_HALT;
                  break loop;
                // ---- superinstructions (see decode.ts); each checks all its preconditions first ----
                case 44: // F_ADDI
                  if (sp < 1 || sp >= SMAX) break loop;
                  s[sp - 1] = (s[sp - 1] + code[r + 1]) | 0;
                  pc += 8;
                  f -= 2;
                  continue;
                case 45: { // F_LGET_ADDI
                  const x = fp + code[r + 1];
                  if (((sp - 1 - x) | (SMAX - 2 - sp)) < 0) break loop;
                  s[sp++] = (s[x] + code[r + 2]) | 0;
                  pc += 12;
                  f -= 3;
                  continue;
                }
                case 46: { // F_LINC
                  const x = fp + code[r + 1];
                  if (((sp - 1 - x) | (SMAX - 2 - sp)) < 0) break loop;
                  s[x] = (s[x] + code[r + 2]) | 0;
                  pc += 16;
                  f -= 4;
                  continue;
                }
                case 47: { // F_LGET2
                  const x = fp + code[r + 1], y = fp + code[r + 2];
                  if (x >= sp || y >= sp + 1 || sp + 2 > SMAX) break loop;
                  s[sp] = s[x];
                  s[sp + 1] = s[y];
                  sp += 2;
                  pc += 8;
                  f -= 2;
                  continue;
                }
                case 48: { // F_CALLE
                  if (f <= 0) break spent;
                  const n = code[r + 2];
                  if (rsp >= RMAX || sp < n) break loop;
                  rs[rsp++] = (pc >> 2) + 1;
                  rs[rsp++] = fp;
                  fp = sp - n;
                  pc = code[r + 1];
                  f -= 2;
                  continue;
                }
                case 49: { // F_LRET1
                  const x = fp + code[r + 1];
                  if (x >= sp || sp >= SMAX || rsp < 2) break loop;
                  value = s[x];
                  f -= 2;
                  break retValue;
                }
                case 50: // F_J + 0: EQ; JNZ
                  if (f <= 0) break spent;
                  if (sp < 2) break loop;
                  sp -= 2;
                  pc = s[sp] === s[sp + 1] ? code[r + 1] : pc + 8;
                  f -= 2;
                  continue;
                case 51: // F_J + 1: NE; JNZ
                  if (f <= 0) break spent;
                  if (sp < 2) break loop;
                  sp -= 2;
                  pc = s[sp] !== s[sp + 1] ? code[r + 1] : pc + 8;
                  f -= 2;
                  continue;
                case 52: // F_J + 2: LT; JNZ
                  if (f <= 0) break spent;
                  if (sp < 2) break loop;
                  sp -= 2;
                  pc = s[sp] < s[sp + 1] ? code[r + 1] : pc + 8;
                  f -= 2;
                  continue;
                case 53: // F_J + 3: GE; JNZ
                  if (f <= 0) break spent;
                  if (sp < 2) break loop;
                  sp -= 2;
                  pc = s[sp] >= s[sp + 1] ? code[r + 1] : pc + 8;
                  f -= 2;
                  continue;
                case 54: // F_J + 4: GT; JNZ
                  if (f <= 0) break spent;
                  if (sp < 2) break loop;
                  sp -= 2;
                  pc = s[sp] > s[sp + 1] ? code[r + 1] : pc + 8;
                  f -= 2;
                  continue;
                case 55: // F_J + 5: LE; JNZ
                  if (f <= 0) break spent;
                  if (sp < 2) break loop;
                  sp -= 2;
                  pc = s[sp] <= s[sp + 1] ? code[r + 1] : pc + 8;
                  f -= 2;
                  continue;
                case 56: // F_JI + 0: PUSH k; EQ; JNZ
                  if (((f - 1) | (sp - 1) | (SMAX - 1 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[--sp] === code[r + 1] ? code[r + 2] : pc + 12;
                  f -= 3;
                  continue;
                case 57: // F_JI + 1: PUSH k; NE; JNZ
                  if (((f - 1) | (sp - 1) | (SMAX - 1 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[--sp] !== code[r + 1] ? code[r + 2] : pc + 12;
                  f -= 3;
                  continue;
                case 58: // F_JI + 2: PUSH k; LT; JNZ
                  if (((f - 1) | (sp - 1) | (SMAX - 1 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[--sp] < code[r + 1] ? code[r + 2] : pc + 12;
                  f -= 3;
                  continue;
                case 59: // F_JI + 3: PUSH k; GE; JNZ
                  if (((f - 1) | (sp - 1) | (SMAX - 1 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[--sp] >= code[r + 1] ? code[r + 2] : pc + 12;
                  f -= 3;
                  continue;
                case 60: // F_JI + 4: PUSH k; GT; JNZ
                  if (((f - 1) | (sp - 1) | (SMAX - 1 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[--sp] > code[r + 1] ? code[r + 2] : pc + 12;
                  f -= 3;
                  continue;
                case 61: // F_JI + 5: PUSH k; LE; JNZ
                  if (((f - 1) | (sp - 1) | (SMAX - 1 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[--sp] <= code[r + 1] ? code[r + 2] : pc + 12;
                  f -= 3;
                  continue;
                case 62: { // F_LJI + 0: LGET i; PUSH k; EQ; JNZ
                  const x = fp + code[r + 1];
                  if (((f - 1) | (sp - 1 - x) | (SMAX - 2 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[x] === code[r + 2] ? code[r + 3] : pc + 16;
                  f -= 4;
                  continue;
                }
                case 63: { // F_LJI + 1: LGET i; PUSH k; NE; JNZ
                  const x = fp + code[r + 1];
                  if (((f - 1) | (sp - 1 - x) | (SMAX - 2 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[x] !== code[r + 2] ? code[r + 3] : pc + 16;
                  f -= 4;
                  continue;
                }
                case 64: { // F_LJI + 2: LGET i; PUSH k; LT; JNZ
                  const x = fp + code[r + 1];
                  if (((f - 1) | (sp - 1 - x) | (SMAX - 2 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[x] < code[r + 2] ? code[r + 3] : pc + 16;
                  f -= 4;
                  continue;
                }
                case 65: { // F_LJI + 3: LGET i; PUSH k; GE; JNZ
                  const x = fp + code[r + 1];
                  if (((f - 1) | (sp - 1 - x) | (SMAX - 2 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[x] >= code[r + 2] ? code[r + 3] : pc + 16;
                  f -= 4;
                  continue;
                }
                case 66: { // F_LJI + 4: LGET i; PUSH k; GT; JNZ
                  const x = fp + code[r + 1];
                  if (((f - 1) | (sp - 1 - x) | (SMAX - 2 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[x] > code[r + 2] ? code[r + 3] : pc + 16;
                  f -= 4;
                  continue;
                }
                case 67: { // F_LJI + 5: LGET i; PUSH k; LE; JNZ
                  const x = fp + code[r + 1];
                  if (((f - 1) | (sp - 1 - x) | (SMAX - 2 - sp)) < 0) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  pc = s[x] <= code[r + 2] ? code[r + 3] : pc + 16;
                  f -= 4;
                  continue;
                }
                case 68: { // F_LADDI_CALLE: LGET i; PUSH k; ADD; CALL t; (t:) ENTER n
                  const a = code[r + 1];
                  const x = fp + (a & 255), n = a >> 8;
                  // All preconditions in one branch: a negative term means one failed (fuel, frame,
                  // stack room, call depth, ENTER's arguments).
                  if (
                    ((f - 1) | (sp - 1 - x) | (SMAX - 2 - sp) | (RMAX - 1 - rsp) | (sp + 1 - n)) < 0
                  ) {
                    if (f <= 0) break spent;
                    break loop;
                  }
                  s[sp++] = (s[x] + code[r + 2]) | 0;
                  rs[rsp++] = (pc >> 2) + 4;
                  rs[rsp++] = fp;
                  fp = sp - n;
                  pc = code[r + 3];
                  f -= 5;
                  continue;
                }
                case 69: { // F_ADD_RET1: ADD; RETN 1
                  if (((sp - 2 - fp) | (rsp - 2)) < 0) break loop;
                  value = (s[sp - 2] + s[sp - 1]) | 0;
                  f -= 2;
                  break retValue;
                }
                case 70: { // F_LJI_RET + 0: LGET i; PUSH k; EQ; JNZ t; LGET j; RETN 1
                  const x = fp + (code[r + 1] & 255);
                  if (((sp - 1 - x) | (SMAX - 2 - sp)) < 0) break loop;
                  if (s[x] === code[r + 2]) {
                    pc = code[r + 3];
                    f -= 4;
                    continue;
                  }
                  break baseCase;
                }
                case 71: { // F_LJI_RET + 1: LGET i; PUSH k; NE; JNZ t; LGET j; RETN 1
                  const x = fp + (code[r + 1] & 255);
                  if (((sp - 1 - x) | (SMAX - 2 - sp)) < 0) break loop;
                  if (s[x] !== code[r + 2]) {
                    pc = code[r + 3];
                    f -= 4;
                    continue;
                  }
                  break baseCase;
                }
                case 72: { // F_LJI_RET + 2: LGET i; PUSH k; LT; JNZ t; LGET j; RETN 1
                  const x = fp + (code[r + 1] & 255);
                  if (((sp - 1 - x) | (SMAX - 2 - sp)) < 0) break loop;
                  if (s[x] < code[r + 2]) {
                    pc = code[r + 3];
                    f -= 4;
                    continue;
                  }
                  break baseCase;
                }
                case 73: { // F_LJI_RET + 3: LGET i; PUSH k; GE; JNZ t; LGET j; RETN 1
                  const x = fp + (code[r + 1] & 255);
                  if (((sp - 1 - x) | (SMAX - 2 - sp)) < 0) break loop;
                  if (s[x] >= code[r + 2]) {
                    pc = code[r + 3];
                    f -= 4;
                    continue;
                  }
                  break baseCase;
                }
                case 74: { // F_LJI_RET + 4: LGET i; PUSH k; GT; JNZ t; LGET j; RETN 1
                  const x = fp + (code[r + 1] & 255);
                  if (((sp - 1 - x) | (SMAX - 2 - sp)) < 0) break loop;
                  if (s[x] > code[r + 2]) {
                    pc = code[r + 3];
                    f -= 4;
                    continue;
                  }
                  break baseCase;
                }
                case 75: { // F_LJI_RET + 5: LGET i; PUSH k; LE; JNZ t; LGET j; RETN 1
                  const x = fp + (code[r + 1] & 255);
                  if (((sp - 1 - x) | (SMAX - 2 - sp)) < 0) break loop;
                  if (s[x] <= code[r + 2]) {
                    pc = code[r + 3];
                    f -= 4;
                    continue;
                  }
                  break baseCase;
                }
                case 77: { // F_SCALL: CALL under the seed's single stack
                  if (f <= 0) break spent;
                  if (sp >= SMAX) break loop;
                  s[sp++] = code[r + 2];
                  f--;
                  pc = code[r + 1];
                  continue;
                }
                case 78: { // F_SRET: RET under the seed's single stack (a computed jump)
                  if (f <= 0) break spent;
                  const k = sp < 1 ? -1 : (s[sp - 1] >>> 0) < RETS ? indexAt[s[sp - 1]] : -1;
                  if (k < 0) break loop;
                  sp--;
                  f--;
                  pc = k << 2;
                  continue;
                }
                default:
                  // Host operations and the end sentinel: the precise loop handles them. Entries of
                  // compiled regions (F_NATIVE markers): the driver runs the compiled code.
                  break loop;
              }
            }
            // The base case fell through to `LGET j; RETN 1` (checked as the plain
            // instructions would be; when they would trap, the precise loop runs them).
            const y = fp + (code[r + 1] >> 8);
            if (((sp - 1 - y) | (rsp - 2)) < 0) {
              pc += 16;
              f -= 4;
              continue;
            }
            value = s[y];
            f -= 6;
          }
          // Return one value: the frame collapses to `value`.
          s[fp] = value;
          sp = fp + 1;
        }
        // Return: pop the return record.
        fp = rs[--rsp];
        pc = rs[--rsp] << 2;
      }
      break exit; // from `break loop`: ST_SLOW, or ST_HALT as HALT set it
    }
    status = ST_SLICE; // from `break spent`: the slice ran out at a control transfer
  }
  st.pc = pc >> 2;
  st.sp = sp;
  st.fp = fp;
  st.rsp = rsp;
  st.used = budget - f;
  return status;
}
