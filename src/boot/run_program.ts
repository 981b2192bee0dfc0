/**
 * Running a loaded program on its engine, the one place that turns the host's `GuestExit` into
 * an ordinary result (so `pxos run` and `pxos boot` agree on exit codes).
 *
 * @module
 */
import type { Engine, RunOptions, RunResult } from "../engines/engine.ts";
import { GuestExit, type Host } from "../host/host.ts";
import type { Limits } from "../host/limits.ts";

/**
 * Runs `program` on `engine`; a guest `process.exit(n)` becomes `{ exitCode: n }`.
 *
 * @example
 * ```ts ignore
 * import { createHost, DEFAULT_LIMITS, engineFor, runProgram } from "@pxos/core";
 * const engine = engineFor("main.pxasm");
 * const program = await engine.load(new TextEncoder().encode("PUSH 1\nHALT\n"), { path: "main.pxasm" });
 * const result = await runProgram(engine, program, createHost({ stdout: console.log }), DEFAULT_LIMITS);
 * ```
 */
export async function runProgram<P>(
  engine: Engine<P>,
  program: P,
  host: Host,
  limits: Limits,
  options?: RunOptions,
): Promise<RunResult> {
  try {
    return await engine.run(program, host, limits, options);
  } catch (e) {
    if (e instanceof GuestExit) return { exitCode: e.exitCode, fuelUsed: -1 };
    throw e;
  }
}
