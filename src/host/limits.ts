/**
 * Run limits shared by every engine: fuel (instructions), a wall-clock deadline and a memory cap.
 *
 * @module
 */

/** Limits for one run of a guest program. */
export interface Limits {
  /** Instructions the guest may execute before `E_FUEL`. */
  fuel: number;
  /** Wall-clock budget in milliseconds before `E_TIMEOUT`. */
  timeoutMs: number;
  /**
   * Guest memory in bytes: engines refuse a value or VM memory larger than this with `E_MEMORY`,
   * and the sandbox bounds the guest's whole heap by it plus a constant (`docs/SECURITY.md`).
   */
  memoryBytes: number;
  /** Bytes the guest may print, stdout and stderr together, before `E_LIMIT`. */
  outputBytes: number;
}

/** Defaults used when neither the manifest nor the command line sets a limit. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  fuel: 1_000_000_000,
  timeoutMs: 10_000,
  memoryBytes: 64 * 1024 * 1024,
  outputBytes: 64 * 1024 * 1024,
});

/** The limit keys, in the order they are shown. */
export const LIMIT_KEYS: readonly (keyof Limits)[] = [
  "fuel",
  "timeoutMs",
  "memoryBytes",
  "outputBytes",
];

/**
 * How many instructions an interpreter runs between deadline checks. Reading the clock every
 * step would dominate a tight dispatch loop; every few thousand steps keeps overshoot under a
 * millisecond.
 */
export const DEADLINE_CHECK_INTERVAL = 4096;

/**
 * Returns the absolute deadline (in `performance.now()` milliseconds) for a run starting now.
 *
 * @example
 * ```ts
 * import { deadlineFor, DEFAULT_LIMITS } from "@pxos/core";
 * const deadline = deadlineFor(DEFAULT_LIMITS);
 * console.log(deadline > performance.now());
 * ```
 */
export function deadlineFor(limits: Pick<Limits, "timeoutMs">): number {
  return performance.now() + limits.timeoutMs;
}
