/**
 * The run driver: hands out fuel in slices of {@link DEADLINE_CHECK_INTERVAL} instructions to the
 * fast loop (or, under `--trace`/`--profile`, the precise loop), runs compiled code where the fast
 * loop stops at a region entry (`jit.ts`), checks fuel and the deadline between slices, and builds
 * the profile.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { Host } from "../../host/host.ts";
import { DEADLINE_CHECK_INTERVAL, deadlineFor, type Limits } from "../../host/limits.ts";
import type { ProfileSection, RunOptions, RunResult } from "../engine.ts";
import { fuelExhausted } from "../limit_errors.ts";
import { runFrames } from "../frame_loop.ts";
import { type DecodedProgram, F_NATIVE, INTERNAL_NAMES, OP_COUNT } from "./decode.ts";
import { runFast } from "./fast_loop.ts";
import { enterNative } from "./jit.ts";
import { type PreciseHooks, runPrecise } from "./precise_loop.ts";
import {
  newState,
  placeOf,
  ST_HALT,
  ST_SLICE,
  ST_SLOW,
  stackSnapshot,
  type VmState,
} from "./state.ts";

/**
 * Runs a pre-decoded program to `HALT`. Throws `E_TRAP`, `E_FUEL`, `E_TIMEOUT`, `E_MEMORY`; lets
 * the host's `GuestExit` through.
 */
export async function execute(
  p: DecodedProgram,
  host: Host,
  limits: Limits,
  options: RunOptions = {},
): Promise<RunResult> {
  if (p.module.memoryBytes > limits.memoryBytes) {
    throw new PxosError(
      "E_MEMORY",
      `program declares ${p.module.memoryBytes} bytes of memory, the limit is ${limits.memoryBytes}`,
      { file: p.file },
    );
  }
  const st = acquireState(p);
  try {
    return await runLoops(p, st, host, limits, options);
  } finally {
    idleStates.set(p, st);
  }
}

/**
 * States of finished runs, one per program, reused by its next run: a fresh state allocates
 * ~450 KB of stacks, and doing that per run shows up as GC noise in short repeated runs. Values
 * above the stack tops are never read (LGET checks the frame), so only memory is reset.
 */
const idleStates = new WeakMap<DecodedProgram, VmState>();

function acquireState(p: DecodedProgram): VmState {
  const st = idleStates.get(p);
  if (!st) return newState(p);
  idleStates.delete(p); // a concurrent run of the same program gets a fresh state
  Object.assign(st, { pc: 0, sp: 0, fp: 0, rsp: 0, used: 0 });
  st.mem8.fill(0);
  st.mem8.set(p.module.data);
  return st;
}

async function runLoops(
  p: DecodedProgram,
  st: VmState,
  host: Host,
  limits: Limits,
  options: RunOptions,
): Promise<RunResult> {
  const deadline = deadlineFor(limits);
  const precise = options.trace !== undefined || options.profile === true;
  const hooks: PreciseHooks | undefined = precise
    ? {
      trace: options.trace,
      opCounts: options.profile ? new Float64Array(OP_COUNT) : undefined,
      pcCounts: options.profile ? new Float64Array(p.count + 1) : undefined,
    }
    : undefined;
  const limit = limits.fuel;
  let used = 0;
  const toHalt = async (): Promise<void> => {
    for (;;) {
      const budget = Math.max(0, Math.min(limit - used, DEADLINE_CHECK_INTERVAL));
      let status = precise ? await runPrecise(p, st, host, budget, hooks) : runFast(p, st, budget);
      used += st.used;
      if (status === ST_SLOW && !precise && p.fast[st.pc * 4] === F_NATIVE) {
        status = enterCompiled(p, st, limit - used, deadline);
        used += st.used;
      }
      if (status === ST_SLOW) {
        status = await runPrecise(p, st, host, Math.max(0, Math.min(limit - used, 1)));
        used += st.used;
      }
      if (status === ST_HALT && used <= limit) return;
      if (used >= limit && status !== ST_SLOW) throw fuelError(p, st, limit);
      if (status === ST_SLICE && performance.now() > deadline) {
        const place = placeOf(p, st.pc);
        throw new PxosError(
          "E_TIMEOUT",
          `program ran past its ${limits.timeoutMs} ms deadline (at ${place.doing})`,
          { file: place.file, line: place.line, offset: place.offset, details: details(p, st) },
        );
      }
    }
  };
  await toHalt();
  const update = options.frameLoop ? updateIndex(p) : undefined;
  if (options.frameLoop && update !== undefined) {
    // The exported `update` runs once per frame, from its label to a HALT, on empty stacks.
    await runFrames(options.frameLoop, async () => {
      Object.assign(st, { pc: update, sp: 0, fp: 0, rsp: 0 });
      await toHalt();
      return true;
    });
  }
  return {
    exitCode: 0,
    fuelUsed: used,
    profile: options.profile && hooks ? buildProfile(p, hooks) : undefined,
  };
}

/** Instruction index of the exported `update`, if the module exports one. */
function updateIndex(p: DecodedProgram): number | undefined {
  const exported = p.module.exports.find((e) => e.name === "update");
  if (!exported) return undefined;
  const index = p.offsets.indexOf(exported.offset);
  return index < 0 ? undefined : index;
}

/**
 * Runs compiled code from a region entry. A host stack overflow that escapes it was raised
 * before anything ran (compiled code turns later ones into bails), so the interpreter goes on.
 */
function enterCompiled(p: DecodedProgram, st: VmState, given: number, deadline: number): number {
  try {
    return enterNative(p, st, given, deadline);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    st.used = 0;
    return ST_SLOW;
  }
}

function details(p: DecodedProgram, st: VmState): Record<string, unknown> {
  return {
    pc: p.offsets[st.pc],
    op: INTERNAL_NAMES[p.plain[st.pc * 4]],
    sp: st.sp,
    stack: stackSnapshot(st),
  };
}

function fuelError(p: DecodedProgram, st: VmState, limit: number): PxosError {
  return fuelExhausted(limit, placeOf(p, st.pc), details(p, st));
}

/** Turns the precise loop's counters into report sections, hottest first. */
function buildProfile(p: DecodedProgram, hooks: PreciseHooks): ProfileSection[] {
  const byOp: { name: string; count: number }[] = [];
  hooks.opCounts!.forEach((count, op) => {
    if (count > 0) byOp.push({ name: INTERNAL_NAMES[op], count });
  });
  const byLabel = new Map<string, number>();
  let region = p.labels.get(0) ?? "(entry)";
  for (let k = 0; k < p.count; k++) {
    region = p.labels.get(k) ?? region;
    const c = hooks.pcCounts![k];
    if (c > 0) byLabel.set(region, (byLabel.get(region) ?? 0) + c);
  }
  const hottest = (a: { count: number }, b: { count: number }) => b.count - a.count;
  return [
    { title: "opcodes", rows: byOp.sort(hottest) },
    {
      title: "labels",
      rows: [...byLabel].map(([name, count]) => ({ name, count })).sort(hottest),
    },
  ];
}
