/**
 * The engine contract: every bytecode format pxOS runs implements {@link Engine}.
 *
 * Engines never touch `Deno.*`, `fetch` or the file system: all I/O goes through the
 * {@link Host} they are given, which is what makes permission scoping trustworthy.
 *
 * @module
 */
import type { Host } from "../host/host.ts";
import type { Limits } from "../host/limits.ts";

/** Where a program came from, for error messages and for resolving sibling modules. */
export interface SourceInfo {
  /** Path of the program (archive path inside a cartridge, or a file path). */
  path: string;
  /**
   * Other files next to the program (the cartridge's files), for engines that link or import
   * modules at load time. Keys are normalised archive paths.
   */
  files?: ReadonlyMap<string, Uint8Array>;
}

/** The result of a completed run. */
export interface RunResult {
  /** The guest's exit code (0 unless it said otherwise). */
  exitCode: number;
  /** Instructions executed. */
  fuelUsed: number;
}

/** A bytecode engine. `P` is the engine's loaded, verified program form. */
export interface Engine<P = unknown> {
  /** Stable id, e.g. `"pixelvm"`. */
  readonly id: string;
  /** File extensions (with the dot) whose files this engine runs, e.g. `[".pxi", ".pxasm"]`. */
  readonly extensions: readonly string[];
  /** Parses and verifies `bytes`; throws `PxosError` (`E_VERIFY`, `E_ASSEMBLE`, …) when invalid. */
  load(bytes: Uint8Array, source: SourceInfo): P | Promise<P>;
  /**
   * Runs a loaded program to completion. Throws `PxosError` for traps and limits
   * (`E_TRAP`, `E_FUEL`, `E_TIMEOUT`, `E_MEMORY`) and lets the host's `GuestExit` through.
   */
  run(program: P, host: Host, limits: Limits): Promise<RunResult>;
}
