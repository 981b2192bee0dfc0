/**
 * The last step of `pxos boot`: running the decided plan in the sandbox Worker, with the frames,
 * the audit and guest output wired to this process. It runs in the sandbox process (the child
 * that `sandbox_process.ts` starts, which receives the plan instead of asking) or, where pxOS may
 * not start a process of its own, in `pxos boot` itself.
 *
 * @module
 */
import { toHex } from "../archive/hash.ts";
import { bootSandboxed, type SandboxOptions } from "../boot/sandbox.ts";
import { PxosError } from "../errors.ts";
import { importLazily } from "../lazy_import.ts";
import type { Grant } from "../host/grant.ts";
import type { Limits } from "../host/limits.ts";
import { type AuditFile, openAuditFile, parseSeed } from "./boot_support.ts";
import { type ParsedArgs, stringOption } from "./command.ts";
import type { CliIOWithInput } from "./commands/run.ts";
import type { Cartridge } from "../archive/cartridge.ts";
import type { openCartridgeFile } from "./files.ts";
import { openFrameOutput, reportFrames } from "./graphics_options.ts";
import { type BootFrames, framesCanWait, framesOnFirstDraw } from "./boot_frames.ts";
import { openPlay } from "./play_options.ts";
import { type CliIO, guestOutput } from "./io.ts";
import type { SandboxPlan } from "./sandbox_process.ts";
import { stdinLines } from "./stdin.ts";

/** What a guest run needs besides the cartridge and the options. */
export interface GuestRun {
  /** The grant. */
  grant: Grant;
  /** Real path of the root. */
  root: string;
  /** The decided limits. */
  limits: Limits;
  /** Input lines for the guest. */
  readLine: () => Promise<string | null> | string | null;
  /** The audit file, when `--audit` was given. */
  audit?: AuditFile;
  /** Program arguments from after `--` (undefined: the manifest's `args`). */
  programArgs?: string[];
  /** Granted environment variables. */
  env?: Record<string, string>;
  /** A sandbox Worker started before the plan came (used if its permissions are the plan's). */
  prestarted?: SandboxOptions["prestarted"];
}

/**
 * Runs the cartridge in the sandbox Worker of this process, with frames and guest output going
 * where the options say; resolves to the program's exit code.
 */
export async function runGuest(
  cartPath: string,
  cart: Awaited<ReturnType<typeof openCartridgeFile>>,
  values: ParsedArgs["values"],
  io: CliIO,
  run: GuestRun,
): Promise<number> {
  const play = await openPlay("boot", values);
  const open = () =>
    openFrameOutput("boot", values, cartPath, {
      canvas: cart.manifest.canvas,
      gpuGranted: run.grant.gpu,
      onRendered: play?.onFrame,
    });
  const frames: BootFrames = framesCanWait(values, run.grant.gpu, play !== undefined)
    ? framesOnFirstDraw(open)
    : await open().then((o) => ({ ...o, size: o.scene }));
  // With --pxterm, stdout carries the draw list; the program's own output goes to stderr.
  const stdout = guestOutput(io, values.pxterm ? "err" : "out");
  const seed = stringOption(values, "seed");
  try {
    const result = await bootSandboxed(cart, {
      stdout,
      stderr: guestOutput(io, "err"),
      gfx: frames.sink,
      canvas: frames.size
        ? { width: frames.size.width, height: frames.size.height }
        : cart.manifest.canvas,
      readLine: run.readLine,
      grant: run.grant,
      root: run.root,
      seed: seed === undefined ? undefined : parseSeed(seed),
      audit: run.audit?.sink,
      limitCaps: run.limits,
      args: run.programArgs,
      env: run.env,
      play: play?.plan,
      sound: play?.sound,
      prestarted: run.prestarted,
    });
    return result.exitCode;
  } finally {
    reportFrames(io, await frames.finish());
    await play?.finish(io);
  }
}

/**
 * `pxos boot` as the sandbox process: the plan says what was granted; the cartridge must be the
 * one the user was shown (same digest), or nothing runs. `early`: the cartridge as this process
 * opened it while the plan was being decided, and the Worker it may have started meanwhile.
 */
export async function runAsSandboxChild(
  cartPath: string,
  values: ParsedArgs["values"],
  io: CliIO,
  plan: SandboxPlan,
  early?: { cart: Cartridge; prestarted?: SandboxOptions["prestarted"] },
): Promise<number> {
  // A folder is packed again here: the same files give the same digest.
  const cart = early?.cart ??
    await (await importLazily<typeof import("./files.ts")>(new URL("./files.ts", import.meta.url)))
      .openCartridgeOrFolder(cartPath);
  if (toHex(cart.archive.digest) !== plan.digest) {
    throw new PxosError(
      "E_ARCHIVE_HASH",
      `${cartPath} changed after it was checked (expected digest ${plan.digest}, found ${
        toHex(cart.archive.digest)
      }); boot it again`,
    );
  }
  const audit = values.audit === undefined
    ? undefined
    : openAuditFile(String(values.audit), cart.manifest.name);
  try {
    return await runGuest(cartPath, cart, values, io, {
      grant: plan.grant,
      root: plan.root,
      limits: plan.limits,
      readLine: (io as CliIOWithInput).readLine ?? stdinLines(),
      audit,
      programArgs: plan.programArgs,
      env: plan.env,
      prestarted: early?.prestarted,
    });
  } finally {
    audit?.close();
  }
}

export { childFilePaths } from "./boot_child_files.ts";
