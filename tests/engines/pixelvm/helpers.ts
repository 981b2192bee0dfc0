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

/** An error as compared across tiers: E_FUEL by code only, everything else in full. */
function verdict(e: unknown): string {
  return (e as { code?: string })?.code === "E_FUEL" ? "E_FUEL" : describe(e);
}

/**
 * Runs `source` compiled, interpreted and precise; fails unless all three agree on output, error
 * (same trap, pc and stack; for E_FUEL the same code, since tiers may stop a few straight-line
 * instructions apart), fuel and exit code. Returns the compiled run's outcome.
 */
export async function runTiers(
  source: string | Uint8Array,
  opts: RunOpts = {},
): Promise<Outcome> {
  const bytes = typeof source === "string" ? assemblePxasm(source) : source;
  const compiled = await runBytes(bytes, opts);
  const others = {
    interpreter: await runBytes(bytes, { ...opts, compiledTier: false }),
    precise: await runBytes(bytes, { ...opts, precise: true }),
  };
  for (const [name, other] of Object.entries(others)) {
    const what = `compiled vs ${name} for:\n${typeof source === "string" ? source : "(bytes)"}`;
    assertEquals(compiled.out, other.out, what);
    assertEquals(compiled.err, other.err, what);
    assertEquals(verdict(compiled.error), verdict(other.error), what);
    assertEquals(compiled.result?.fuelUsed, other.result?.fuelUsed, what);
    assertEquals(compiled.result?.exitCode, other.result?.exitCode, what);
  }
  return compiled;
}
