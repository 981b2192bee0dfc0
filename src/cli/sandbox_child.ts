/**
 * The sandbox process's entry (`sandbox_process.ts` starts it as `… sandbox_child.ts boot <args>`).
 * It takes the plan from `PXOS_SANDBOX_PLAN`, or, when it was started before the plan was decided
 * (`sandbox_speculation.ts`), from the socket named in `PXOS_SANDBOX_PLAN_SOCKET`. While it waits
 * there, it opens the cartridge and may start the sandbox Worker (`sandbox_prestart.ts`); the
 * guest runs only once the plan has come, and if it never comes (`pxos boot` ended) the process
 * ends having run nothing.
 *
 * This process's start is on the path of every boot, and the plan of `pxos boot --yes` is
 * usually waiting on the socket when it starts. So this module imports only the plan's channel
 * and the Worker's start: it connects, and once the plan is read (if it names the cartridge)
 * starts the Worker with the plan's permissions, while the rest (`sandbox_child_run.ts`: options,
 * the cartridge reader, the run) is still loading. When the guest has ended, it reports its exit
 * code over the same socket (`sandbox_report.ts`) and exits.
 *
 * @module
 */
import { type PrestartedWorker, prestartPlannedWorker } from "../boot/sandbox_prestart.ts";
import { importLazily } from "../lazy_import.ts";
import { sleep } from "../timers.ts";
import { connectForPlan, PLAN_SOCKET_VARIABLE } from "./sandbox_plan_channel.ts";
import type { SandboxPlan } from "./sandbox_process.ts";
import type { ChildReport } from "./sandbox_report.ts";

/**
 * How long the plan may keep the rest of this process from loading (see `sandboxChildMain`). With
 * `pxos boot --yes` the plan is usually ready when this process starts, and reading it takes a few
 * ms (connect, `pxos boot` answers, read): once the rest has begun loading, the read waits for
 * the loading's turns, and the Worker with it (3 ms here read the plan 8–13 ms after this
 * process's first line, 15 ms read it after ≈ 5). The rest is needed only once the Worker exists.
 */
const PLAN_HEAD_START_MS = 15;

/** The plan's channel and the Worker started early, shared with `sandbox_child_run.ts`. */
export interface PlanWait {
  /** The plan; `undefined` when none came (`pxos boot` ended first). */
  readonly planned: Promise<SandboxPlan | undefined>;
  /** Starts the early Worker with `start`, unless one was started: the one started. */
  prestart(
    start: () => Promise<PrestartedWorker | undefined>,
  ): Promise<PrestartedWorker | undefined>;
  /** The early Worker's start, once one began. */
  readonly started: Promise<PrestartedWorker | undefined> | undefined;
  /** The plan, once it has been read (`planned` resolved with one). */
  readonly received: SandboxPlan | undefined;
  /**
   * Sends `report` to `pxos boot` (`undefined`: none, it waits for this process's exit) and
   * closes the channel; resolves once it is written.
   */
  reply(report: ChildReport | undefined): Promise<void>;
}

/** Connects to the plan's socket, and starts the Worker from the plan as soon as it is read. */
function waitForPlan(socket: string): PlanWait {
  let started: Promise<PrestartedWorker | undefined> | undefined;
  let received: SandboxPlan | undefined;
  // An early Worker is an optimisation: if it cannot start, the run starts its own.
  const prestart = (start: () => Promise<PrestartedWorker | undefined>) =>
    started ??= start().catch(() => undefined);
  const connection = connectForPlan(socket);
  const planned = connection.then((c) => c?.plan);
  planned.then((plan) => {
    received = plan;
    const cartridge = plan?.cartridge;
    // Not when the opened cartridge started one first; and none for Python (it needs the
    // cartridge's snapshot), which then starts from the cartridge as before.
    if (!plan || !cartridge || started) return;
    let early: PrestartedWorker | undefined;
    try {
      early = prestartPlannedWorker({ grant: plan.grant, root: plan.root, cartridge });
    } catch {
      early = undefined;
    }
    if (early) started = Promise.resolve(early);
  }, () => {});
  return {
    planned,
    prestart,
    get started() {
      return started;
    },
    get received() {
      return received;
    },
    async reply(report) {
      const channel = await connection;
      if (report) await channel?.report(report);
      else channel?.close();
    },
  };
}

/** Runs the sandbox process for `argv` (`boot <args>`) and resolves to its exit code. */
export async function sandboxChildMain(argv: readonly string[]): Promise<number> {
  let socket: string | undefined;
  try {
    socket = Deno.env.get(PLAN_SOCKET_VARIABLE);
  } catch {
    socket = undefined; // the rest reads it again, and reports why it cannot
  }
  const wait = socket === undefined ? undefined : waitForPlan(socket);
  // A plan already waiting on the socket takes a millisecond to read; loading the rest first would
  // hold it (and the Worker it starts) back until every module of the rest is loaded.
  if (wait) {
    await Promise.race([wait.planned, sleep(PLAN_HEAD_START_MS)]);
  }
  const { runSandboxChild } = await importLazily<typeof import("./sandbox_child_run.ts")>(
    new URL("./sandbox_child_run.ts", import.meta.url),
  );
  return await runSandboxChild(argv, wait);
}

if (import.meta.main) Deno.exit(await sandboxChildMain(Deno.args));
