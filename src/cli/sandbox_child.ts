/**
 * The sandbox process's entry (`sandbox_process.ts` starts it as `… sandbox_child.ts boot <args>`).
 * It takes the plan from `PXOS_SANDBOX_PLAN`, or, when it was started before the plan was decided
 * (`sandbox_speculation.ts`), from the socket named in `PXOS_SANDBOX_PLAN_SOCKET`. While it waits
 * there, it opens the cartridge and may start the sandbox Worker (`sandbox_prestart.ts`); the
 * guest runs only once the plan has come, and if it never comes (`pxos boot` ended) the process
 * ends having run nothing.
 *
 * This process's start is on the path of every boot, so its static imports are only what it
 * needs to reach the Worker's creation: the options, the plan channel, the cartridge reader, the
 * Worker's start. What runs a plan (`boot_run.ts`: the frame output, the relay, the audit) is
 * imported after the Worker was created, while the Worker loads its own modules on its thread;
 * the error report and the plan-in-the-environment path on use. Never the deciding side (prompt,
 * signatures, the command list).
 *
 * @module
 */
import {
  type PrestartedWorker,
  prestartPlannedWorker,
  prestartSandboxWorker,
} from "../boot/sandbox_prestart.ts";
import { PxosError } from "../errors.ts";
import { importLazily } from "../lazy_import.ts";
import type { ParsedArgs } from "./command.ts";
import { parseBootArgs, splitProgramArgs } from "./boot_options.ts";
import { EXIT } from "./exit_codes.ts";
import { openCartridgeOrFolder } from "./files.ts";
import { type CliIO, terminalIO } from "./io.ts";
import { PLAN_SOCKET_VARIABLE, receivePlan } from "./sandbox_plan_channel.ts";

type BootRun = typeof import("./boot_run.ts");

function importBootRun(): Promise<BootRun> {
  return importLazily<BootRun>(new URL("./boot_run.ts", import.meta.url));
}

/** Runs the sandbox process for `argv` (`boot <args>`) and resolves to its exit code. */
export async function sandboxChildMain(argv: readonly string[]): Promise<number> {
  const io = terminalIO({
    quiet: argv.includes("--quiet") || argv.includes("-q"),
    debug: argv.includes("--debug"),
  });
  try {
    if (argv[0] !== "boot") {
      throw new PxosError("E_USAGE", `the sandbox process runs "boot"; found ${argv[0]}`);
    }
    const { values, cartPath } = parseBootArgs(splitProgramArgs(argv.slice(1)).args);
    const socket = Deno.env.get(PLAN_SOCKET_VARIABLE);
    if (socket === undefined) return await runPlanFromEnv(cartPath, values, io);
    return await runWhenPlanned(socket, cartPath, values, io);
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
 * starts from whichever comes first: the plan (then with the plan's permissions, while the
 * cartridge is being opened) or the opened cartridge (then with an empty grant's, see
 * `sandbox_prestart.ts`).
 */
async function runWhenPlanned(
  socket: string,
  cartPath: string,
  values: ParsedArgs["values"],
  io: CliIO,
): Promise<number> {
  const planned = receivePlan(socket);
  let prestarted: Promise<PrestartedWorker | undefined> | undefined;
  // An early Worker is an optimisation: if it cannot start, the run starts its own.
  const prestart = (start: () => Promise<PrestartedWorker | undefined>) => {
    prestarted ??= start().catch(() => undefined);
    return prestarted;
  };
  planned.then((plan) => {
    const early = plan?.cartridge &&
      { grant: plan.grant, root: plan.root, cartridge: plan.cartridge };
    if (early) void prestart(() => Promise.resolve(prestartPlannedWorker(early)));
  }, () => {});
  const opened = openCartridgeOrFolder(cartPath).then(async (cart) => ({
    cart,
    prestarted: await (prestarted ?? prestart(() => prestartSandboxWorker(cart))),
  }));
  opened.catch(() => {}); // reported below, once there is a plan to report it for
  // Loaded once the Worker exists (or the cartridge could not be opened), not before it.
  const bootRun = opened.then(importBootRun, importBootRun);
  bootRun.catch(() => {}); // reported below, once there is a plan
  const plan = await planned;
  try {
    // Without a plan (`pxos boot` ended or chose another way) nothing runs, and nobody is told.
    if (plan === undefined) return EXIT.INVALID;
    return await (await bootRun).runAsSandboxChild(cartPath, values, io, plan, await opened);
  } finally {
    (await prestarted)?.discard();
  }
}

if (import.meta.main) Deno.exit(await sandboxChildMain(Deno.args));
