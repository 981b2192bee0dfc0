/**
 * The sandbox process's entry (`sandbox_process.ts` starts it as `… sandbox_child.ts boot <args>`).
 * It loads what running a decided plan needs — not the deciding side (prompt, signatures, the
 * command list) — and takes the plan from `PXOS_SANDBOX_PLAN`, or, when it was started before the
 * plan was decided (`sandbox_speculation.ts`), from the socket named in
 * `PXOS_SANDBOX_PLAN_SOCKET`. While it waits there, it opens the cartridge and may start the
 * sandbox Worker (`sandbox_prestart.ts`); the guest runs only once the plan has come, and if it
 * never comes (`pxos boot` ended) the process ends having run nothing.
 *
 * @module
 */
import { prestartSandboxWorker } from "../boot/sandbox_prestart.ts";
import { PxosError } from "../errors.ts";
import { parseBootArgs, splitProgramArgs } from "./boot_options.ts";
import { runAsSandboxChild } from "./boot_run.ts";
import { EXIT } from "./exit_codes.ts";
import { openCartridgeOrFolder } from "./files.ts";
import { terminalIO } from "./io.ts";
import { reportError } from "./main.ts";
import { PLAN_SOCKET_VARIABLE, receivePlan } from "./sandbox_plan_channel.ts";
import { PLAN_VARIABLE, sandboxPlanFromEnv } from "./sandbox_process.ts";

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
    if (socket === undefined) {
      const plan = sandboxPlanFromEnv();
      if (!plan) {
        throw new PxosError("E_USAGE", `the sandbox process needs its plan in ${PLAN_VARIABLE}`);
      }
      return await runAsSandboxChild(cartPath, values, io, plan);
    }
    return await runWhenPlanned(socket, cartPath, values, io);
  } catch (e) {
    return reportError(e, io);
  }
}

/** Prepares while `pxos boot` decides; runs the plan when (and only if) it comes. */
async function runWhenPlanned(
  socket: string,
  cartPath: string,
  values: Parameters<typeof runAsSandboxChild>[1],
  io: Parameters<typeof runAsSandboxChild>[2],
): Promise<number> {
  const planned = receivePlan(socket);
  const opened = openCartridgeOrFolder(cartPath).then(async (cart) => ({
    cart,
    // An early Worker is an optimisation: if it cannot start, the run starts its own.
    prestarted: await prestartSandboxWorker(cart).catch(() => undefined),
  }));
  opened.catch(() => {}); // reported below, once there is a plan to report it for
  const plan = await planned;
  try {
    // Without a plan (`pxos boot` ended or chose another way) nothing runs, and nobody is told.
    if (plan === undefined) return EXIT.INVALID;
    return await runAsSandboxChild(cartPath, values, io, plan, await opened);
  } finally {
    (await opened.catch(() => undefined))?.prestarted?.discard();
  }
}

if (import.meta.main) Deno.exit(await sandboxChildMain(Deno.args));
