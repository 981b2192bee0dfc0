/**
 * The host a guest talks to: it answers the calls of {@link HOST_CALLS}, checking each against
 * the grant (layer 1 of DESIGN.md §4; the sandbox Worker's Deno permissions are layer 2).
 * Without `clock`/`random` the guest gets a virtual clock and a seeded PRNG, so runs repeat.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { findHostCall, type HostValue } from "./calls.ts";
import type { AuditSink } from "./audit.ts";
import { type Grant, NO_GRANT } from "./grant.ts";
import { createIoCalls } from "./io_calls.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { SeededRandom } from "./prng.ts";
import { invokeGfx } from "./gfx_calls.ts";
import type { GfxSink } from "./gfx_sink.ts";
import { InputState } from "./input.ts";
import { invokePlay, isPlayCall, type ToneSink } from "./play_host.ts";
import { loadNativeFs } from "../native_modules.ts";

/** What a guest can reach: the entry point every engine uses for I/O. */
export interface Host {
  /**
   * Performs host call `name` (or numeric id) with `args`. Throws `PxosError` `E_PERMISSION` when
   * denied (engines surface that to the guest as an error it can handle) and {@link GuestExit}
   * when the guest asks to exit (engines must let it through, never catch it as a guest error).
   */
  invoke(name: string | number, args: readonly HostValue[]): HostValue | Promise<HostValue>;
  /**
   * Performs a call that must answer at once, for engines that cannot wait (the Python engine's
   * file-system mount): the `fs.*` rows through their synchronous variants, with the same checks
   * and audit lines, and rows that never wait. A row that can only answer later (`net.*`, a
   * `console.readLine` that waits for input) throws `PxosError` `E_TRAP`.
   */
  invokeSync?(name: string | number, args: readonly HostValue[]): HostValue;
  /**
   * Makes {@link Host.invokeSync}'s file calls ready: loads what they need (`node:fs` and the
   * host's file modules, which every run would otherwise pay for at start-up). An engine that
   * makes synchronous file calls awaits it once before the first.
   */
  prepareSync?(): Promise<void>;
}

/** Thrown by `process.exit`; carries the guest's exit code up to whoever started the run. */
export class GuestExit extends Error {
  /** The guest's exit code, 0–255. */
  readonly exitCode: number;
  /**
   * Creates the exit signal.
   *
   * @param exitCode the guest's exit code
   */
  constructor(exitCode: number) {
    super(`guest exited with code ${exitCode}`);
    this.name = "GuestExit";
    this.exitCode = exitCode;
  }
}

/** Options for {@link createHost}. */
export interface HostOptions {
  /** Receives standard output text. */
  stdout: (text: string) => void;
  /** Receives standard error text; defaults to `stdout`. */
  stderr?: (text: string) => void;
  /** Supplies input lines; `null` at end of input. Defaults to no input. */
  readLine?: () => Promise<string | null> | string | null;
  /** The cartridge's own files, by normalised archive path. */
  cartFiles?: ReadonlyMap<string, Uint8Array>;
  /** What this run is granted (default: nothing). */
  grant?: Grant;
  /** Real path of the directory guest file paths are relative to (see `realRoot`). */
  root?: string;
  /** Cap on host file reads and network response bodies, in bytes (default 64 MiB). */
  maxBytes?: number;
  /**
   * Bytes the guest may print over the whole run, stdout and stderr together (default
   * {@link DEFAULT_LIMITS}`.outputBytes`); past it `console.write` throws `E_LIMIT`.
   */
  maxOutputBytes?: number;
  /** Aborts network requests, e.g. at the run's deadline. */
  signal?: AbortSignal;
  /** Receives one entry per permission-checked call. */
  audit?: AuditSink;
  /** Cartridge name for audit entries. */
  cartridge?: string;
  /** Test seam: runs between a file path's check and its open (see `FsAccess`). */
  afterPathCheck?: (realPath: string) => void | Promise<void>;
  /** Seed for the PRNG used without the `random` grant (e.g. the archive digest). */
  seed?: Uint8Array;
  /**
   * Where `gfx.*` drawing goes (a renderer session or a PXTERM recorder). Without one, drawing
   * is discarded.
   */
  gfx?: GfxSink;
  /** What the `input.*` and `frame.count` calls answer from (default: idle input at frame 0). */
  input?: InputState;
  /** Where `sound.tone` calls go (default: discarded). */
  sound?: ToneSink;
}

/** Virtual wall clock start: 2000-01-01T00:00:00Z, so deterministic runs print a plausible date. */
const VIRTUAL_EPOCH_MS = 946_684_800_000;
/** The most bytes one `random.bytes` call returns: bounds guest-driven allocation. */
const MAX_RANDOM_BYTES = 65536;

/**
 * Creates a host for one run.
 *
 * @example
 * ```ts
 * import { createHost } from "@pxos/core";
 * let out = "";
 * const host = createHost({ stdout: (t) => (out += t) });
 * await host.invoke("console.write", ["hi\n"]);
 * console.log(out === "hi\n");
 * ```
 */
export function createHost(options: HostOptions): Host {
  const grant = options.grant ?? NO_GRANT;
  const io = createIoCalls({
    grant,
    root: options.root,
    maxBytes: options.maxBytes ?? DEFAULT_LIMITS.memoryBytes,
    signal: options.signal,
    audit: options.audit,
    cartridge: options.cartridge ?? "",
    afterCheck: options.afterPathCheck,
  });
  const auditHead = (call: string) => ({
    time: new Date().toISOString(),
    cartridge: options.cartridge ?? "",
    call,
    target: "",
  });
  const auditSource = (call: string, granted: boolean, kind: string, virtual: string) =>
    options.audit?.({
      ...auditHead(call),
      allowed: granted,
      reason: granted ? `${kind} granted` : `${kind} not granted: answered from the ${virtual}`,
    });
  const stderr = options.stderr ?? options.stdout;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_LIMITS.outputBytes;
  let printed = 0;
  /** Counts a write against the output limit before it happens (UTF-8 bytes). */
  const countOutput = (text: string): string => {
    const size = utf8Length(text);
    if (printed + size > maxOutput) {
      throw new PxosError(
        "E_LIMIT",
        `expected the program to print at most ${maxOutput} bytes, found ${
          printed + size
        } (raise it with --output)`,
      );
    }
    printed += size;
    return text;
  };
  const prng = new SeededRandom(options.seed ?? new Uint8Array(0));
  const started = performance.now();
  let virtualMs = 0;
  const play = {
    input: options.input ?? new InputState(),
    sound: options.sound,
    audit: options.audit,
    cartridge: options.cartridge ?? "",
  };

  const host = {
    invoke(key: string | number, args: readonly HostValue[]): HostValue | Promise<HostValue> {
      const spec = findHostCall(key);
      if (!spec) {
        throw new PxosError("E_TRAP", `unknown host call ${JSON.stringify(key)}`);
      }
      switch (spec.name) {
        case "console.write":
          options.stdout(countOutput(String(args[0] ?? "")));
          return null;
        case "console.error":
          stderr(countOutput(String(args[0] ?? "")));
          return null;
        case "console.readLine":
          return options.readLine ? options.readLine() : null;
        case "cart.read": {
          const path = String(args[0] ?? "");
          const data = options.cartFiles?.get(path);
          if (!data) {
            throw new PxosError("E_IO", `cartridge has no file ${JSON.stringify(path)}`);
          }
          return data;
        }
        case "clock.now":
          auditSource(spec.name, grant.clock, "clock", "virtual clock");
          return grant.clock ? Date.now() : VIRTUAL_EPOCH_MS + ++virtualMs;
        case "clock.monotonic":
          auditSource(spec.name, grant.clock, "clock", "virtual clock");
          return grant.clock ? performance.now() - started : ++virtualMs;
        case "random.bytes": {
          const count = Number(args[0]);
          if (!Number.isInteger(count) || count < 0 || count > MAX_RANDOM_BYTES) {
            const refusal = new PxosError(
              "E_TRAP",
              `random.bytes: expected a count 0–${MAX_RANDOM_BYTES}, found ${args[0]}`,
            );
            // Refused before the grant was consulted: audited all the same.
            options.audit?.({ ...auditHead(spec.name), allowed: false, reason: refusal.message });
            throw refusal;
          }
          const out = new Uint8Array(count);
          auditSource(spec.name, grant.random, "random", "seeded PRNG");
          return grant.random ? crypto.getRandomValues(out) : prng.fill(out);
        }
        case "process.exit":
          throw new GuestExit(Number(args[0] ?? 0) & 0xff);
      }
      if (spec.permission === "read" || spec.permission === "write" || spec.permission === "net") {
        return io.invoke(spec, args);
      }
      if (spec.name.startsWith("gfx.")) return invokeGfx(spec.name, args, options.gfx);
      if (isPlayCall(spec.name)) return invokePlay(spec.name, args, play);
      throw new PxosError("E_TRAP", `host call ${spec.name} is not available in this host`);
    },
    async prepareSync(): Promise<void> {
      await Promise.all([loadNativeFs(), io.prepareSync()]);
    },
    invokeSync(key: string | number, args: readonly HostValue[]): HostValue {
      const spec = findHostCall(key);
      if (spec?.permission === "read" || spec?.permission === "write") {
        return io.invokeSync(spec, args);
      }
      const result = host.invoke(key, args);
      if (result instanceof Promise) {
        result.catch(() => {}); // answered below; its own outcome no longer matters
        throw new PxosError("E_TRAP", `host call ${spec?.name} cannot answer synchronously`);
      }
      return result;
    },
  };
  return host;
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
