import { assemblePxvm } from "../../../src/engines/pxvm/assembler.ts";
import { pxvmEngine } from "../../../src/engines/pxvm/engine.ts";
import type { RunResult } from "../../../src/engines/engine.ts";
import type { DrawOp, GfxSink } from "../../../src/host/gfx_sink.ts";
import { createHost, type HostOptions } from "../../../src/host/host.ts";
import type { Limits } from "../../../src/host/limits.ts";
import { grantOf } from "../../../src/host/grant.ts";
import { PxosError } from "../../../src/errors.ts";

/** What a test run produced. */
export interface TestRun {
  out: string;
  ops: (DrawOp | "present")[];
  result: RunResult;
}

/** Runs assembly source (or bytes) with a recording gfx sink. */
export async function runPxvm(
  source: string | Uint8Array,
  options: {
    strict?: boolean;
    jit?: boolean;
    fuel?: number;
    timeoutMs?: number;
    grants?: ("clock" | "random" | "gpu")[];
    sink?: GfxSink;
    host?: Partial<HostOptions>;
  } = {},
): Promise<TestRun> {
  const bytes = typeof source === "string" ? assemblePxvm(source) : source;
  const program = pxvmEngine.load(bytes, { path: "test.pxvm" });
  let out = "";
  const ops: (DrawOp | "present")[] = [];
  const sink: GfxSink = options.sink ?? {
    draw: (op) => void ops.push(op),
    present: () => void ops.push("present"),
  };
  const host = createHost({
    stdout: (t) => (out += t),
    gfx: sink,
    grant: grantOf(options.grants ?? []),
    ...options.host,
  });
  const limits: Limits = {
    fuel: options.fuel ?? 1_000_000,
    timeoutMs: options.timeoutMs ?? 5_000,
    memoryBytes: 1 << 20,
    outputBytes: 1 << 20,
  };
  const flags: Record<string, boolean> = {};
  if (options.strict) flags.strict = true;
  if (options.jit === false) flags.jit = false;
  const result = await pxvmEngine.run(program, host, limits, { flags });
  return { out, ops, result };
}

/** Runs with both tiers and checks they agree; returns the fast tier's run. */
export async function runBoth(
  source: string | Uint8Array,
  options: Parameters<typeof runPxvm>[1] = {},
): Promise<TestRun> {
  const slow = await runPxvm(source, { ...options, jit: false });
  const fast = await runPxvm(source, { ...options, jit: true });
  const same = JSON.stringify([slow.out, slow.ops, slow.result]) ===
    JSON.stringify([fast.out, fast.ops, fast.result]);
  if (!same) {
    throw new Error(
      `interpreter and fast tier disagree:\n${JSON.stringify(slow)}\n${JSON.stringify(fast)}`,
    );
  }
  return fast;
}

/** One run's observable outcome (output with warnings, fuel, exit, or the error), as text. */
export async function outcome(source: string, jit: boolean, fuel: number): Promise<string> {
  try {
    const r = await runPxvm(source, { jit, fuel });
    return `ok fuel=${r.result.fuelUsed} exit=${r.result.exitCode}\n${r.out}`;
  } catch (e) {
    if (!(e instanceof PxosError)) throw e;
    return `${e.code}: ${e.message} ${JSON.stringify(e.details ?? {})}`;
  }
}
