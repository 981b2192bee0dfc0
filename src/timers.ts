/**
 * Timers for the start-up path that do not start Node's timers. In Deno 2.9 the first
 * `setTimeout` of a context loads Node's timer implementation (`timers.mjs`, its `inspect` and
 * error modules): 12–18 ms measured for the call alone, in each of `pxos boot`'s contexts that
 * used one (the deciding side's backstop, the sandbox process's start-up deadline before it sends
 * the guest's start message). `AbortSignal.timeout` runs on Deno's own timers: 0.6 ms for its
 * first use. Like it, these timers do not keep a process alive by themselves; every caller here
 * waits on something that does (a child process, a Worker, a socket).
 *
 * @module
 */

/** A timer started by {@link startTimer}. */
export interface Timer {
  /** Stops the timer; `fire` will not be called. */
  cancel(): void;
}

/**
 * Calls `fire` once after `ms` milliseconds (at most 2^31 − 1), unless cancelled first.
 *
 * @example
 * ```ts
 * import { startTimer } from "./timers.ts";
 * const timer = startTimer(10, () => console.log("never"));
 * timer.cancel();
 * ```
 */
export function startTimer(ms: number, fire: () => void): Timer {
  let live = true;
  // As setTimeout takes it: NaN is 0, the longest is 2^31 − 1 (AbortSignal.timeout refuses NaN).
  const delay = Number.isNaN(ms) ? 0 : Math.floor(Math.max(0, Math.min(ms, 2 ** 31 - 1)));
  AbortSignal.timeout(delay).addEventListener("abort", () => {
    if (!live) return;
    live = false;
    fire();
  }, { once: true });
  return {
    cancel() {
      live = false;
    },
  };
}

/**
 * Resolves after `ms` milliseconds (see {@link startTimer}).
 *
 * @example
 * ```ts
 * import { sleep } from "./timers.ts";
 * await sleep(1);
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => startTimer(ms, resolve));
}
