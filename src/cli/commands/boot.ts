/**
 * `pxos boot <cart>`: verify, show what the cartridge asks for, decide the grant (options or the
 * prompt), then run it in the permission-scoped sandbox Worker.
 *
 * @module
 */
import { join } from "../../paths.ts";
import { requireTrustedSignature } from "../../archive/signature.ts";
import { effectiveLimits } from "../../boot/cartridge_load.ts";
import { toHex } from "../../archive/hash.ts";
import { importLazily } from "../../lazy_import.ts";
import { isPxosError, PxosError } from "../../errors.ts";
import { realRoot } from "../../host/fs_real_paths.ts";
import {
  decideGrant,
  describeGrant,
  type Grant,
  NO_GRANT,
  requestedGrant,
} from "../../host/grant.ts";
import type { Limits } from "../../host/limits.ts";
import { escapeForTerminal } from "../../text_safety.ts";
import { createWriteFolders, openAuditFile } from "../boot_support.ts";
import type { Command } from "../command.ts";
import { type ParsedArgs, stringOption } from "../command.ts";
import { parseBootArgs, splitProgramArgs } from "../boot_options.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import {
  describeRaisedLimit,
  LIMIT_HELP,
  limitOverrides,
  type RaisedLimit,
  raisedLimits,
  userLimits,
} from "../limit_options.ts";
import { type openCartridgeFile, openCartridgeOrFolder } from "../files.ts";
import { GRAPHICS_HELP } from "../graphics_options.ts";
import { PLAY_HELP } from "../play_options.ts";
import { type CliIO, style } from "../io.ts";
import {
  choiceFromOptions,
  PERMISSION_HELP,
  permissionOptionsGiven,
  promptForGrant,
} from "../permission_options.ts";
import { promptLines, stdinLines } from "../stdin.ts";
import {
  canStartSandboxProcess,
  runInSandboxProcess,
  sandboxPlanFromEnv,
} from "../sandbox_process.ts";
import { planPayload } from "../sandbox_plan_payload.ts";
import { takeSpeculativeChild } from "../sandbox_speculation.ts";
import { childFilePaths } from "../boot_child_files.ts";
import { sandboxReady, sandboxUnavailable } from "../worker_options.ts";
import { builtInEngineIdFor } from "../../engines/engine_ids.ts";
import type { CliIOWithInput } from "./run.ts";
import { readTrustedKeys } from "./verify.ts";

/**
 * What runs a plan in this process (a compiled `pxos`'s sandbox process, or a guest in a Worker of
 * this one): not needed by the usual path, which hands the plan to a sandbox process.
 */
function importBootRun(): Promise<typeof import("../boot_run.ts")> {
  return importLazily(new URL("../boot_run.ts", import.meta.url));
}

/** `pxos boot`: verify a cartridge and run its entry program in the sandbox. */
export const bootCommand: Command = {
  name: "boot",
  summary: "verify a cartridge and run its program in the sandbox",
  help:
    `Usage: pxos boot <cart.pxa> [permissions] [--fuel N] [--timeout MS] [--trust KEY.pub]... [-- args]
       pxos boot <project-dir> [options]

Opens the cartridge, checks its integrity, its manifest and that this machine has what it
requires, prints what it asks for, and runs its entry in a Worker whose Deno permissions are
exactly what you grant. The process exits with the program's exit code. A project folder (one
with a pxos.json) is packed in memory the way pxos pack packs it and booted the same way.

${PERMISSION_HELP}

Program arguments and environment (engines with an argv, e.g. wasm):
  -- ARGS...      arguments for the program (instead of the manifest's "args")
  --allow-env[=NAME,...]
                  pass the environment variables the manifest lists in "env" (all, or only
                  NAME...; --yes passes them too); their values come from this process

${LIMIT_HELP}

Logging and reproducibility:
  --seed S        seed for the random source without --allow-random (hex bytes or text;
                  default: the cartridge's digest, so runs repeat)
  --audit FILE    append one JSON line per permission-checked call (and the boot's outcome)
  --trust FILE    run only if validly signed by this public key (repeatable)

${GRAPHICS_HELP}

${PLAY_HELP}

Examples:
  pxos boot countdown.pxa
  pxos boot wordcount.pxa --allow-read=./data --audit audit.jsonl
  pxos boot game.pxa --yes --deny-net

${EXIT_CODES_HELP}`,
  async run(allArgs, io) {
    const { args, programArgs } = splitProgramArgs(allArgs);
    const { values, cartPath } = parseBootArgs(args);
    const user = userLimits("boot", values);
    const plan = sandboxPlanFromEnv();
    if (plan) return await (await importBootRun()).runAsSandboxChild(cartPath, values, io, plan);
    const isolated = await canStartSandboxProcess();
    if (!isolated && !sandboxReady()) throw sandboxUnavailable();
    const cart = await openCartridgeOrFolder(cartPath);
    const root = await realRoot(stringOption(values, "root") ?? ".");
    const audit = values.audit === undefined
      ? undefined
      : openAuditFile(String(values.audit), cart.manifest.name);
    try {
      // A Python cartridge's first boot makes the engine's snapshot here, not in the sandbox.
      // (Its runtime module is imported only for a Python cartridge: it costs every other boot.)
      if (isolated && builtInEngineIdFor(cart.manifest.entry, cart.manifest.engine) === "python") {
        const { ensureSnapshotCached } = await importLazily<
          typeof import("../../boot/python_runtime.ts")
        >(new URL("../../boot/python_runtime.ts", import.meta.url));
        await ensureSnapshotCached((line) => io.err(line));
      }
      // The sandbox process reads the guest's input itself: here only the prompt reads.
      const readLine = (io as CliIOWithInput).readLine ??
        (isolated ? promptLines() : stdinLines());
      return await bootWithAudit({
        args,
        isolated,
        cartPath,
        cart,
        values,
        io,
        readLine,
        audit,
        root,
        user,
        raised: raisedLimits(cart.manifest.limits, user),
        limitsGranted: false,
        programArgs,
      });
    } finally {
      audit?.close();
    }
  },
};

/** One `pxos boot` invocation: what every step below needs. */
interface BootContext {
  /** The arguments as given (passed on to the sandbox process). */
  args: readonly string[];
  /** Whether the guest runs in a sandbox process (else in a Worker of this one). */
  isolated: boolean;
  cartPath: string;
  cart: Awaited<ReturnType<typeof openCartridgeFile>>;
  values: ParsedArgs["values"];
  io: CliIO;
  /** Terminal lines, shared by the prompt and the guest. */
  readLine: () => Promise<string | null> | string | null;
  audit: ReturnType<typeof openAuditFile> | undefined;
  /** Arguments after `--`, for the program (undefined: the manifest's `args`). */
  programArgs: string[] | undefined;
  /** Real path of `--root`. */
  root: string;
  /** The limits given on the command line. */
  user: Partial<Limits>;
  /** Limits the manifest raises above the defaults (a request, like a permission). */
  raised: RaisedLimit[];
  /** Whether the user granted {@link BootContext.raised} (set by `chooseGrant`). */
  limitsGranted: boolean;
}

async function bootWithAudit(ctx: BootContext): Promise<number> {
  const { cartPath, cart, values, audit } = ctx;
  let audited = false;
  try {
    const trusted = await readTrustedKeys(values.trust);
    if (trusted.length > 0) {
      const sig = await requireTrustedSignature(cart.archive.digest, cart.archive.trailer, trusted);
      audit?.event("boot.signature", cartPath, true, `signed by trusted key ${sig.fingerprint}`);
    }
    const grant = await chooseGrant(ctx, requestedGrant(cart.manifest.permissions));
    audit?.event("boot.grant", cartPath, true, describeGrant(grant).join("; ") || "nothing");
    // Once the sandbox starts, it audits the outcome itself.
    return await runSandboxed(ctx, grant, () => {
      audited = true;
    });
  } catch (e) {
    if (!audited && isPxosError(e)) {
      audit?.event("boot", cartPath, false, `${e.code}: ${e.message}`);
    }
    throw e;
  }
}

/** Prints the request, asks or reads the options, prints the outcome; returns the grant. */
async function chooseGrant(ctx: BootContext, request: Grant): Promise<Grant> {
  const { values, io, root } = ctx;
  const name = escapeForTerminal(ctx.cart.manifest.name);
  const where = (p: string) => (p === "" ? root : join(root, ...p.split("/")));
  const asked = describeGrant(request);
  const raised = ctx.raised.map(describeRaisedLimit);
  if (asked.length === 0 && raised.length === 0) return decideGrant(request, {});
  const shown = [...asked, ...raised].map((line) => escapeForTerminal(line));
  io.err(style(io, "dim", `# ${name} asks for: ${shown.join("; ")}\n`));
  const prompt = !permissionOptionsGiven(values) && values["allow-limits"] !== true &&
    io.interactive && values["no-prompt"] !== true;
  let limitsGranted = values.yes === true || values["allow-limits"] === true;
  const choice = prompt
    ? await promptForGrant(name, request, io, ctx.readLine, where, [
      ...ctx.raised.length > 0
        ? [{ label: raised.join(", "), grant: () => void (limitsGranted = true) }]
        : [],
    ])
    : choiceFromOptions(values);
  let grant: Grant;
  try {
    grant = decideGrant(request, choice);
  } catch (e) {
    // A malformed --allow-net/--deny-read value is a command-line mistake.
    throw new PxosError("E_USAGE", `pxos boot: ${(e as Error).message}`);
  }
  ctx.limitsGranted = limitsGranted;
  const granted = [
    ...describeGrant(grant),
    ...(limitsGranted ? raised : []),
  ].map((line) => escapeForTerminal(line));
  const refused = [
    ...describeGrant(notGranted(request, grant)),
    ...(limitsGranted ? [] : raised.map((r) => `${r}, running with the default`)),
  ].map((line) => escapeForTerminal(line));
  io.err(style(io, "dim", `# granted: ${granted.join("; ") || "nothing"}\n`));
  if (refused.length > 0) io.err(style(io, "dim", `# not granted: ${refused.join("; ")}\n`));
  return grant;
}

/** What `request` asked for that `grant` does not hold, as a grant (for the "not granted" line). */
function notGranted(request: Grant, grant: Grant): Grant {
  return {
    ...NO_GRANT,
    read: request.read.filter((p) => !grant.read.includes(p)),
    write: request.write.filter((p) => !grant.write.includes(p)),
    net: request.net.filter((p) => !grant.net.includes(p)),
    clock: request.clock && !grant.clock,
    random: request.random && !grant.random,
    gpu: request.gpu && !grant.gpu,
  };
}

async function runSandboxed(
  ctx: BootContext,
  grant: Grant,
  onStart: () => void,
): Promise<number> {
  const { cartPath, cart, values, io, audit, root } = ctx;
  if (values.renderer === "webgpu" && !grant.gpu) {
    throw new PxosError(
      "E_PERMISSION",
      `--renderer webgpu needs the gpu permission${
        cart.manifest.permissions.gpu
          ? " (add --allow-gpu)"
          : `, which ${cart.manifest.name} does not request`
      }; use --renderer cpu`,
    );
  }
  for (const made of await createWriteFolders(grant, root)) {
    io.err(style(io, "dim", `# created ${made} for the granted writes\n`));
  }
  const limits = effectiveLimits(
    cart.manifest.limits,
    limitOverrides(ctx.user, ctx.raised, ctx.limitsGranted),
  );
  onStart();
  if (!ctx.isolated) {
    return await (await importBootRun()).runGuest(cartPath, cart, values, io, {
      grant,
      root,
      limits,
      readLine: ctx.readLine,
      audit,
      programArgs: ctx.programArgs,
      env: grantedEnv(ctx),
    });
  }
  return await runInSandboxProcess({
    args: ctx.args,
    plan: {
      grant,
      limits,
      root,
      digest: toHex(cart.archive.digest),
      programArgs: ctx.programArgs,
      env: grantedEnv(ctx),
      cartridge: {
        name: cart.manifest.name,
        entry: cart.manifest.entry,
        engine: cart.manifest.engine ?? null,
      },
      payload: planPayload(cart),
    },
    io,
    readLine: (io as CliIOWithInput).readLine,
    // Started by `runCli` when the command line said `boot`; its input is the terminal.
    early: (io as CliIOWithInput).readLine ? undefined : takeSpeculativeChild(),
    ...childFilePaths(cartPath, values),
    onCrash: (e) => audit?.event("boot.run", cartPath, false, `${e.code}: ${e.message}`),
  });
}

/**
 * The environment variables the program gets: those the manifest lists and the user allowed
 * (`--allow-env=NAME,…`, a bare `--allow-env`, or `--yes`), with their values from this process.
 */
function grantedEnv(ctx: BootContext): Record<string, string> {
  const requested = ctx.cart.manifest.env ?? [];
  if (requested.length === 0) return {};
  const allowed = new Set(
    (ctx.values["allow-env"] as string[] | undefined ?? []).flatMap((v) => v.split(",")),
  );
  const all = ctx.values.yes === true || allowed.has("*");
  const env: Record<string, string> = {};
  for (const name of requested) {
    if (!all && !allowed.has(name)) continue;
    let value: string | undefined;
    try {
      value = Deno.env.get(name);
    } catch {
      value = undefined; // pxos itself may not read the environment: the variable stays unset
    }
    if (value !== undefined) env[name] = value;
  }
  const granted = Object.keys(env);
  const refused = requested.filter((n) => !granted.includes(n));
  ctx.io.err(style(ctx.io, "dim", `# environment granted: ${granted.join(", ") || "nothing"}\n`));
  if (refused.length > 0) {
    ctx.io.err(style(ctx.io, "dim", `# environment not granted or unset: ${refused.join(", ")}\n`));
  }
  ctx.audit?.event("boot.env", ctx.cartPath, true, granted.join(", ") || "nothing");
  return env;
}
