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
