/**
 * What both PohLang engines share at run time: limits, the uncaught-error report with its
 * Poh-level stack trace, and the conversion of internal signals to `PxosError`s.
 *
 * @module
 */
import { fuelExhausted } from "../limit_errors.ts";
import { formatCallTrace } from "../trace_format.ts";
import { PxosError } from "../../errors.ts";
import { isPxosError } from "../../errors.ts";
import type { Limits } from "../../host/limits.ts";
import { type BuiltinContext, newWebState } from "./builtins.ts";
import type { Host } from "../../host/host.ts";
import { PohMemoryError, PohThrow } from "./values.ts";

/**
 * Deepest Poh call nesting. Deeper recursion is a catchable `RecursionError`, never a host
 * stack overflow; both engines use the same limit so they fail at the same depth.
 */
export const MAX_CALL_DEPTH = 1000;

/** One line of a Poh stack trace. */
export interface PohFrameInfo {
  /** Function name (`main` for top-level code). */
  name: string;
  file: string;
  line: number;
}

/** The built-in context for a run: host plus size caps derived from the memory limit. */
export function builtinContext(host: Host, limits: Limits): BuiltinContext {
  // Strings cost ~2 bytes a character and list slots ~8 bytes: a coarse, cheap bound.
  return {
    host,
    maxItems: Math.max(1024, Math.floor(limits.memoryBytes / 8)),
    web: newWebState(),
  };
}

/** Formats a Poh stack trace, most recent call first, deep recursion collapsed. */
export function formatTrace(frames: readonly PohFrameInfo[]): string {
  const recentFirst = frames.map((f) => ({ name: f.name, file: f.file, line: f.line })).reverse();
  return ["Poh stack trace (most recent call first):", ...formatCallTrace(recentFirst)].join("\n");
}

/**
 * Turns an error escaping a run into what the engine throws: an uncaught guest error becomes
 * `E_TRAP` (or keeps the host's code, e.g. `E_PERMISSION`) with the Poh stack trace; memory
 * signals become `E_MEMORY`; fuel, time and memory errors gain the file and line the program was
 * at (from `frames`); anything else (`GuestExit`) passes through.
 */
export function toRunError(e: unknown, frames: readonly PohFrameInfo[] | undefined): unknown {
  if (e instanceof PohThrow) {
    const top = frames && frames.length > 0 ? frames[frames.length - 1] : undefined;
    const code = isPxosError(e.hostError) ? e.hostError.code : "E_TRAP";
    const trace = frames ? "\n" + formatTrace(frames) : "";
    return new PxosError(code, `${e.value.type}: ${e.value.message}${trace}`, {
      file: top?.file,
      line: top?.line,
      cause: e.hostError,
      details: {
        pohErrorType: e.value.type,
        pohMessage: e.value.message,
        pohTrace: frames?.slice().reverse(),
      },
    });
  }
  const top = frames && frames.length > 0 ? frames[frames.length - 1] : undefined;
  if (e instanceof PohMemoryError) {
    return new PxosError("E_MEMORY", e.message, { file: top?.file, line: top?.line });
  }
  // Fuel and time run out wherever the program was: say where, as for a trap.
  if (isPxosError(e) && top !== undefined && e.file === undefined) {
    if (e.code === "E_FUEL") {
      const limit = Number(/budget of (\d+)/.exec(e.message)?.[1] ?? 0);
      return fuelExhausted(limit, {
        file: top.file,
        line: top.line,
        doing: `function ${top.name}`,
      });
    }
    if (e.code === "E_TIMEOUT" || e.code === "E_MEMORY") {
      return new PxosError(e.code, `${e.message} (in function ${top.name})`, {
        file: top.file,
        line: top.line,
        cause: e,
      });
    }
  }
  return e;
}

/** The `E_FUEL` error, in the wording every engine shares. */
export function fuelError(limits: Limits): PxosError {
  return fuelExhausted(limits.fuel);
}

/** The `E_TIMEOUT` error. */
export function timeoutError(limits: Limits): PxosError {
  return new PxosError("E_TIMEOUT", `expected the program to finish within ${limits.timeoutMs} ms`);
}

/** The arity error text, shared with the VM so both engines say the same. */
export function arityMessage(name: string, required: number, max: number, got: number): string {
  const want = required === max ? `${max}` : `${required} to ${max}`;
  const plural = max === 1 && required === max ? "" : "s";
  return `Function '${name}' expects ${want} argument${plural} but got ${got}`;
}
