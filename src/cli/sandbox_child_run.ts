/**
 * The sandbox process's work after its first moments (`sandbox_child.ts` is its entry): reading
 * the options, opening the cartridge, starting the Worker from it when the plan has not started
 * one, and running the plan when (and only if) it comes. What runs a plan (`boot_run.ts`: the
 * frame output, the relay, the audit) is imported after the Worker was created, while the Worker
 * loads its own modules on its thread; the error report and the plan-in-the-environment path on
 * use. Never the deciding side (prompt, signatures, the command list). It counts the bytes it
 * writes, for the report it sends `pxos boot` at the end (`sandbox_report.ts`).
 *
 * @module
 */
import { prestartSandboxWorker } from "../boot/sandbox_prestart.ts";
import { builtInEngineIdFor } from "../engines/engine_ids.ts";
import { PxosError } from "../errors.ts";
import { importLazily } from "../lazy_import.ts";
import type { ParsedArgs } from "./command.ts";
import { parseBootArgs, splitProgramArgs } from "./boot_options.ts";
import { EXIT } from "./exit_codes.ts";
import { type CliIO, terminalIO } from "./io.ts";
import { PLAN_SOCKET_VARIABLE } from "./sandbox_plan_channel.ts";
import { openPlanPayload } from "./sandbox_plan_payload.ts";
import { writeCounter } from "./sandbox_report.ts";
import { sleep } from "../timers.ts";
import type { PlanWait } from "./sandbox_child.ts";
import type { SandboxPlan } from "./sandbox_process.ts";

type BootRun = typeof import("./boot_run.ts");

/**
 * How long the sandbox process waits, once its modules are loaded, for a plan that has not come
 * yet before it opens the cartridge file itself. With `--yes` the plan follows within a few tens
 * of ms and carries a small cartridge's payload, which spares reading and decoding the image
 * (≈ 30 ms and the pixel modules; under load the plan came too late for it in 3 boots of 12);
 * a plan still being decided (a prompt) lets the process go on to the file and start its Worker
 * from the cartridge, as before.
 */
const PAYLOAD_WAIT_MS = 60;

function importBootRun(): Promise<BootRun> {
  return importLazily<BootRun>(new URL("./boot_run.ts", import.meta.url));
}

/**
 * Runs the sandbox process for `argv` (`boot <args>`) and resolves to its exit code. `wait`: the
 * plan's channel, opened by the entry (when `PXOS_SANDBOX_PLAN_SOCKET` names one).
 */
export async function runSandboxChild(
  argv: readonly string[],
  wait: PlanWait | undefined,
): Promise<number> {
  const written = writeCounter();
  const io = terminalIO({
    quiet: argv.includes("--quiet") || argv.includes("-q"),
    debug: argv.includes("--debug"),
    onWrite: written.add,
  });
  const code = await runOrReportError(argv, wait, io);
  await wait?.reply(countsAreWhole(code, wait.received) ? written.report(code) : undefined);
  return code;
}

/**
 * Whether the bytes this process counted are all it wrote, so that `pxos boot` may stop passing
 * output on once it has that many (`sandbox_report.ts`); otherwise no report is sent and `pxos
 * boot` waits for this process's end, as before. Only a guest that ended normally (exit code 0)
 * qualifies: stopped at its deadline, its Worker may still be running; after an error, Deno may
 * print an uncaught one itself. And not a Python guest: its runtime (Pyodide) may print on its
 * own, bytes no counter here sees — which would make `pxos boot` stop before the last of them.
 */
export function countsAreWhole(code: number, plan: SandboxPlan | undefined): boolean {
  const cart = plan?.cartridge;
  return code === EXIT.OK && cart !== undefined &&
    builtInEngineIdFor(cart.entry, cart.engine ?? undefined) !== "python";
}

async function runOrReportError(
  argv: readonly string[],
  wait: PlanWait | undefined,
  io: CliIO,
): Promise<number> {
  try {
    if (argv[0] !== "boot") {
      throw new PxosError("E_USAGE", `the sandbox process runs "boot"; found ${argv[0]}`);
    }
    const { values, cartPath } = parseBootArgs(splitProgramArgs(argv.slice(1)).args);
    const socket = Deno.env.get(PLAN_SOCKET_VARIABLE);
    if (socket === undefined || wait === undefined) {
      return await runPlanFromEnv(cartPath, values, io);
    }
    return await runWhenPlanned(wait, cartPath, values, io);
  } catch (e) {
    const { reportError } = await importLazily<typeof import("./main.ts")>(
      new URL("./main.ts", import.meta.url),
    );
    return reportError(e, io);
  }
}

/** Started with the plan decided: it is in the environment. */
async function runPlanFromEnv(
  cartPath: string,
  values: ParsedArgs["values"],
  io: CliIO,
): Promise<number> {
  const { PLAN_VARIABLE, sandboxPlanFromEnv } = await importLazily<
    typeof import("./sandbox_process.ts")
  >(new URL("./sandbox_process.ts", import.meta.url));
  const plan = sandboxPlanFromEnv();
  if (!plan) {
    throw new PxosError("E_USAGE", `the sandbox process needs its plan in ${PLAN_VARIABLE}`);
  }
  return await (await importBootRun()).runAsSandboxChild(cartPath, values, io, plan);
}

/**
 * Prepares while `pxos boot` decides; runs the plan when (and only if) it comes. The Worker
 * starts from whichever comes first: the plan (then with the plan's permissions, see
 * `sandbox_child.ts`) or the opened cartridge (then with an empty grant's, see
 * `sandbox_prestart.ts`).
 */
async function runWhenPlanned(
  wait: PlanWait,
  cartPath: string,
  values: ParsedArgs["values"],
  io: CliIO,
): Promise<number> {
  // A plan may carry the payload (a small cartridge): then the image is not read and decoded
  // again, and the pixel layer not loaded (`sandbox_plan_payload.ts`).
  const inTime = wait.received ?? await Promise.race([wait.planned, sleep(PAYLOAD_WAIT_MS)]);
  const cartridge = openPlanPayload(inTime ?? undefined, cartPath) ??
    importLazily<typeof import("./files.ts")>(new URL("./files.ts", import.meta.url))
      .then((files) => files.openCartridgeOrFolder(cartPath));
  const opened = cartridge.then(async (cart) => ({
    cart,
    prestarted: await (wait.started ?? wait.prestart(() => prestartSandboxWorker(cart))),
  }));
  opened.catch(() => {}); // reported below, once there is a plan to report it for
  // Loaded once the Worker exists (or the cartridge could not be opened), not before it.
  const bootRun = opened.then(importBootRun, importBootRun);
  bootRun.catch(() => {}); // reported below, once there is a plan
  const plan = await wait.planned;
  try {
    // Without a plan (`pxos boot` ended or chose another way) nothing runs, and nobody is told.
    if (plan === undefined) return EXIT.INVALID;
    return await (await bootRun).runAsSandboxChild(cartPath, values, io, plan, await opened);
  } finally {
    (await wait.started)?.discard();
  }
}
