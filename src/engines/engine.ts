/**
 * The engine contract: every bytecode format pxOS runs implements {@link Engine}.
 *
 * Engines never use the Deno namespace, `fetch` or the file system: all I/O goes through the
 * {@link Host} they are given, which is what makes permission scoping trustworthy.
 *
 * @module
 */
import type { Host } from "../host/host.ts";
import type { Limits } from "../host/limits.ts";
import type { FrameLoop } from "./frame_loop.ts";

/** Where a program came from, for error messages and for resolving sibling modules. */
export interface SourceInfo {
  /** Path of the program (archive path inside a cartridge, or a file path). */
  path: string;
  /**
   * Other files next to the program (the cartridge's files), for engines that link or import
   * modules at load time. Keys are normalised archive paths.
   */
  files?: ReadonlyMap<string, Uint8Array>;
  /**
   * For {@link Engine.compile}: keep a source map in the bytecode so errors name source lines
   * (default `true`). `pxos asm` turns it off unless asked (`-g`): a plain source then assembles
   * to the bare bytes the seed's tools read.
   */
  debugInfo?: boolean;
}

/** The result of a completed run. */
export interface RunResult {
  /** The guest's exit code (0 unless it said otherwise). */
  exitCode: number;
  /** Instructions executed. */
  fuelUsed: number;
  /** Present when {@link RunOptions.profile} was set. */
  profile?: ProfileSection[];
}

/** Per-run switches from the command line or an embedder. */
export interface RunOptions {
  /** When set, the engine calls it with one line per executed instruction (pc, op, operands, state). */
  trace?: (line: string) => void;
  /** When true, the engine collects a profile and returns it in {@link RunResult.profile}. */
  profile?: boolean;
  /** Engine-specific switches (e.g. pxVM's `strict`), documented by each engine. */
  flags?: Readonly<Record<string, string | boolean | number>>;
  /** Program arguments (after `--` on the command line, else the manifest's `args`). */
  args?: readonly string[];
  /** Environment variables the manifest lists and the user granted. */
  env?: Readonly<Record<string, string>>;
  /**
   * Granted host directories (root-relative), for engines that pre-open them (wasm's WASI).
   * Every access still goes through the host's `fs.*` calls.
   */
  dirs?: readonly { path: string; write: boolean }[];
  /**
   * The frame loop: when set and the program declares an `update` entry, the engine calls it
   * once per frame after the main part (see `frame_loop.ts`). Without it, `update` is not called.
   */
  frameLoop?: FrameLoop;
}

/** One table of a profile report, hottest rows first. */
export interface ProfileSection {
  /** What the rows count, e.g. `"opcodes"`, `"labels"`, `"functions"`. */
  title: string;
  /** Rows, hottest first. `timeMs` is present where the engine measures time. */
  rows: { name: string; count: number; timeMs?: number }[];
}

/** Output of {@link Engine.compile}: a new file to put where the source was. */
export interface CompiledFile {
  /** Path of the compiled file (normally the source path with the bytecode extension). */
  path: string;
  /** The bytecode. */
  bytes: Uint8Array;
  /**
   * When true, the source stays in a packed cartridge beside its bytecode (Python's import
   * chain prefers the `.pyc`) unless packing strips sources (`pack --compile --strip-source`).
   */
  keepSource?: boolean;
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
  run(program: P, host: Host, limits: Limits, options?: RunOptions): Promise<RunResult>;
  /**
   * Source extensions this engine compiles (e.g. `[".pxasm"]`, `[".poh"]`); `pxos asm`/`compile`
   * and `pxos pack --compile` use them. Absent when the engine has no source form.
   */
  readonly sourceExtensions?: readonly string[];
  /**
   * Loads what {@link Engine.compile} needs when that takes time (Python's compiler is its
   * interpreter). Callers await it before compiling; absent when `compile` needs nothing.
   */
  prepare?(): Promise<void>;
  /** Compiles/assembles a source file to bytecode; throws `PxosError` `E_ASSEMBLE` with line:col. */
  compile?(source: Uint8Array, info: SourceInfo): CompiledFile;
  /**
   * Renders bytecode as text that {@link Engine.compile} turns back into the same bytes (wasm,
   * which has no `compile`, prints the text format; its printer loads asynchronously).
   */
  disassemble?(bytes: Uint8Array, info: SourceInfo): string | Promise<string>;
  /**
   * Facts about a program for `pxos inspect` (e.g. a wasm module's imports and memory), as
   * JSON-friendly named values. Throws `PxosError` when the bytes are malformed.
   */
  describe?(bytes: Uint8Array, info: SourceInfo): Record<string, string | string[]>;
}
