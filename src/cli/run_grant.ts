/**
 * What `pxos run` grants, with the same options as `pxos boot` (`--allow-*`, `--deny-*`, `--yes`,
 * `--root`, `--audit`). A project folder's manifest asks and the options (or the prompt) answer,
 * as for a cartridge. A bare program has no manifest, so the options themselves are the request:
 * `--allow-read=./data` grants reading inside `./data` (relative to `--root`), a bare
 * `--allow-read` or `--allow-write` the whole root; `--deny-*` still wins.
 *
 * @module
 */
import { join } from "../paths.ts";
import type { ManifestPermissions } from "../archive/manifest.ts";
import { PxosError } from "../errors.ts";
import { realRoot } from "../host/fs_access.ts";
import { decideGrant, describeGrant, type Grant, requestedGrant } from "../host/grant.ts";
import { escapeForTerminal } from "../text_safety.ts";
import { type AuditFile, createWriteFolders, openAuditFile } from "./boot_support.ts";
import { type ParsedArgs, stringOption } from "./command.ts";
import { type CliIO, style } from "./io.ts";
import { choiceFromOptions, permissionOptionsGiven, promptForGrant } from "./permission_options.ts";

/** What a `pxos run` may do, and where its paths lead. */
export interface RunGrant {
  /** The decided grant. */
  grant: Grant;
  /** Real path of `--root`. */
  root: string;
  /** The `--audit` file, when given (the caller closes it). */
  audit?: AuditFile;
}

/** What is asked: a project's manifest permissions, or none for a bare program. */
export interface RunRequest {
  /** The name shown and audited. */
  name: string;
  /** The manifest's permissions; `undefined` for a bare program (the options are the request). */
  permissions?: ManifestPermissions;
}

/**
 * Decides the grant of one `pxos run` from the options (and, for a project on a terminal with no
 * permission options, the prompt), prints it, creates missing granted write folders and opens
 * the audit file.
 */
export async function decideRunGrant(
  values: ParsedArgs["values"],
  request: RunRequest,
  io: CliIO,
  readLine: () => Promise<string | null> | string | null,
): Promise<RunGrant> {
  const root = await realRoot(stringOption(values, "root") ?? ".");
  const name = escapeForTerminal(request.name);
  const choice = choiceFromOptions(values);
  const asked = request.permissions !== undefined
    ? requestedGrant(request.permissions)
    : asUsage(() => requestedGrant(optionsAsRequest(choice)));
  const shown = describeGrant(asked);
  if (request.permissions !== undefined && shown.length > 0) {
    io.err(
      style(
        io,
        "dim",
        `# ${name} asks for: ${shown.map((l) => escapeForTerminal(l)).join("; ")}\n`,
      ),
    );
  }
  const prompt = request.permissions !== undefined && shown.length > 0 && io.interactive &&
    !permissionOptionsGiven(values) && values["no-prompt"] !== true;
  const where = (p: string) => (p === "" ? root : join(root, ...p.split("/")));
  const answer = prompt ? await promptForGrant(name, asked, io, readLine, where) : choice;
  const grant = asUsage(() => decideGrant(asked, answer));
  if (shown.length > 0) {
    const granted = describeGrant(grant).map((l) => escapeForTerminal(l)).join("; ");
    io.err(style(io, "dim", `# granted: ${granted || "nothing"}\n`));
  }
  for (const made of await createWriteFolders(grant, root)) {
    io.err(style(io, "dim", `# created ${made} for the granted writes\n`));
  }
  const auditPath = stringOption(values, "audit");
  const audit = auditPath === undefined ? undefined : openAuditFile(auditPath, request.name);
  audit?.event("run.grant", request.name, true, describeGrant(grant).join("; ") || "nothing");
  return { grant, root, audit };
}

/** Runs `decide`; its error is about an option, so it becomes `E_USAGE`. */
function asUsage<T>(decide: () => T): T {
  try {
    return decide();
  } catch (e) {
    if (e instanceof PxosError && e.code === "E_USAGE") throw e;
    // requestedGrant names the manifest field; here the request came from --allow-*.
    const message = (e as Error).message.replace(/^permissions\.(\w+)\[\d+\]:/, "--allow-$1:");
    throw new PxosError("E_USAGE", `pxos run: ${message}`);
  }
}

/** A bare program's request: what the `--allow-*` options name (a bare list option: the root). */
function optionsAsRequest(choice: ReturnType<typeof choiceFromOptions>): ManifestPermissions {
  const paths = (allowed: true | readonly string[] | undefined) =>
    allowed === true ? ["."] : [...(allowed ?? [])];
  if (choice.allowNet === true) {
    throw new PxosError(
      "E_USAGE",
      "pxos run: a bare program has no manifest to say which hosts; name them, e.g. " +
        "--allow-net=127.0.0.1:8080",
    );
  }
  return {
    read: paths(choice.allowRead),
    write: paths(choice.allowWrite),
    net: [...(choice.allowNet ?? [])],
    clock: choice.allowClock === true,
    random: choice.allowRandom === true,
    gpu: choice.allowGpu === true,
  };
}
