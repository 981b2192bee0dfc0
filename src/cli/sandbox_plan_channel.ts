/**
 * How the plan reaches a sandbox process started before it was decided (`sandbox_speculation.ts`).
 * The child's standard input is the user's terminal (the guest reads it, a played game in raw
 * mode), so the plan comes over a Unix socket instead, in a folder only this user may enter
 * (mode 0700, made by `pxos boot`). `pxos boot` listens; the child connects as soon as it
 * starts, and reads until the end of the stream: the plan's JSON when `pxos boot` has decided,
 * or nothing when it ended (it exited, failed, or was killed) — then the child ends too, having
 * run nothing. The socket's name goes away once the child is connected.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { join } from "../paths.ts";
import type { SandboxPlan } from "./sandbox_process.ts";

/** The environment variable that names the socket to the child. */
export const PLAN_SOCKET_VARIABLE = "PXOS_SANDBOX_PLAN_SOCKET";

/** A plan larger than this is not one `pxos boot` sent (it holds a grant, limits, arguments). */
const MAX_PLAN_BYTES = 16 * 1024 * 1024;

/** `pxos boot`'s end of the channel. */
export interface PlanSender {
  /** The socket's path, for {@link PLAN_SOCKET_VARIABLE}. */
  readonly path: string;
  /**
   * Sends the plan once the child has connected, then closes the stream. Resolves to `false`
   * when it could not be delivered (the child ended first — `childEnded` settled —, or the
   * write failed).
   */
  send(plan: SandboxPlan, childEnded: Promise<unknown>): Promise<boolean>;
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
  return {
    path,
    async send(plan, childEnded) {
      const to = await Promise.race([connected, childEnded.then(() => undefined)]);
      if (to === undefined) return false;
      try {
        let bytes = new TextEncoder().encode(JSON.stringify(plan));
        while (bytes.length > 0) bytes = bytes.subarray(await to.write(bytes));
        return true;
      } catch {
        return false;
      } finally {
        to.close();
        conn = undefined;
      }
    },
    close() {
      listener?.close();
      listener = undefined;
      try {
        conn?.close();
      } catch {
        // already closed
      }
      conn = undefined;
      void removeFolder();
    },
  };
}

/**
 * The child's end: connects to `path` and reads the plan. `undefined` when there is none — the
 * socket is gone, or the stream ended without a whole plan (`pxos boot` ended or changed its
 * mind) — in which case the child must run nothing.
 */
export async function receivePlan(path: string): Promise<SandboxPlan | undefined> {
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path });
  } catch {
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const buffer = new Uint8Array(64 * 1024);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      size += n;
      if (size > MAX_PLAN_BYTES) return undefined;
      chunks.push(buffer.slice(0, n));
    }
  } catch {
    return undefined;
  } finally {
    try {
      conn.close();
    } catch {
      // already closed
    }
  }
  try {
    return JSON.parse(new TextDecoder().decode(concatBytes(chunks))) as SandboxPlan;
  } catch {
    return undefined;
  }
}
