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
