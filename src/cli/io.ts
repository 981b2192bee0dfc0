/**
 * The CLI's view of the terminal: output streams, colour (off under `NO_COLOR` or when not a
 * TTY), quiet mode and a progress line for long work. Commands write only through this, so tests
 * can capture everything a command prints.
 *
 * @module
 */

/** Output and terminal facts for one CLI invocation. */
export interface CliIO {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Whether ANSI colour may be used on stderr/stdout. */
  readonly color: boolean;
  /** Whether progress may be shown (stderr is a TTY and not `--quiet`). */
  readonly progress: boolean;
  /** Whether `--debug` was given (stack traces on error). */
  readonly debug: boolean;
  /** Whether standard input is an interactive terminal (for prompts). */
  readonly interactive: boolean;
  /** Whether standard output is a terminal (e.g. `pxos serve` opens a browser only then). */
  readonly stdoutIsTerminal?: boolean;
  /**
   * A writer for guest output to `stream` that does not block this thread (so deadlines fire
   * whatever the reader does) and escapes control characters when the stream is a terminal.
   * Absent in captured IO, where `out`/`err` are used as they are.
   */
  guestWriter?(stream: "out" | "err"): (text: string) => Promise<void>;
}

import { escapeForTerminal } from "../text_safety.ts";

const encoder = new TextEncoder();

/**
 * The real terminal: Deno's stdout/stderr, with colour and progress decided from the env.
 * `onWrite` is told the size of every write once it is done (the sandbox process reports the
 * totals to `pxos boot`, see `sandbox_report.ts`).
 */
export function terminalIO(
  flags: {
    quiet?: boolean;
    debug?: boolean;
    onWrite?: (stream: "out" | "err", bytes: number) => void;
  } = {},
): CliIO {
  const noColor = Deno.env.get("NO_COLOR") !== undefined && Deno.env.get("NO_COLOR") !== "";
  const onWrite = flags.onWrite ?? (() => {});
  return {
    out: (text) => onWrite("out", writeAll(Deno.stdout, text)),
    err: (text) => onWrite("err", writeAll(Deno.stderr, text)),
    color: !noColor && Deno.stderr.isTerminal(),
    progress: !flags.quiet && Deno.stderr.isTerminal(),
    debug: flags.debug ?? false,
    interactive: Deno.stdin.isTerminal(),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    guestWriter(stream) {
      const target = stream === "out" ? Deno.stdout : Deno.stderr;
      const escape = target.isTerminal();
      return async (text) => {
        let bytes = encoder.encode(escape ? escapeForTerminal(text, { keepLines: true }) : text);
        const size = bytes.length;
        while (bytes.length > 0) bytes = bytes.subarray(await target.write(bytes));
        onWrite(stream, size);
      };
    },
  };
}

/**
 * The writer for guest output on `stream`: {@link CliIO.guestWriter} where the IO has one, else
 * the plain `out`/`err`.
 */
export function guestOutput(
  io: CliIO,
  stream: "out" | "err",
): (text: string) => void | Promise<void> {
  return io.guestWriter?.(stream) ?? (stream === "out" ? (t) => io.out(t) : (t) => io.err(t));
}

/** Writes all of `text`; returns its size in bytes. */
function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): number {
  let bytes = encoder.encode(text);
  const size = bytes.length;
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
  return size;
}

/** A captured IO for tests and embedding: everything printed is collected in strings. */
export interface CapturedIO extends CliIO {
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/** Creates a {@link CapturedIO} (no colour, no progress, not interactive). */
export function capturedIO(flags: { debug?: boolean } = {}): CapturedIO {
  let stdout = "";
  let stderr = "";
  return {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    color: false,
    progress: false,
    debug: flags.debug ?? false,
    interactive: false,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** Wraps `text` in an ANSI style when colour is on. */
export function style(
  io: CliIO,
  code: "red" | "yellow" | "green" | "bold" | "dim",
  text: string,
): string {
  if (!io.color) return text;
  const codes = { red: 31, yellow: 33, green: 32, bold: 1, dim: 2 } as const;
  return `\x1b[${codes[code]}m${text}\x1b[0m`;
}

/**
 * Reports progress of long work on stderr (one rewritten line) when `io.progress` is on;
 * does nothing otherwise. Returns a function to call with bytes done, and `done()` to clear it.
 */
export function progressLine(
  io: CliIO,
  label: string,
  total: number,
): { update(done: number): void; done(): void } {
  if (!io.progress || total <= 0) return { update() {}, done() {} };
  let lastShown = -1;
  return {
    update(done: number) {
      const pct = Math.min(100, Math.floor((done / total) * 100));
      if (pct === lastShown) return;
      lastShown = pct;
      io.err(`\r${label} ${pct}% (${formatBytes(done)} of ${formatBytes(total)})`);
    },
    done() {
      if (lastShown >= 0) io.err("\r\x1b[2K");
    },
  };
}

/** Human-readable byte count: `1.5 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
