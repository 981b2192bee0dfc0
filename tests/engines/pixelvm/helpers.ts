/** Shared helpers for the PixelVM tests: assemble + load + run with captured output. */
import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { loadPixelProgram, type PixelProgram } from "../../../src/engines/pixelvm/engine.ts";
import { execute } from "../../../src/engines/pixelvm/vm.ts";
import type { RunResult } from "../../../src/engines/engine.ts";
import { grantOf } from "../../../src/host/grant.ts";
import { createHost, type Host } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/host/limits.ts";
import { assertEquals } from "../../assert.ts";

/** What a run printed and returned. */
export interface Outcome {
  out: string;
  err: string;
  result?: RunResult;
  error?: unknown;
  /** The loaded program (absent when loading failed). */
  program?: PixelProgram;
}

/** Options for {@link runBytes}. */
export interface RunOpts {
  limits?: Partial<Limits>;
  precise?: boolean;
  files?: Map<string, Uint8Array>;
  grants?: ("clock" | "random" | "gpu")[];
  input?: string[];
  host?: Host;
  path?: string;
  /** `false`: load without the compiled tier (interpreter only). */
  compiledTier?: boolean;
}

/** Loads and runs `.pxi` bytes; errors are returned, not thrown. */
export async function runBytes(bytes: Uint8Array, opts: RunOpts = {}): Promise<Outcome> {
  let out = "", err = "";
  const input = [...(opts.input ?? [])];
  const host = opts.host ?? createHost({
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readLine: () => input.shift() ?? null,
    cartFiles: opts.files,
    grant: grantOf(opts.grants ?? []),
  });
  let program: PixelProgram | undefined;
  try {
    program = loadPixelProgram(bytes, { path: opts.path ?? "test.pxi", files: opts.files }, {
      compiledTier: opts.compiledTier,
    });
    const result = await execute(program, host, { ...DEFAULT_LIMITS, ...opts.limits }, {
      trace: opts.precise ? () => {} : undefined,
    });
    return { out, err, result, program };
  } catch (error) {
    return { out, err, error, program };
  }
}

/** Assembles and runs source. */
export function runSource(source: string, opts: RunOpts = {}): Promise<Outcome> {
  return runBytes(assemblePxasm(source), opts);
}

/**
 * Runs source in both loops (fast, and precise via tracing) and checks they agree on output and
 * error; the fast run goes once with the compiled tier (the default) and once without, and both
 * must agree with the precise run. Returns the default run's outcome.
 */
export async function runBoth(source: string, opts: RunOpts = {}): Promise<Outcome> {
  const fast = await runSource(source, opts);
  const interpreted = await runSource(source, { ...opts, compiledTier: false });
  const precise = await runSource(source, { ...opts, precise: true });
  for (const [name, other] of [["compiled", fast], ["interpreted", interpreted]] as const) {
    assertEquals(other.out, precise.out, `${name} and precise output differ for:\n${source}`);
    assertEquals(
      describe(other.error),
      describe(precise.error),
      `${name} and precise errors differ for:\n${source}`,
    );
    if (other.result && precise.result) {
      assertEquals(other.result.exitCode, precise.result.exitCode);
      assertEquals(other.result.fuelUsed, precise.result.fuelUsed, `${name}: fuel differs`);
    }
  }
  return fast;
}

/** A stable description of an error for comparisons. */
export function describe(e: unknown): string {
  if (e === undefined) return "none";
  const x = e as { code?: string; message?: string; details?: unknown };
  return `${x.code ?? "?"} ${x.message ?? String(e)} ${JSON.stringify(x.details ?? null)}`;
}

/** Hex dump, for readable byte assertions. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");
}
