/**
 * Example programs written out once: the reference page shows them (`doc.ts`), the tests check
 * the compiled tier with them and the benchmarks time them, so all three run the same code.
 *
 * @module
 */

/** Recursive `fib` in Pixel Assembly, `(n -- fib n)`: call it with `PUSH n` and `CALL fib`. */
export const FIB_FUNCTION = `fib:    ENTER 1          ; (n -- fib n)
        LGET 0
        PUSH 2
        LT
        JZ recurse
        LGET 0
        RETN 1
recurse: LGET 0
        PUSH 1
        SUB
        CALL fib
        LGET 0
        PUSH 2
        SUB
        CALL fib
        ADD
        RETN 1`;

/** A whole program that prints fib(`n`) (using {@link FIB_FUNCTION}) and halts. */
export function fibProgram(n: number): string {
  return `        PUSH ${n}
        CALL fib
        PRINT
        HALT
${FIB_FUNCTION}`;
}

/**
 * Recursive `sum` in the seed's single-stack style, `(n -- 1+…+n)`: the argument lies under the
 * return address that `CALL` pushed, so the function SWAPs to reach it and SWAPs the result under
 * the address before `RET`.
 */
export const SEED_SUM_FUNCTION = `sum:    SWAP            ; (n ret -- ret n)
        DUP
        JZ zero
        DUP
        PUSH 1
        SUB
        CALL sum        ; (ret n sum(n-1))
        ADD
        SWAP
        RET
zero:   SWAP            ; (ret 0 -- 0 ret)
        RET`;

/** Recursive `fib` in the seed's single-stack style, `(n -- fib n)`. */
export const SEED_FIB_FUNCTION = `fib:    SWAP            ; (ret n)
        DUP
        PUSH 2
        LT
        JNZ small
        DUP
        PUSH 1
        SUB
        CALL fib        ; (ret n fib(n-1))
        SWAP
        PUSH 2
        SUB
        CALL fib        ; (ret fib(n-1) fib(n-2))
        ADD
        SWAP
        RET
small:  SWAP
        RET`;

/** A whole seed-style program that prints fib(`n`) (using {@link SEED_FIB_FUNCTION}). */
export function seedFibProgram(n: number): string {
  return `        PUSH ${n}
        CALL fib
        PRINT
        HALT
${SEED_FIB_FUNCTION}`;
}

/** A counting loop to `n` over frame slot 0 (`ENTER 1`); prints `n`. */
export function loopProgram(n: number): string {
  return `
        PUSH 0
        ENTER 1
loop:   LGET 0
        PUSH 1
        ADD
        LSET 0
        LGET 0
        PUSH ${n | 0}
        LT
        JNZ loop
        LGET 0
        PRINT
        HALT`;
}

/** What {@link loopProgram} computes, in plain JavaScript. */
export function loopJs(n: number): number {
  let i = 0;
  while (i < n) i = (i + 1) | 0;
  return i;
}

/** The sieve of Eratosthenes over `n` bytes of memory; prints the number of primes below `n`. */
export function sieveProgram(n: number): string {
  return `
.memory ${n | 0}
        PUSH 2                  ; local 0: i
        PUSH 0                  ; local 1: j, later the count
        ENTER 2
outer:  LGET 0
        LGET 0
        MUL
        PUSH ${n | 0}
        LT
        JZ count
        LGET 0
        LOADB
        JNZ next_i
        LGET 0
        LGET 0
        MUL
        LSET 1
mark:   LGET 1
        PUSH ${n | 0}
        LT
        JZ next_i
        PUSH 1
        LGET 1
        STOREB
        LGET 1
        LGET 0
        ADD
        LSET 1
        JMP mark
next_i: LGET 0
        PUSH 1
        ADD
        LSET 0
        JMP outer
count:  PUSH 2
        LSET 0
        PUSH 0
        LSET 1
scan:   LGET 0
        PUSH ${n | 0}
        LT
        JZ done
        LGET 0
        LOADB
        JNZ skip
        LGET 1
        PUSH 1
        ADD
        LSET 1
skip:   LGET 0
        PUSH 1
        ADD
        LSET 0
        JMP scan
done:   LGET 1
        PRINT
        HALT`;
}

/**
 * What {@link sieveProgram} computes, in plain JavaScript; like the VM, which clears its memory
 * for each run, it can reuse one array (`composite`, cleared here).
 */
export function sieveJs(n: number, composite: Uint8Array = new Uint8Array(n)): number {
  composite.fill(0, 0, n);
  for (let i = 2; i * i < n; i++) {
    if (composite[i]) continue;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  let count = 0;
  for (let i = 2; i < n; i++) if (!composite[i]) count++;
  return count;
}

/** Recursive fib in plain JavaScript (what {@link fibProgram} prints). */
export function fibJs(n: number): number {
  return n < 2 ? n : fibJs(n - 1) + fibJs(n - 2);
}
