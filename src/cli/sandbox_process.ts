/**
 * `pxos boot` runs the guest in a second `pxos` process: the sandbox Worker's heap can only be
 * bounded for a whole process (V8's `--max-old-space-size`; a Worker that reaches it aborts the
 * process), so the process that shows the prompt and owns the terminal must not be that one.
 *
 * This side decides everything (grant, limits) and starts the child with that plan; the child
 * opens the same cartridge (refusing it if its digest changed in between), writes the frames and
 * the audit, and runs the Worker. Its output comes back through pipes and is written here without
 * blocking, so the child's deadline, and this side's backstop, fire whatever the reader does. A
 * child that dies of its heap limit becomes `E_MEMORY` (exit 2) here, never a crash of `pxos`.
 *
 * @module
 */
import { dirname, fromFileUrl, join } from "../paths.ts";
import { PxosError } from "../errors.ts";
import { sleep, startTimer } from "../timers.ts";
import type { Grant } from "../host/grant.ts";
import type { Limits } from "../host/limits.ts";
import type { PlanPayload } from "./sandbox_plan_payload.ts";
import { EXIT } from "./exit_codes.ts";
import { type CliIO, guestOutput } from "./io.ts";
import { copyOutput } from "./sandbox_output.ts";
import type { ChildReport } from "./sandbox_report.ts";

/** What the child needs to run exactly what the user agreed to. */
export interface SandboxPlan {
  /** The grant decided here. */
  grant: Grant;
  /** The limits the run gets (already decided: the child does not ask again). */
  limits: Limits;
  /** Real path of the root. */
  root: string;
  /** Hex archive digest of the cartridge the user saw. */
  digest: string;
  /** Program arguments from after `--` (undefined: the manifest's `args`). */
  programArgs?: string[];
  /** Granted environment variables (read by the parent, which may read the environment). */
  env?: Record<string, string>;
  /**
   * The cartridge's name, entry and engine (its manifest's), so that a sandbox process that has
   * the plan before it has opened the cartridge can start its Worker at once.
   */
  cartridge?: { name: string; entry: string; engine: string | null };
  /** A small cartridge's archive payload, opened instead of the file (`sandbox_plan_payload.ts`). */
  payload?: PlanPayload;
}

/** The environment variable that carries the plan to the child. */
export const PLAN_VARIABLE = "PXOS_SANDBOX_PLAN";

/**
 * The guest heap beyond `memoryBytes` the sandbox process may use before it is stopped: the
 * engines, the host and the cartridge's decoded files live there too. Measured for the test
 * cartridges in `tests/security/memory_test.ts`; `docs/SECURITY.md` quotes it.
 */
export const HEAP_OVERHEAD_BYTES = 128 * 1024 * 1024;

/** How long output of a stopped guest may still take to reach the reader. */
const STOPPED_FLUSH_MS = 100;
/** Extra time the child gets to start (module loading, opening the cartridge) before the backstop. */
const STARTUP_ALLOWANCE_MS = 30_000;

/** The plan this process was started with as a sandbox child, or `undefined`. */
export function sandboxPlanFromEnv(): SandboxPlan | undefined {
  let text: string | undefined;
  try {
    text = Deno.env.get(PLAN_VARIABLE);
  } catch {
    return undefined;
  }
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text) as SandboxPlan;
  } catch {
    throw new PxosError("E_USAGE", `${PLAN_VARIABLE} is set but is not a sandbox plan`);
  }
}

/**
 * Whether this `pxos` can start its sandbox process: it may run its own executable (Deno's
 * `run` permission for it).
 */
export function canStartSandboxProcess(): Promise<boolean> {
  try {
    const status = Deno.permissions.querySync({ name: "run", command: Deno.execPath() });
    return Promise.resolve(status.state === "granted");
  } catch {
    return Promise.resolve(false);
  }
}

/** Options for {@link runInSandboxProcess}. */
export interface SandboxProcessOptions {
  /** The `boot` arguments as given (the child parses them again for frames, audit, etc.). */
  args: readonly string[];
  /** What the child must run with. */
  plan: SandboxPlan;
  /** Where output goes. */
  io: CliIO;
  /** Input lines for the guest when the IO supplies them (tests); else stdin is inherited. */
  readLine?: () => Promise<string | null> | string | null;
  /** Paths the child must be able to read besides the grant (cartridge, keys, frames). */
  readPaths: readonly string[];
  /** Paths the child must be able to write besides the grant (frames, audit file). */
  writePaths: readonly string[];
  /** Called when the child died without saying why (killed at its heap limit, or by the backstop). */
  onCrash?: (error: PxosError) => void;
  /**
   * A sandbox process started before the plan was decided (`sandbox_speculation.ts`): it gets
   * the plan if it was started the way `command` starts one; otherwise it is ended and a new
   * one is started with the plan.
   */
  early?: {
    /** The child, given `plan`, when it was started as `command` would start it; else `undefined`. */
    adopt(command: SandboxChildCommand, plan: SandboxPlan): Promise<AdoptedChild | undefined>;
  };
}

/** A sandbox process that was started before the plan and has been given it. */
export interface AdoptedChild {
  /** The process. */
  child: Deno.ChildProcess;
  /** Its report when its guest has ended (`sandbox_report.ts`); `undefined` if it sends none. */
  report: Promise<ChildReport | undefined>;
}

/** How a sandbox process is started. */
export interface SandboxChildCommand {
  /** The executable. */
  program: string;
  /** Its arguments. */
  args: string[];
  /**
   * The part of {@link SandboxChildCommand.args} before `boot`'s own arguments: what decides the
   * process's heap, Deno permissions and entry module.
   */
  launch: string[];
  /** Whether the heap limit goes in `DENO_V8_FLAGS` (a compiled `pxos`). */
  v8FlagsInEnv: boolean;
}

/** The heap limit, in MiB, of a sandbox process whose guest may use `memoryBytes`. */
export function sandboxHeapMiB(memoryBytes: number): number {
  return Math.ceil((memoryBytes + HEAP_OVERHEAD_BYTES) / (1024 * 1024));
}

/** The sandbox process's entry module (it loads only what running the plan needs). */
const CHILD_ENTRY = new URL("./sandbox_child.ts", import.meta.url);

/** Runs the boot in a child process and resolves to its exit code. */
export async function runInSandboxProcess(options: SandboxProcessOptions): Promise<number> {
  const { plan, io } = options;
  const heapMiB = sandboxHeapMiB(plan.limits.memoryBytes);
  const command = sandboxChildCommand(options.args, heapMiB, permissionFlags(options));
  // A plan in the environment goes without the payload: that child reads the file (and an
  // environment variable is no place for up to 87 KB of base64).
  const envPlan: SandboxPlan = { ...plan, payload: undefined };
  const adopted = await options.early?.adopt(command, plan);
  const child = adopted?.child ??
    spawnSandboxChild(command, heapMiB, { [PLAN_VARIABLE]: JSON.stringify(envPlan) }, {
      stdin: options.readLine ? "piped" : "inherit",
    });
  const feeding = options.readLine ? feedLines(child.stdin, options.readLine) : Promise.resolve();
  let outOfMemory = false;
  // When our reader goes (`pxos boot … | head`), the guest has nobody to write for: it is stopped.
  let readerGone = false;
  const stdout = guestOutput(io, "out");
  const toStdout = async (text: string) => {
    try {
      await stdout(text);
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) {
        readerGone = true;
        kill(child);
      }
      throw e;
    }
  };
  const out = copyOutput(child.stdout, toStdout);
  const err = copyOutput(child.stderr, guestOutput(io, "err"), () => (outOfMemory = true));
  const forwarding = Promise.all([out.done, err.done]);
  // The child keeps its own deadline; this one only catches a child that cannot.
  let killedByBackstop = false;
  // Not setTimeout: its first call loads Node's timers (src/timers.ts).
  const backstop = startTimer(STARTUP_ALLOWANCE_MS + plan.limits.timeoutMs + 1000, () => {
    killedByBackstop = true;
    kill(child);
  });
  // A child that reports its outcome is done once what it wrote has been passed on: its
  // process's own end (≈ 10 ms of teardown) is not waited for. One that sends no report (its
  // heap limit, a signal, its deadline) is judged by its exit status, as before.
  const reported = await Promise.race([
    adopted?.report ?? Promise.resolve(undefined),
    child.status.then(() => undefined),
  ]);
  if (reported) {
    await Promise.all([out.reached(reported.out), err.reached(reported.err)]);
    backstop.cancel();
    await feeding.catch(() => {});
    return readerGone ? EXIT.OK : reported.code;
  }
  const status = await child.status;
  backstop.cancel();
  // A program that ended normally has all its output delivered, however slow the reader; one
  // stopped at its deadline (or killed) does not keep pxos waiting for it.
  const stopped = killedByBackstop || status.signal !== null || status.code === EXIT.TIMEOUT;
  await (stopped ? Promise.race([forwarding, sleep(STOPPED_FLUSH_MS)]) : forwarding);
  await feeding.catch(() => {});
  if (readerGone) return EXIT.OK;
  if (killedByBackstop) {
    const error = new PxosError(
      "E_TIMEOUT",
      `the sandbox process did not end within its ${plan.limits.timeoutMs} ms limit; stopped`,
    );
    options.onCrash?.(error);
    throw error;
  }
  // V8's report alone could be printed by a guest; it counts only from a process that V8 ended.
  if (status.signal !== null) {
    const error = outOfMemory
      ? new PxosError(
        "E_MEMORY",
        `the guest used more memory than its limit of ${plan.limits.memoryBytes} bytes allows; the sandbox process was stopped (raise it with --memory)`,
      )
      : new PxosError("E_TRAP", `the sandbox process ended with signal ${status.signal}`);
    options.onCrash?.(error);
    throw error;
  }
  return status.code;
}

/**
 * The command that starts `pxos boot` as a sandbox process with `bootArgs`, a heap of `heapMiB`
 * and the Deno permission flags `permissions` (see {@link heldPermissionFlags}).
 */
export function sandboxChildCommand(
  bootArgs: readonly string[],
  heapMiB: number,
  permissions: readonly string[],
): SandboxChildCommand {
  if (Deno.build.standalone) {
    // A compiled pxos has its permissions and flags built in; V8 flags come from the environment.
    return {
      program: Deno.execPath(),
      args: ["boot", ...bootArgs],
      launch: [`DENO_V8_FLAGS=--max-old-space-size=${heapMiB}`],
      v8FlagsInEnv: true,
    };
  }
  const cli = new URL("../../cli.ts", import.meta.url);
  const launch = [
    "run",
    "--unstable-worker-options",
    `--v8-flags=--max-old-space-size=${heapMiB}`,
    ...permissions,
    ...configFlags(cli),
    CHILD_ENTRY.href,
  ];
  return {
    program: Deno.execPath(),
    args: [...launch, "boot", ...bootArgs],
    launch,
    v8FlagsInEnv: false,
  };
}

/**
 * Starts a sandbox process: `planEnv` carries the plan (or where it will come from), Deno never
 * prompts on the guest's behalf, and its Worker may have permissions of its own.
 */
export function spawnSandboxChild(
  command: SandboxChildCommand,
  heapMiB: number,
  planEnv: Record<string, string>,
  options: { stdin: "piped" | "inherit" },
): Deno.ChildProcess {
  try {
    return new Deno.Command(command.program, {
      args: command.args,
      env: {
        ...planEnv,
        DENO_NO_PROMPT: "1",
        PXOS_WORKER_OPTIONS: "1",
        ...(command.v8FlagsInEnv ? { DENO_V8_FLAGS: `--max-old-space-size=${heapMiB}` } : {}),
      },
      stdin: options.stdin,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    throw new PxosError(
      "E_RUNTIME",
      `could not start the sandbox process: ${(e as Error).message}`,
    );
  }
}

/**
 * The permission flags of a sandbox process when this process holds `read`, `write` and `net`
 * in full (they are passed on as they are, whatever the plan), else `undefined` (they depend on
 * the plan).
 */
export function heldPermissionFlags(): Promise<string[] | undefined> {
  for (const name of ["read", "write", "net"] as const) {
    if (!held(name)) return Promise.resolve(undefined);
  }
  return Promise.resolve([
    "--allow-read",
    "--allow-write",
    "--allow-net",
    ...(held("env") ? ["--allow-env"] : []),
  ]);
}

/**
 * Deno permissions for the child: each one this process holds in full is passed on as it is;
 * otherwise exactly what the run needs (the grant, the cartridge, frames and audit files, and
 * reading pxOS's own modules). The Worker's permissions are the grant's, whatever the child holds.
 */
function permissionFlags(options: SandboxProcessOptions): string[] {
  const { grant, root } = options.plan;
  const abs = (p: string) => (p === "" ? root : join(root, ...p.split("/")));
  const flag = (name: "read" | "write" | "net", needed: string[]) => {
    if (held(name)) return [`--allow-${name}`];
    const list = [...new Set(needed)].filter((p) => !p.includes(","));
    return list.length === 0 ? [] : [`--allow-${name}=${list.join(",")}`];
  };
  return [
    ...flag("read", [
      root,
      ...grant.read.map(abs),
      ...grant.write.map(abs),
      ...options.readPaths,
      // Its own modules, which it imports on first use (`lazy_import.ts`); never the Worker's.
      ...(CHILD_ENTRY.protocol === "file:" ? [dirname(dirname(fromFileUrl(CHILD_ENTRY)))] : []),
    ]),
    ...flag("write", [...grant.write.map(abs), ...options.writePaths]),
    ...flag("net", [...grant.net]),
    ...(held("env") ? ["--allow-env"] : []),
  ];
}

// Synchronous queries: `pxos boot` asks these before it starts its sandbox process, and each
// asynchronous one waited for a turn of the event loop (2.5–5.5 ms for the five, 0.3 ms sync).
/** Whether this process holds the Deno permission `name` in full. */
function held(name: "read" | "write" | "net" | "env"): boolean {
  return Deno.permissions.querySync({ name }).state === "granted";
}

/**
 * Where the child finds its import map and lock: the configuration next to a local `cli.ts`
 * (a checkout), or none for a published package (JSR resolves its own).
 */
function configFlags(cli: URL): string[] {
  if (cli.protocol !== "file:") return ["--no-config"];
  const config = join(dirname(fromFileUrl(cli)), "deno.json");
  try {
    Deno.statSync(config);
    return ["--config", config];
  } catch {
    return [];
  }
}

/** Writes the IO's input lines to the child's stdin until they end. */
async function feedLines(
  stdin: WritableStream<Uint8Array>,
  readLine: () => Promise<string | null> | string | null,
): Promise<void> {
  const writer = stdin.getWriter();
  const encoder = new TextEncoder();
  try {
    for (let line = await readLine(); line !== null; line = await readLine()) {
      await writer.write(encoder.encode(`${line}\n`));
    }
  } finally {
    await writer.close().catch(() => {});
  }
}

function kill(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
}
