/**
 * The sandbox Worker needs Deno's `worker-options` unstable feature, and Deno ends the process
 * (exit 70) instead of throwing when a Worker asks for permissions without it, so it must be
 * known beforehand. It is known to be on when `pxos` is a compiled binary (`deno task compile`
 * bakes the flag in), when the flag is on Deno's command line, or when an earlier `pxos` started
 * this one with it, or a task that passes the flag says so (`PXOS_WORKER_OPTIONS=1`). Otherwise
 * `pxos` starts itself again with the flag added and passes the exit code on: `deno run -A
 * <url>/cli.ts boot x.pxa` works from any directory with no config file. The new process also
 * gets `DENO_NO_PROMPT=1`: see {@link sandboxReady}.
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
 * Re-runs this `pxos` with the feature on and resolves to its exit code. Under `deno run -A` the
 * command line is copied exactly; otherwise (Deno lets only `-A` read it) it is rebuilt from the
 * permissions this process holds, so the new process never gets more than this one has.
 */
export async function relaunchWithWorkerOptions(): Promise<number> {
  const argv = denoCommandLine();
  if (argv && argv[1] !== "run") throw needsFlag();
  const args = argv
    ? [argv[1], FLAG, ...argv.slice(2)]
    : ["run", FLAG, ...(await heldPermissionFlags()), Deno.mainModule, ...Deno.args];
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(Deno.execPath(), {
      args,
      env: { [MARKER]: "1", DENO_NO_PROMPT: "1" },
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch (e) {
    throw needsFlag(`could not restart itself with it (${(e as Error).message})`);
  }
  return (await child.status).code;
}

function needsFlag(why = ""): PxosError {
  return new PxosError(
    "E_USAGE",
    `pxos boot runs cartridges in a permission-scoped Worker, which needs Deno's ${FLAG} flag` +
      `${
        why ? ` and ${why}` : ""
      }: start pxos with "deno run ${FLAG} …" (or use the compiled binary)`,
  );
}

/** `--allow-*` flags for the permissions this process holds in full. */
async function heldPermissionFlags(): Promise<string[]> {
  const names = ["read", "write", "net", "env", "run", "ffi", "sys", "import"] as const;
  const flags: string[] = [];
  for (const name of names) {
    const status = await Deno.permissions.query({ name } as Deno.PermissionDescriptor);
    if (status.state === "granted") flags.push(`--allow-${name}`);
  }
  return flags;
}
