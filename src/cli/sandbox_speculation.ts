/**
 * Starting the sandbox process before `pxos boot` has decided. Both processes spend most of their
 * start-up loading modules and opening the cartridge, one after the other when the child is
 * started with the plan; started as soon as the command line says `boot`, the child does that on
 * the second core while this process verifies, prompts and decides, then waits for the plan
 * (`sandbox_plan_channel.ts`).
 *
 * It is started the way the common case will need it: the default heap limit, and Deno
 * permissions this process holds in full (passed on as they are, so they do not depend on the
 * plan). When the decided plan needs another command (`--memory`, a manifest's raised limits, a
 * partly held permission), this child is ended and one is started as before. It never runs a
 * guest without the plan, and it ends on its own when this process does.
 *
 * Not on Windows (no Unix sockets there for Deno), nor in a compiled `pxos`, nor when `pxos` was
 * given an IO of its own (tests, embedders).
 *
 * @module
 */
import { DEFAULT_LIMITS } from "../host/limits.ts";
import { openPlanSender, PLAN_SOCKET_VARIABLE, type PlanSender } from "./sandbox_plan_channel.ts";
import {
  type AdoptedChild,
  canStartSandboxProcess,
  heldPermissionFlags,
  PLAN_VARIABLE,
  type SandboxChildCommand,
  sandboxChildCommand,
  sandboxHeapMiB,
  type SandboxPlan,
  spawnSandboxChild,
} from "./sandbox_process.ts";

/** A sandbox process waiting for its plan. */
export interface SpeculativeChild {
  /**
   * Hands the child `plan` when it was started as `command` starts one, and returns it (its
   * output not yet read) with the report it will send; otherwise, or when the plan cannot reach
   * it, ends it: `undefined`.
   */
  adopt(command: SandboxChildCommand, plan: SandboxPlan): Promise<AdoptedChild | undefined>;
  /** Ends the child unless it was adopted; removes the socket, closes the report's channel. */
  end(): Promise<void>;
}

/** The child started for this process's `pxos boot`, until the command takes it. */
let waiting: SpeculativeChild | undefined;

/** The sandbox process started early for this `pxos boot`, if any (it can be taken once). */
export function takeSpeculativeChild(): SpeculativeChild | undefined {
  const early = waiting;
  waiting = undefined;
  return early;
}

/**
 * Starts the sandbox process for `pxos boot <bootArgs>` if this process can start one that will
 * most likely be right (see {@link takeSpeculativeChild}); returns it, or `undefined`. The caller
 * must {@link SpeculativeChild.end} it when the command is over.
 */
export async function startSpeculativeChild(
  bootArgs: readonly string[],
): Promise<SpeculativeChild | undefined> {
  waiting = await speculate(bootArgs);
  return waiting;
}

async function speculate(bootArgs: readonly string[]): Promise<SpeculativeChild | undefined> {
  if (!await worthStarting(bootArgs)) return undefined;
  const permissions = await heldPermissionFlags();
  if (permissions === undefined) return undefined;
  const heapMiB = sandboxHeapMiB(DEFAULT_LIMITS.memoryBytes);
  const command = sandboxChildCommand(bootArgs, heapMiB, permissions);
  let sender: PlanSender;
  try {
    sender = await openPlanSender();
  } catch {
    return undefined; // no socket here: started with the plan, as before
  }
  let child: Deno.ChildProcess;
  try {
    child = spawnSandboxChild(command, heapMiB, { [PLAN_SOCKET_VARIABLE]: sender.path }, {
      stdin: "inherit",
    });
  } catch {
    sender.close();
    return undefined;
  }
  let adopted = false;
  const ended = child.status;
  return {
    async adopt(wanted, plan) {
      if (adopted) return undefined;
      adopted = sameLaunch(wanted, command) && await sender.send(plan, ended);
      // Adopted, the channel stays open for the child's report (`end` closes it).
      if (adopted) return { child, report: sender.report };
      sender.close();
      await stop(child);
      return undefined;
    },
    async end() {
      sender.close();
      if (!adopted) await stop(child);
    },
  };
}

/** Whether a child started now will probably get the plan. */
async function worthStarting(bootArgs: readonly string[]): Promise<boolean> {
  if (Deno.build.os === "windows" || Deno.build.standalone) return false;
  if (bootArgs.includes("--help") || bootArgs.includes("-h")) return false;
  try {
    // This process is itself a sandbox process (a compiled pxos): it runs its plan.
    if (Deno.env.get(PLAN_VARIABLE)) return false;
  } catch {
    // The environment is closed to pxos: then so is the plan variable, to the command too.
  }
  return await canStartSandboxProcess();
}

function sameLaunch(a: SandboxChildCommand, b: SandboxChildCommand): boolean {
  return a.program === b.program && a.v8FlagsInEnv === b.v8FlagsInEnv &&
    a.launch.length === b.launch.length && a.launch.every((x, i) => x === b.launch[i]);
}

/** Kills a child that will not be used, without reading what it wrote. */
async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
  await Promise.all([child.stdout.cancel(), child.stderr.cancel()]).catch(() => {});
  await child.status.catch(() => {});
}
