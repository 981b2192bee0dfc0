/**
 * `pxos boot`'s permission options (`--allow-*`, `--deny-*`, `--yes`) and the one-time prompt on a
 * terminal. Like Deno's flags, the list options take an optional value: `--allow-read` grants all
 * of the requested reading, `--allow-read=./data` only what lies inside `./data`.
 *
 * @module
 */
import type { GrantChoice, PathChoice } from "../host/grant.ts";
import { describeGrant, type Grant } from "../host/grant.ts";
import type { OptionSpec, ParsedArgs } from "./command.ts";
import { escapeForTerminal } from "../text_safety.ts";
import type { CliIO } from "./io.ts";

/** List options whose value is optional. */
const LIST_OPTIONS = [
  "allow-read",
  "allow-write",
  "allow-net",
  "deny-read",
  "deny-write",
  "deny-net",
] as const;
const SWITCH_OPTIONS = [
  "allow-clock",
  "allow-random",
  "allow-gpu",
  "deny-clock",
  "deny-random",
  "deny-gpu",
] as const;

/** Stands for "no value given" (everything requested) after {@link normalizePermissionArgs}. */
const ALL = "\u0000all";

/** The permission options for `parseCommandArgs`. */
export const PERMISSION_OPTIONS: OptionSpec = {
  yes: { type: "boolean", short: "y" },
  "no-prompt": { type: "boolean" },
  ...Object.fromEntries(LIST_OPTIONS.map((n) => [n, { type: "string", multiple: true }])),
  ...Object.fromEntries(SWITCH_OPTIONS.map((n) => [n, { type: "boolean" }])),
};

/** The help paragraph for the permission options. */
export const PERMISSION_HELP =
  `Permissions (the manifest asks; nothing is granted unless you allow it here or at the prompt,
and never more than the manifest asked for; a denied request leaves the program running):
  -y, --yes               grant everything the manifest requests
  --allow-read[=P,...]    grant the requested reading (only inside the paths P, when given)
  --allow-write[=P,...]   grant the requested writing (only inside P)
  --allow-net[=H,...]     grant the requested hosts (only those covered by host, host:port, *.domain)
  --allow-clock           the real clock (otherwise a virtual clock starting 2000-01-01)
  --allow-random          real randomness (otherwise a PRNG seeded by the cartridge or --seed)
  --allow-gpu             the WebGPU renderer
  --deny-read[=P,...]     refuse reading (everything, or inside P) even if allowed above
  --deny-write[=P,...], --deny-net[=H,...], --deny-clock, --deny-random, --deny-gpu
  --no-prompt             never ask, even on a terminal
  --root DIR              the directory the cartridge's paths are relative to (default: .)
Paths in these options are relative to the root, like the manifest's.`;

/** Rewrites a bare `--allow-read` (no value) so the strict parser accepts it. */
export function normalizePermissionArgs(args: readonly string[]): string[] {
  return args.map((a) =>
    (LIST_OPTIONS as readonly string[]).includes(a.slice(2)) && a.startsWith("--")
      ? `${a}=${ALL}`
      : a
  );
}

/** Whether any permission option was given (then there is no prompt). */
export function permissionOptionsGiven(values: ParsedArgs["values"]): boolean {
  return values.yes === true ||
    [...LIST_OPTIONS, ...SWITCH_OPTIONS].some((n) => values[n] !== undefined);
}

/** The user's choice as the options state it. */
export function choiceFromOptions(values: ParsedArgs["values"]): GrantChoice {
  const list = (name: string): PathChoice | undefined => {
    const v = values[name];
    if (!Array.isArray(v)) return undefined;
    if (v.includes(ALL)) return true;
    return v.flatMap((s) => String(s).split(",")).map((s) => s.trim()).filter((s) => s !== "");
  };
  const on = (name: string) => values[name] === true;
  return {
    yes: on("yes"),
    allowRead: list("allow-read"),
    allowWrite: list("allow-write"),
    allowNet: list("allow-net"),
    allowClock: on("allow-clock"),
    allowRandom: on("allow-random"),
    allowGpu: on("allow-gpu"),
    denyRead: list("deny-read"),
    denyWrite: list("deny-write"),
    denyNet: list("deny-net"),
    denyClock: on("deny-clock"),
    denyRandom: on("deny-random"),
    denyGpu: on("deny-gpu"),
  };
}

/** Something besides a permission that the prompt asks about (a raised limit). */
export interface ExtraRequest {
  /** What the prompt shows. */
  label: string;
  /** Called when the user says yes. */
  grant(): void;
}

/**
 * Asks once, on the terminal: each request y/N, or `a` for it and all the rest. Returns the
 * choice the answers make (denials from the options still apply on top). Every label is escaped
 * for the terminal; folders are shown with their absolute path (`where`).
 */
export async function promptForGrant(
  name: string,
  request: Grant,
  io: CliIO,
  readLine: () => Promise<string | null> | string | null,
  where?: (path: string) => string,
  extra: readonly ExtraRequest[] = [],
): Promise<GrantChoice> {
  const read: string[] = [], write: string[] = [], net: string[] = [];
  const choice: GrantChoice = { allowRead: read, allowWrite: write, allowNet: net };
  let all = false;
  const items = [
    ...itemsOf(request, where),
    ...extra.map((e): PromptItem => ({ label: e.label, grant: () => e.grant() })),
  ];
  io.err(
    `  answer y to grant, n or Enter to refuse (the program still runs without it), a to grant this and every request after it\n`,
  );
  for (const [index, item] of items.entries()) {
    if (!all) {
      io.err(
        `  ${escapeForTerminal(name)}: allow ${escapeForTerminal(item.label)}? [y/N/a=all ${
          items.length - index
        }] `,
      );
      const answer = ((await readLine()) ?? "").trim().toLowerCase();
      all = answer === "a" || answer === "all";
      if (!all && answer !== "y" && answer !== "yes") continue;
    }
    item.grant({ read, write, net, choice });
  }
  return choice;
}

interface PromptItem {
  label: string;
  grant(into: { read: string[]; write: string[]; net: string[]; choice: GrantChoice }): void;
}

function itemsOf(request: Grant, where?: (path: string) => string): PromptItem[] {
  const labels = describeGrant(request, where);
  const items: PromptItem[] = [];
  let i = 0;
  for (const p of request.read) items.push({ label: labels[i++], grant: (g) => g.read.push(p) });
  for (const p of request.write) items.push({ label: labels[i++], grant: (g) => g.write.push(p) });
  for (const p of request.net) items.push({ label: labels[i++], grant: (g) => g.net.push(p) });
  if (request.clock) items.push({ label: labels[i++], grant: (g) => (g.choice.allowClock = true) });
  if (request.random) {
    items.push({ label: labels[i++], grant: (g) => (g.choice.allowRandom = true) });
  }
  if (request.gpu) items.push({ label: labels[i++], grant: (g) => (g.choice.allowGpu = true) });
  return items;
}
