/**
 * `pxos boot <cart>`: verify, show what the cartridge asks for, decide the grant (options or the
 * prompt), then run it in the permission-scoped sandbox Worker.
 *
 * @module
 */
import { requireTrustedSignature } from "../../archive/signature.ts";
import { bootSandboxed } from "../../boot/sandbox.ts";
import { isPxosError, PxosError } from "../../errors.ts";
import { realRoot } from "../../host/fs_access.ts";
import { decideGrant, describeGrant, type Grant, requestedGrant } from "../../host/grant.ts";
import { createWriteFolders, openAuditFile, parseSeed } from "../boot_support.ts";
import type { Command } from "../command.ts";
import {
  expectPositionals,
  integerOption,
  parseCommandArgs,
  type ParsedArgs,
  stringOption,
} from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile } from "../files.ts";
import {
  GRAPHICS_HELP,
  GRAPHICS_OPTIONS,
  openFrameOutput,
  reportFrames,
} from "../graphics_options.ts";
import { type CliIO, style } from "../io.ts";
import {
  choiceFromOptions,
  normalizePermissionArgs,
  PERMISSION_HELP,
  PERMISSION_OPTIONS,
  permissionOptionsGiven,
  promptForGrant,
} from "../permission_options.ts";
import { stdinLines } from "../stdin.ts";
import { relaunchWithWorkerOptions, sandboxReady } from "../worker_options.ts";
import type { CliIOWithInput } from "./run.ts";
import { readTrustedKeys } from "./verify.ts";

/** `pxos boot`: verify a cartridge and run its entry program in the sandbox. */
export const bootCommand: Command = {
  name: "boot",
  summary: "verify a cartridge and run its program in the sandbox",
  help:
    `Usage: pxos boot <cart.pxa> [permissions] [--fuel N] [--timeout MS] [--trust KEY.pub]... [-- args]

Opens the cartridge, checks its integrity, its manifest and that this machine has what it
requires, prints what it asks for, and runs its entry in a Worker whose Deno permissions are
exactly what you grant. The process exits with the program's exit code.

${PERMISSION_HELP}

Program arguments and environment (engines with an argv, e.g. wasm):
  -- ARGS...      arguments for the program (instead of the manifest's "args")
  --allow-env[=NAME,...]
                  pass the environment variables the manifest lists in "env" (all, or only
                  NAME...; --yes passes them too); their values come from this process

Limits and logging:
  --fuel N        cap the instruction budget (the manifest's limit or this, whichever is lower)
  --timeout MS    cap the wall-clock budget; a program still running then ends pxos with 124
  --memory BYTES  cap guest memory, the cartridge's decoded size and network responses
  --seed S        seed for the random source without --allow-random (hex bytes or text;
                  default: the cartridge's digest, so runs repeat)
  --audit FILE    append one JSON line per permission-checked call (and the boot's outcome)
  --trust FILE    run only if validly signed by this public key (repeatable)

${GRAPHICS_HELP}

Examples:
  pxos boot countdown.pxa
  pxos boot wordcount.pxa --allow-read=./data --audit audit.jsonl
  pxos boot game.pxa --yes --deny-net

${EXIT_CODES_HELP}`,
  async run(allArgs, io) {
    const { args, programArgs } = splitProgramArgs(allArgs);
    const { values, positionals } = parseCommandArgs("boot", normalizePermissionArgs(args), {
      fuel: { type: "string" },
      timeout: { type: "string" },
      memory: { type: "string" },
      seed: { type: "string" },
      audit: { type: "string" },
      root: { type: "string" },
      trust: { type: "string", multiple: true },
      "allow-env": { type: "string", multiple: true },
      ...PERMISSION_OPTIONS,
      ...GRAPHICS_OPTIONS,
    });
    const [cartPath] = expectPositionals("boot", positionals, ["cart"]);
    if (!sandboxReady()) return await relaunchWithWorkerOptions();
    const cart = await openCartridgeFile(cartPath, true);
    const audit = values.audit === undefined
      ? undefined
      : openAuditFile(String(values.audit), cart.manifest.name);
    try {
      const readLine = (io as CliIOWithInput).readLine ?? stdinLines();
      return await bootWithAudit({ cartPath, cart, values, io, readLine, audit, programArgs });
    } finally {
      audit?.close();
    }
  },
};

/** One `pxos boot` invocation: what every step below needs. */
interface BootContext {
  cartPath: string;
  cart: Awaited<ReturnType<typeof openCartridgeFile>>;
  values: ParsedArgs["values"];
  io: CliIO;
  /** Terminal lines, shared by the prompt and the guest. */
  readLine: () => Promise<string | null> | string | null;
  audit: ReturnType<typeof openAuditFile> | undefined;
  /** Arguments after `--`, for the program (undefined: the manifest's `args`). */
  programArgs: string[] | undefined;
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
  const { values, io } = ctx;
  const name = ctx.cart.manifest.name;
  const asked = describeGrant(request);
  if (asked.length === 0) return decideGrant(request, {});
  io.err(style(io, "dim", `# ${name} asks for: ${asked.join("; ")}\n`));
  const prompt = !permissionOptionsGiven(values) && io.interactive && values["no-prompt"] !== true;
  const choice = prompt
    ? await promptForGrant(name, request, io, ctx.readLine)
    : choiceFromOptions(values);
  let grant: Grant;
  try {
    grant = decideGrant(request, choice);
  } catch (e) {
    // A malformed --allow-net/--deny-read value is a command-line mistake.
    throw new PxosError("E_USAGE", `pxos boot: ${(e as Error).message}`);
  }
  const granted = describeGrant(grant);
  const refused = asked.filter((a) => !granted.includes(a));
  io.err(style(io, "dim", `# granted: ${granted.join("; ") || "nothing"}\n`));
  if (refused.length > 0) io.err(style(io, "dim", `# not granted: ${refused.join("; ")}\n`));
  return grant;
}

async function runSandboxed(
  ctx: BootContext,
  grant: Grant,
  onStart: () => void,
): Promise<number> {
  const { cartPath, cart, values, io, readLine, audit } = ctx;
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
  const root = await realRoot(stringOption(values, "root") ?? ".");
  for (const made of await createWriteFolders(grant, root)) {
    io.err(style(io, "dim", `# created ${made} for the granted writes\n`));
  }
  const frames = await openFrameOutput("boot", values, cartPath, {
    canvas: cart.manifest.canvas,
    gpuGranted: grant.gpu,
  });
  // With --pxterm, stdout carries the draw list; the program's own output goes to stderr.
  const programOut = values.pxterm ? (t: string) => io.err(t) : (t: string) => io.out(t);
  const seed = stringOption(values, "seed");
  onStart();
  try {
    const result = await bootSandboxed(cart, {
      stdout: programOut,
      stderr: (t) => io.err(t),
      gfx: frames.sink,
      canvas: { width: frames.scene.width, height: frames.scene.height },
      readLine,
      grant,
      root,
      seed: seed === undefined ? undefined : parseSeed(seed),
      audit: audit?.sink,
      args: ctx.programArgs,
      env: grantedEnv(ctx),
      limitCaps: {
        fuel: integerOption("boot", values, "fuel"),
        timeoutMs: integerOption("boot", values, "timeout"),
        memoryBytes: integerOption("boot", values, "memory"),
      },
    });
    return result.exitCode;
  } finally {
    reportFrames(io, await frames.finish());
  }
}

/** Splits `pxos boot cart [options] -- program args…`; a bare `--allow-env` means every name. */
function splitProgramArgs(all: string[]): { args: string[]; programArgs: string[] | undefined } {
  const dashes = all.indexOf("--");
  const args = (dashes < 0 ? all : all.slice(0, dashes)).map((a) =>
    a === "--allow-env" ? "--allow-env=*" : a
  );
  return { args, programArgs: dashes < 0 ? undefined : all.slice(dashes + 1) };
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
