/**
 * The sandbox Worker needs Deno's `worker-options` unstable feature, and Deno ends the process
 * (exit 70) instead of throwing when a Worker asks for permissions without it, so it must be
 * known beforehand. `pxos boot` normally runs the Worker in its sandbox process, which it starts
 * with the flag and `DENO_NO_PROMPT=1` itself (`sandbox_process.ts`); only where it may not start
 * a process does it create the Worker in its own process, and then the feature must be known to
 * be on: a compiled binary (`deno task compile` bakes the flag in), the flag on Deno's command
 * line, or a task that passes it and says so (`PXOS_WORKER_OPTIONS=1`).
 *
 * @module
 */
import { PxosError } from "../errors.ts";

const FLAG = "--unstable-worker-options";
const MARKER = "PXOS_WORKER_OPTIONS";

/** Deno's own command line (Linux), or `undefined` where it cannot be read. */
function denoCommandLine(): string[] | undefined {
  try {
    const raw = Deno.readTextFileSync("/proc/self/cmdline");
    return raw.split("\0").filter((a, i, all) => a !== "" || i < all.length - 1);
  } catch {
    return undefined;
  }
}

function envMarker(): boolean {
  try {
    return Deno.env.get(MARKER) === "1";
  } catch {
    return false;
  }
}

/**
 * Whether Deno's permission prompts are off. On a terminal Deno would otherwise ask the user
 * about a Worker's request outside its grant (even under `-A`), and a guest could word its way
 * into a "yes"; prompts can only be turned off when the process starts.
 */
function promptsOff(): boolean {
  if (!Deno.stdin.isTerminal()) return true;
  try {
    if (Deno.env.get("DENO_NO_PROMPT") !== undefined) return true;
  } catch {
    // no env permission: fall through to the command line
  }
  return (denoCommandLine() ?? []).includes("--no-prompt");
}

/**
 * Whether the sandbox can start in this process: permission-scoped Workers are available and
 * Deno will never prompt on their behalf.
 */
export function sandboxReady(): boolean {
  return workerOptionsEnabled() && promptsOff();
}

/** Whether permission-scoped Workers can be created in this process. */
export function workerOptionsEnabled(): boolean {
  if (Deno.build.standalone || envMarker()) return true;
  const argv = denoCommandLine() ?? [];
  const flagsEnd = argv.indexOf(Deno.mainModule.replace(/^file:\/\//, ""));
  const denoFlags = flagsEnd < 0 ? argv : argv.slice(0, flagsEnd);
  return denoFlags.includes(FLAG) || denoFlags.includes("--unstable");
}

/**
 * The error for a `pxos boot` that can neither start its sandbox process (no `run` permission
 * for its own executable) nor create the Worker in this process.
 */
export function sandboxUnavailable(): PxosError {
  return new PxosError(
    "E_USAGE",
    `pxos boot runs cartridges in a sandbox process of its own, which needs Deno's run permission (start pxos with -A or --allow-run); without it, start pxos with "deno run ${FLAG} …" to run the sandbox Worker in this process`,
  );
}
