/**
 * What a sandbox process started before the plan (`sandbox_speculation.ts`) tells `pxos boot`
 * over the plan's socket when its guest has ended: the exit code, and how many bytes it wrote to
 * each output stream before it said so. With it, `pxos boot` exits as soon as it has passed
 * those bytes on, without waiting for the child's process to end (≈ 10 ms of a Deno process's
 * teardown). A child that dies without one (its heap limit, a signal) or is stopped at its
 * deadline sends none, and `pxos boot` waits for its exit status as before.
 *
 * @module
 */

/** The sandbox process's outcome (see the module's documentation). */
export interface ChildReport {
  /** The exit code the sandbox process ends with. */
  readonly code: number;
  /** Bytes it wrote to its standard output, all of them before the report. */
  readonly out: number;
  /** Bytes it wrote to its standard error, all of them before the report. */
  readonly err: number;
}

/** Counts the bytes written to each stream (`terminalIO`'s `onWrite`). */
export interface WriteCounter {
  /** Adds `bytes` written to `stream`. */
  add(stream: "out" | "err", bytes: number): void;
  /** The report for exit code `code` and the bytes counted so far. */
  report(code: number): ChildReport;
}

/** A {@link WriteCounter} starting at zero. */
export function writeCounter(): WriteCounter {
  const written = { out: 0, err: 0 };
  return {
    add(stream, bytes) {
      written[stream] += bytes;
    },
    report: (code) => ({ code, out: written.out, err: written.err }),
  };
}

/** The report in `bytes` (the child's JSON), or `undefined` when it is not a valid one. */
export function parseChildReport(bytes: Uint8Array): ChildReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { code, out, err } = value as Record<string, unknown>;
  const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  if (!count(code) || code > 255 || !count(out) || !count(err)) return undefined;
  return { code, out, err };
}
