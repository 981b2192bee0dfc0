/**
 * The one error type of pxOS. Every refusal of bad input, every trap and every denied permission
 * is a {@link PxosError} with a stable {@link PxosErrorCode}, so callers (and the CLI's exit codes)
 * can branch on the code and never on the wording.
 *
 * @module
 */

/**
 * Stable error codes. New codes may be added; existing ones never change meaning.
 *
 * - `E_USAGE`: the command line or an API call was used wrongly.
 * - `E_IO`: the file system refused (missing file, exists without `--force`, …).
 * - `E_PNG_CORRUPT`: the bytes are not a well-formed PNG we can read.
 * - `E_PIXEL_HEADER`: the PNG is fine but its pixels carry no valid pxOS header/payload.
 * - `E_LABEL`: the label image supplied for a cartridge is unusable.
 * - `E_CAPACITY`: the payload does not fit (too large, or larger than the pixels hold).
 * - `E_ARCHIVE`: the archive structure is malformed (header, index, offsets, counts).
 * - `E_ARCHIVE_HASH`: a digest does not match its data.
 * - `E_PATH`: an archive or host path breaks the path rules (absolute, `..`, NUL, duplicate…).
 * - `E_MANIFEST`: `pxos.json` is missing, not JSON, or breaks the schema.
 * - `E_ENGINE`: no engine can run the entry, or the engine is not available.
 * - `E_ASSEMBLE`: source text could not be assembled/compiled.
 * - `E_VERIFY`: bytecode failed verification before running.
 * - `E_TRAP`: the guest program faulted at run time.
 * - `E_FUEL`: the guest ran out of fuel (instruction budget).
 * - `E_TIMEOUT`: the guest ran past its deadline.
 * - `E_MEMORY`: a memory limit would be exceeded.
 * - `E_PERMISSION`: a host call was denied.
 * - `E_SIGNATURE`: a signature is missing, malformed or does not verify.
 * - `E_RUNTIME`: the running environment lacks something the cartridge requires.
 * - `E_GPU`: the WebGPU renderer failed.
 * - `E_NET`: a granted network request failed (connection, TLS, too many redirects).
 * - `E_LIMIT`: the guest went past a run limit other than fuel, time and memory (its output).
 */
export type PxosErrorCode =
  | "E_USAGE"
  | "E_IO"
  | "E_PNG_CORRUPT"
  | "E_PIXEL_HEADER"
  | "E_LABEL"
  | "E_CAPACITY"
  | "E_ARCHIVE"
  | "E_ARCHIVE_HASH"
  | "E_PATH"
  | "E_MANIFEST"
  | "E_ENGINE"
  | "E_ASSEMBLE"
  | "E_VERIFY"
  | "E_TRAP"
  | "E_FUEL"
  | "E_TIMEOUT"
  | "E_MEMORY"
  | "E_PERMISSION"
  | "E_SIGNATURE"
  | "E_RUNTIME"
  | "E_GPU"
  | "E_NET"
  | "E_LIMIT";

/** Where in an input an error was found. Every field is optional; fill what is known. */
export interface PxosErrorLocation {
  /** File (or archive member) the error is about. */
  file?: string;
  /** Byte offset within that file. */
  offset?: number;
  /** 1-based line of source text. */
  line?: number;
  /** 1-based column of source text. */
  col?: number;
}

/** Options for {@link PxosError}. */
export interface PxosErrorOptions extends PxosErrorLocation {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
  /** Extra machine-readable facts (pc, stack snapshot, …) for `--json` and `--debug` output. */
  details?: Record<string, unknown>;
}

/**
 * The error pxOS throws for anything that is the input's fault, a guest's fault or a refusal.
 *
 * The message says what was expected, what was found, and where.
 *
 * @example
 * ```ts
 * import { PxosError } from "@pxos/core";
 *
 * try {
 *   throw new PxosError("E_ARCHIVE", "expected index entry count ≤ 12, found 4000", {
 *     file: "game.pxa",
 *     offset: 16,
 *   });
 * } catch (e) {
 *   if (e instanceof PxosError && e.code === "E_ARCHIVE") console.log(e.message);
 * }
 * ```
 */
export class PxosError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: PxosErrorCode;
  /** File the error is about, when known. */
  readonly file?: string;
  /** Byte offset in that file, when known. */
  readonly offset?: number;
  /** 1-based source line, when known. */
  readonly line?: number;
  /** 1-based source column, when known. */
  readonly col?: number;
  /** Extra machine-readable facts. */
  readonly details?: Record<string, unknown>;

  /**
   * Creates an error.
   *
   * @param code stable error code
   * @param message what was expected, what was found
   * @param options where it happened and what caused it
   */
  constructor(code: PxosErrorCode, message: string, options: PxosErrorOptions = {}) {
    super(withLocation(message, options), { cause: options.cause });
    this.name = "PxosError";
    this.code = code;
    this.file = options.file;
    this.offset = options.offset;
    this.line = options.line;
    this.col = options.col;
    this.details = options.details;
  }

  /** A plain object for `--json` output. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      file: this.file,
      offset: this.offset,
      line: this.line,
      col: this.col,
      details: this.details,
    };
  }
}

/** Prefixes the location (`file:line:col` or `file @ offset N`) so every message says where. */
function withLocation(message: string, where: PxosErrorLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) {
    let place = where.file;
    if (where.line !== undefined) {
      place += `:${where.line}`;
      if (where.col !== undefined) place += `:${where.col}`;
    }
    parts.push(place);
  } else if (where.line !== undefined) {
    parts.push(`line ${where.line}${where.col !== undefined ? `:${where.col}` : ""}`);
  }
  if (where.offset !== undefined) parts.push(`offset ${where.offset}`);
  return parts.length > 0 ? `${parts.join(" @ ")}: ${message}` : message;
}

/** True when `e` is a {@link PxosError}, optionally with the given code. */
export function isPxosError(e: unknown, code?: PxosErrorCode): e is PxosError {
  return e instanceof PxosError && (code === undefined || e.code === code);
}
