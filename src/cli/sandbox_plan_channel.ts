/**
 * How the plan reaches a sandbox process started before it was decided (`sandbox_speculation.ts`).
 * The child's standard input is the user's terminal (the guest reads it, a played game in raw
 * mode), so the plan comes over a Unix socket instead, in a folder only this user may enter
 * (mode 0700, made by `pxos boot`). `pxos boot` listens; the child connects as soon as it
 * starts, and reads until the end of the stream: the plan's JSON when `pxos boot` has decided,
 * or nothing when it ended (it exited, failed, or was killed) — then the child ends too, having
 * run nothing. The socket's name goes away once the child is connected.
 *
 * `pxos boot` ends its side of the stream after the plan but keeps the connection: the child
 * answers on it with its {@link ChildReport} once the guest has ended and its output is written,
 * and then exits, so `pxos boot` may exit without waiting for the child's process to end.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { join } from "../paths.ts";
import type { SandboxPlan } from "./sandbox_process.ts";
import { type ChildReport, parseChildReport } from "./sandbox_report.ts";

/** The environment variable that names the socket to the child. */
export const PLAN_SOCKET_VARIABLE = "PXOS_SANDBOX_PLAN_SOCKET";

/** A plan larger than this is not one `pxos boot` sent (it holds a grant, limits, arguments). */
const MAX_PLAN_BYTES = 16 * 1024 * 1024;
/** A report larger than this is not one a sandbox process sent (an exit code and two counts). */
const MAX_REPORT_BYTES = 1024;

/** `pxos boot`'s end of the channel. */
export interface PlanSender {
  /** The socket's path, for {@link PLAN_SOCKET_VARIABLE}. */
  readonly path: string;
  /**
   * Sends the plan once the child has connected, then ends this side of the stream. Resolves to
   * `false` when it could not be delivered (the child ended first — `childEnded` settled —, or
   * the write failed).
   */
  send(plan: SandboxPlan, childEnded: Promise<unknown>): Promise<boolean>;
  /**
   * The child's report once it has sent one (after a plan was sent); `undefined` when the
   * connection ends without a valid one (the child died, or was stopped at its deadline).
   */
  readonly report: Promise<ChildReport | undefined>;
  /** Stops listening and removes the socket's folder; a connected child sees the end. */
  close(): void;
}

/** Opens the listening end in a new private temporary folder. */
export async function openPlanSender(): Promise<PlanSender> {
  // Synchronous: this runs before the sandbox process is started, on the path of every boot.
  const dir = Deno.makeTempDirSync({ prefix: "pxos-plan-" });
  Deno.chmodSync(dir, 0o700);
  const path = join(dir, "plan.sock");
  let listener: Deno.UnixListener | undefined;
  let conn: Deno.UnixConn | undefined;
  const removeFolder = () => Deno.remove(dir, { recursive: true }).catch(() => {});
  try {
    listener = Deno.listen({ transport: "unix", path });
  } catch (e) {
    await removeFolder();
    throw e;
  }
  const connected = listener.accept().then((c) => {
    conn = c;
    // Connected: the name is no longer needed, and nobody else should find it.
    listener?.close();
    listener = undefined;
    void removeFolder();
    return c;
  }, () => undefined);
  let reported: (report: ChildReport | undefined) => void = () => {};
  const report = new Promise<ChildReport | undefined>((resolve) => (reported = resolve));
  const closeConn = () => {
    try {
      conn?.close();
    } catch {
      // already closed
    }
    conn = undefined;
  };
  return {
    path,
    report,
    async send(plan, childEnded) {
      const to = await Promise.race([connected, childEnded.then(() => undefined)]);
      if (to === undefined) {
        reported(undefined);
        return false;
      }
      try {
        let bytes = new TextEncoder().encode(JSON.stringify(plan));
        while (bytes.length > 0) bytes = bytes.subarray(await to.write(bytes));
        await to.closeWrite();
      } catch {
        closeConn();
        reported(undefined);
        return false;
      }
      readAll(to, MAX_REPORT_BYTES).then((bytes) => {
        closeConn();
        reported(bytes && parseChildReport(bytes));
      });
      return true;
    },
    close() {
      listener?.close();
      listener = undefined;
      closeConn();
      reported(undefined);
      void removeFolder();
    },
  };
}

/** The child's end of the channel once the plan has come. */
export interface PlanConnection {
  /** The plan. */
  readonly plan: SandboxPlan;
  /** Sends the child's report and closes the connection; resolves once it is written. */
  report(report: ChildReport): Promise<void>;
  /** Closes the connection without a report (`pxos boot` then waits for this process to end). */
  close(): void;
}

/**
 * The child's end: connects to `path` and reads the plan, keeping the connection for the report.
 * `undefined` when there is none — the socket is gone, or the stream ended without a whole plan
 * (`pxos boot` ended or changed its mind) — in which case the child must run nothing.
 */
export async function connectForPlan(path: string): Promise<PlanConnection | undefined> {
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path });
  } catch {
    return undefined;
  }
  const close = () => {
    try {
      conn.close();
    } catch {
      // already closed
    }
  };
  const bytes = await readAll(conn, MAX_PLAN_BYTES);
  let plan: SandboxPlan | undefined;
  try {
    plan = bytes && JSON.parse(new TextDecoder().decode(bytes)) as SandboxPlan;
  } catch {
    plan = undefined;
  }
  if (!plan) {
    close();
    return undefined;
  }
  return {
    plan,
    async report(report) {
      try {
        let out = new TextEncoder().encode(JSON.stringify(report));
        while (out.length > 0) out = out.subarray(await conn.write(out));
      } catch {
        // `pxos boot` is gone or stopped listening: it waits for this process's exit instead
      } finally {
        close();
      }
    },
    close,
  };
}

/** Like {@link connectForPlan}, for a child that sends no report: the plan alone. */
export async function receivePlan(path: string): Promise<SandboxPlan | undefined> {
  const connection = await connectForPlan(path);
  connection?.close();
  return connection?.plan;
}

/** Reads `conn` to the end of its stream; `undefined` past `limit` bytes or on a read error. */
async function readAll(conn: Deno.Conn, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const buffer = new Uint8Array(64 * 1024);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      size += n;
      if (size > limit) return undefined;
      chunks.push(buffer.slice(0, n));
    }
  } catch {
    return undefined;
  }
  return concatBytes(chunks);
}
