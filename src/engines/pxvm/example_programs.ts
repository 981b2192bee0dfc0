/**
 * pxVM programs written out once, so the benchmark times and the tests check the same code: a
 * counting loop, a byte-array sieve and recursive fib, each with its answer in plain JavaScript.
 *
 * @module
 */

/** Sums `n + (n-1) + … + 1` (wrapping) in a three-instruction loop; prints the sum. */
export function loopProgram(n: number): string {
  return `        IMM32 R1, ${n | 0}
        IMM8 R2, 1
        IMM8 R3, 0
loop:   ADD R3, R3, R1
        SUB R1, R1, R2
        JNZ R1, loop
        MOV R1, R3
        SYSCALL PRINT_INT
        HALT`;
}

/** What {@link loopProgram} prints, computed in plain JavaScript the same way. */
export function loopJs(n: number): number {
  let r1 = n | 0, r3 = 0;
  while (r1 !== 0) {
    r3 = (r3 + r1) | 0;
    r1 = (r1 - 1) | 0;
  }
  return r3;
}

/** Where the sieve's byte array starts in pxVM memory (above any small program image). */
export const SIEVE_BASE = 0x8000;
/** The largest sieve that fits between {@link SIEVE_BASE} and the stack at the top of memory. */
export const SIEVE_MAX = 0x7000;

/**
 * `passes` times: clears a byte array of `n` flags (n ≤ {@link SIEVE_MAX}), marks the multiples
 * of every prime below √n and counts the primes below `n`; prints the last count.
 */
export function sieveProgram(n: number, passes: number): string {
  if (n > SIEVE_MAX) throw new RangeError(`sieve of ${n} does not fit pxVM memory`);
  return `        IMM32 R7, ${passes | 0}
        IMM32 R4, ${n | 0}
        IMM32 R5, ${SIEVE_BASE}
pass:   IMM8 R1, 0
        IMM8 R0, 0
clear:  ADD R6, R5, R1
        STORE8 R6, R0
        ADDI R1, 1
        CMP R1, R4
        JLT clear
        IMM8 R1, 2
        IMM8 R0, 1
outer:  MUL R3, R1, R1
        CMP R3, R4
        JGE count
        ADD R6, R5, R1
        LOAD8 R6, R6
        JNZ R6, next
mark:   ADD R6, R5, R3
        STORE8 R6, R0
        ADD R3, R3, R1
        CMP R3, R4
        JLT mark
next:   ADDI R1, 1
        JMP outer
count:  IMM8 R1, 2
        IMM8 R2, 0
scan:   ADD R6, R5, R1
        LOAD8 R6, R6
        JNZ R6, skip
        ADDI R2, 1
skip:   ADDI R1, 1
        CMP R1, R4
        JLT scan
        ADDI R7, -1
        JNZ R7, pass
        MOV R1, R2
        SYSCALL PRINT_INT
        HALT`;
}

/** What {@link sieveProgram} prints: the same passes over a reused byte array in plain JS. */
export function sieveJs(n: number, passes: number, flags = new Uint8Array(n)): number {
  let count = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < n; i++) flags[i] = 0;
    for (let i = 2; i * i < n; i++) {
      if (flags[i] !== 0) continue;
      for (let j = i * i; j < n; j += i) flags[j] = 1;
    }
    count = 0;
    for (let i = 2; i < n; i++) if (flags[i] === 0) count++;
  }
  return count;
}

/**
 * Recursive fib(`n`): `fib` takes n in R1 and returns fib(n) in R0, saving what it needs on the
 * stack around its two calls; prints fib(n).
 */
export function fibProgram(n: number): string {
  return `        IMM32 R1, ${n | 0}
        CALL fib
        MOV R1, R0
        SYSCALL PRINT_INT
        HALT
fib:    IMM8 R2, 2
        CMP R1, R2
        JGE rec
        MOV R0, R1
        RET
rec:    PUSH R1
        ADDI R1, -1
        CALL fib
        POP R1
        PUSH R0
        ADDI R1, -2
        CALL fib
        POP R2
        ADD R0, R0, R2
        RET`;
}

/** What {@link fibProgram} prints, in plain JavaScript. */
export function fibJs(n: number): number {
  return n < 2 ? n : fibJs(n - 1) + fibJs(n - 2);
}
