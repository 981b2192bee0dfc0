/**
 * The permission-checked rows of the host-call table that reach outside the run: `fs.*` and
 * `net.fetch`. Each call is decided against the grant, audited, and only then performed.
 *
 * @module
 */
import { isPxosError, PxosError } from "../errors.ts";
import type { AuditSink } from "./audit.ts";
import type { HostCallSpec, HostValue } from "./calls.ts";
import type { FsAccess } from "./fs_access.ts";
import type { FsSyncAccess } from "./fs_sync.ts";
import type { Grant } from "./grant.ts";
import type { NetGrant } from "./net_fetch.ts";
import { parseNetPattern } from "./net_policy.ts";
import type { NetServe } from "./net_serve.ts";
import { loadNativeFs } from "../native_modules.ts";

/** What the I/O calls need from the host's options. */
export interface IoContext {
  /** The run's grant. */
  grant: Grant;
  /** Real path of the root guest paths are relative to (needed when files are granted). */
  root?: string;
  /** Cap on file reads and response bodies, in bytes. */
  maxBytes: number;
  /** Aborts network requests (the run's deadline). */
  signal?: AbortSignal;
  /** Receives one entry per decision. */
  audit?: AuditSink;
  /** Cartridge name for audit entries. */
  cartridge: string;
  /** Test seam passed to {@link FsAccess}. */
  afterCheck?: (realPath: string) => void | Promise<void>;
}

/** Performs `fs.*` and `net.fetch` calls for one run. */
export interface IoCalls {
  /** Performs one call of a `read`, `write` or `net` row. */
  invoke(spec: HostCallSpec, args: readonly HostValue[]): Promise<HostValue>;
  /**
   * Performs one call of a `read` or `write` row synchronously (`fs_sync.ts`): same checks,
   * same audit line. `net` rows cannot answer at once (`E_TRAP`). Needs {@link prepareSync}
   * first (`E_IO` otherwise).
   */
  invokeSync(spec: HostCallSpec, args: readonly HostValue[]): HostValue;
  /** Loads the file calls' modules, for {@link invokeSync} (see `Host.prepareSync`). */
  prepareSync(): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Creates the I/O call performer for one run. The file and network modules load on the first
 * call that needs them (most runs make none, and every sandbox Worker's start loads this): the
 * asynchronous calls wait for them, the synchronous ones need {@link IoCalls.prepareSync} first.
 * (Literal imports: the sandbox Worker may not read files, so it cannot import by a computed URL.)
 */
export function createIoCalls(ctx: IoContext): IoCalls {
  const { grant } = ctx;
  let files: { fs: FsAccess; fsSync: FsSyncAccess } | undefined;
  const loadFiles = async () => {
    if (files) return files;
    const [{ FsAccess }, { FsSyncAccess }] = await Promise.all([
      import("./fs_access.ts"),
      import("./fs_sync.ts"),
    ]);
    if (files) return files;
    const fs = new FsAccess(
      {
        root: ctx.root ?? "/nonexistent-root",
        read: { allow: grant.read, deny: grant.denyRead },
        write: { allow: grant.write, deny: grant.denyWrite },
      },
      { maxReadBytes: ctx.maxBytes, afterCheck: ctx.afterCheck },
    );
    files = { fs, fsSync: new FsSyncAccess(fs, ctx.maxBytes) };
    return files;
  };
  const net: NetGrant = {
    allow: grant.net.map(parseNetPattern),
    deny: grant.denyNet.map(parseNetPattern),
  };
  const audit = (call: string, target: string, allowed: boolean, reason: string) =>
    ctx.audit?.({
      time: new Date().toISOString(),
      cartridge: ctx.cartridge,
      call,
      target,
      allowed,
      reason,
    });

  let serve: Promise<NetServe> | undefined;
  const netServe = () =>
    serve ??= import("./net_serve.ts").then(({ createNetServe }) =>
      createNetServe({ net, maxBytes: ctx.maxBytes, signal: ctx.signal, audit })
    );

  /** Decides, performs and audits one `fs.*` call, whether `perform` answers now or later. */
  const fsCall = <T extends HostValue | Promise<HostValue>>(
    spec: HostCallSpec,
    args: readonly HostValue[],
    perform: (call: string, path: string) => T,
  ): T => {
    const call = spec.name;
    let path = "";
    const refused = (e: unknown): never => {
      const denied = isPxosError(e, "E_PERMISSION");
      audit(
        call,
        path,
        !denied,
        denied ? (e as Error).message : `granted; failed: ${(e as Error).message}`,
      );
      throw e;
    };
    try {
      path = text(args[0]);
      if (call === "fs.rename") path = `${path} -> ${text(args[1])}`;
      // Inside the try: this refusal is audited like every other.
      if (grant[spec.permission as "read" | "write"].length > 0 && ctx.root === undefined) {
        throw new PxosError("E_PERMISSION", `${call}: no root directory was given for file access`);
      }
      const result = perform(call, text(args[0]));
      if (result instanceof Promise) {
        return result.then((value) => {
          audit(call, path, true, `${spec.permission} granted`);
          return value;
        }, refused) as T;
      }
      audit(call, path, true, `${spec.permission} granted`);
      return result;
    } catch (e) {
      return refused(e);
    }
  };

  const netCall = async (args: readonly HostValue[]): Promise<HostValue> => {
    let decided = false;
    let url = "";
    try {
      url = text(args[1]);
      const { netFetch } = await import("./net_fetch.ts");
      return await netFetch(net, {
        method: text(args[0]),
        url,
        headers: text(args[2]),
        body: text(args[3]),
      }, {
        maxResponseBytes: ctx.maxBytes,
        signal: ctx.signal,
        onDecision: (hop, d) => {
          decided = true;
          audit("net.fetch", hop, d.allowed, d.reason);
        },
      });
    } catch (e) {
      // Refused before any URL was decided (a method or header line refused): still one line,
      // whatever the early return was.
      if (!decided) audit("net.fetch", url, false, (e as Error).message);
      throw e;
    }
  };

  const invokeSync = (spec: HostCallSpec, args: readonly HostValue[]): HostValue => {
    if (spec.name.startsWith("net.")) {
      throw new PxosError("E_TRAP", `host call ${spec.name} cannot answer synchronously`);
    }
    if (!files) {
      throw new PxosError(
        "E_IO",
        `${spec.name}: synchronous file calls need the host prepared first (Host.prepareSync)`,
      );
    }
    const { fsSync } = files;
    return fsCall(spec, args, (call, path) => performSync(fsSync, call, path, args));
  };

  return {
    invoke(spec, args) {
      if (spec.name === "net.fetch") return netCall(args);
      if (spec.name.startsWith("net.")) return netServe().then((s) => s.invoke(spec.name, args));
      // The rows added for the Python mount have only a synchronous implementation.
      if (["fs.stat", "fs.rename", "fs.checkWrite"].includes(spec.name)) {
        return Promise.all([loadNativeFs(), loadFiles()]).then(() => invokeSync(spec, args));
      }
      // A refusal before any I/O is a rejection too, as always.
      return loadFiles().then(({ fs }) =>
        fsCall(spec, args, (call, path) => performFs(fs, call, path, args))
      );
    },
    invokeSync,
    async prepareSync() {
      await loadFiles();
    },
  };
}

function performFs(
  fs: FsAccess,
  call: string,
  path: string,
  args: readonly HostValue[],
): Promise<HostValue> {
  switch (call) {
    case "fs.readText":
      return fs.readText(call, path);
    case "fs.readBytes":
      return fs.readBytes(call, path);
    case "fs.writeText":
      return fs.write(call, path, encoder.encode(text(args[1]))).then(() => null);
    case "fs.writeBytes":
      return fs.write(call, path, bytes(args[1])).then(() => null);
    case "fs.appendText":
      return fs.append(call, path, encoder.encode(text(args[1]))).then(() => null);
    case "fs.exists":
      return fs.exists(call, path);
    case "fs.list":
      return fs.list(call, path);
    case "fs.mkdir":
      return fs.mkdir(call, path).then(() => null);
    case "fs.remove":
      return fs.remove(call, path).then(() => null);
    default:
      throw new PxosError("E_TRAP", `host call ${call} is not available in this host`);
  }
}

function performSync(
  fs: FsSyncAccess,
  call: string,
  path: string,
  args: readonly HostValue[],
): HostValue {
  switch (call) {
    case "fs.readText":
      return new TextDecoder().decode(fs.readBytes(call, path));
    case "fs.readBytes":
      return fs.readBytes(call, path);
    case "fs.writeText":
    case "fs.writeBytes":
      fs.write(call, path, bytes(args[1]));
      return null;
    case "fs.appendText":
      fs.append(call, path, bytes(args[1]));
      return null;
    case "fs.exists":
      return fs.exists(call, path);
    case "fs.list":
      return fs.list(call, path);
    case "fs.mkdir":
      fs.mkdir(call, path);
      return null;
    case "fs.remove":
      fs.remove(call, path);
      return null;
    case "fs.stat": {
      const stat = fs.stat(call, path);
      return stat === null ? null : JSON.stringify(stat);
    }
    case "fs.rename":
      fs.rename(call, path, text(args[1]));
      return null;
    case "fs.checkWrite":
      fs.checkWrite(call, path);
      return null;
    default:
      throw new PxosError("E_TRAP", `host call ${call} is not available in this host`);
  }
}

function text(v: HostValue | undefined): string {
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return v === null || v === undefined ? "" : String(v);
}

function bytes(v: HostValue | undefined): Uint8Array {
  return v instanceof Uint8Array ? v : encoder.encode(text(v));
}
