/**
 * The one wording for a guest that ran out of fuel, whichever engine ran it: what ran out (the
 * instruction budget, and how big it was), where the program was (file, line and what it was
 * doing, as precisely as the engine knows), and how to raise it (`--fuel`, or the manifest's
 * `limits.fuel`). Every engine builds its `E_FUEL` error here.
 *
 * @module
 */
import { PxosError } from "../errors.ts";

/** Where a guest was when it stopped, as precisely as its engine knows. */
export interface GuestPlace {
  /** Source (or bytecode) file. */
  file?: string;
  /** 1-based source line, when a source map or the language knows it. */
  line?: number;
  /** Byte offset in the bytecode, when that is all there is. */
  offset?: number;
  /** What it was doing, in words: `pc 46 (JMP) in loop`, `in function fib`. */
  doing?: string;
}

/**
 * Builds the `E_FUEL` error: `ran out of fuel: the budget of N instructions is spent (at …);
 * raise it with --fuel <n> or the manifest's limits.fuel`.
 *
 * @param limit the fuel budget that was spent
 * @param place where the program was (all parts optional)
 * @param details engine-specific extras for `PxosError.details` (pc, stack, …)
 * @returns the error to throw
 *
 * @example
 * ```ts
 * import { fuelExhausted } from "./limit_errors.ts";
 * const e = fuelExhausted(1000, { file: "loop.pxasm", line: 3, doing: "pc 12 (JMP) in loop" });
 * console.log(e.message);
 * // loop.pxasm:3: ran out of fuel: the budget of 1000 instructions is spent (at pc 12 (JMP) in
 * // loop); raise it with --fuel <n> or the manifest's limits.fuel
 * ```
 */
export function fuelExhausted(
  limit: number,
  place: GuestPlace = {},
  details?: Record<string, unknown>,
): PxosError {
  const at = place.doing ? ` (at ${place.doing})` : "";
  return new PxosError(
    "E_FUEL",
    `ran out of fuel: the budget of ${limit} instructions is spent${at}; ` +
      "raise it with --fuel <n> or the manifest's limits.fuel",
    { file: place.file, line: place.line, offset: place.offset, details },
  );
}
