/**
 * Process exit statuses of `pxos`, and how error codes map onto them.
 *
 * @module
 */
import type { PxosErrorCode } from "../errors.ts";

/** Exit statuses. A booted program's own exit code is passed through unchanged. */
export const EXIT = Object.freeze({
  /** Success. */
  OK: 0,
  /** Usage error: unknown command or option, missing argument. */
  USAGE: 1,
  /** Invalid input, refused operation, or a guest failure (trap, fuel, permission…). */
  INVALID: 2,
  /** The guest ran past its deadline (same status as coreutils `timeout`). */
  TIMEOUT: 124,
});

/** The exit status for a `PxosError` code. */
export function exitCodeFor(code: PxosErrorCode): number {
  if (code === "E_USAGE") return EXIT.USAGE;
  if (code === "E_TIMEOUT") return EXIT.TIMEOUT;
  return EXIT.INVALID;
}

/** The exit-code paragraph every `--help` ends with. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    usage error (unknown command or option, missing argument)
  2    invalid input or refused operation (the message says what and where)
  124  the program ran past its time limit`;
