/**
 * The run limits on the command line (`--fuel`, `--timeout`, `--memory`, `--output`) and the
 * limits a manifest raises above the defaults. A raised limit is a request like a permission:
 * `pxos boot` shows it, and the run gets it only when the user grants it (`--yes`,
 * `--allow-limits`, or the prompt); otherwise the default applies. The user's own options win
 * over the manifest either way.
 *
 * @module
 */
import type { ManifestLimits } from "../archive/manifest.ts";
import { PxosError } from "../errors.ts";
import { DEFAULT_LIMITS, LIMIT_KEYS, type Limits } from "../host/limits.ts";
import type { OptionSpec, ParsedArgs } from "./command.ts";
import { formatBytes } from "./io.ts";

/** Each limit's command-line option. */
const OPTION_OF: Readonly<Record<keyof Limits, string>> = {
  fuel: "fuel",
  timeoutMs: "timeout",
  memoryBytes: "memory",
  outputBytes: "output",
};

/**
 * The most the user may ask for on the command line: a timer cannot be armed past 2^31 - 1 ms,
 * and a fuel count past 2^53 would no longer count exactly.
 */
const USER_MAXIMA: Readonly<Limits> = {
  fuel: Number.MAX_SAFE_INTEGER,
  timeoutMs: 2 ** 31 - 1,
  memoryBytes: 2 ** 40,
  outputBytes: 2 ** 50,
};

/** The limit options for `parseCommandArgs`. */
export const LIMIT_OPTIONS: OptionSpec = {
  fuel: { type: "string" },
  timeout: { type: "string" },
  memory: { type: "string" },
  output: { type: "string" },
  "allow-limits": { type: "boolean" },
};

/** The help paragraph for {@link LIMIT_OPTIONS}. */
export const LIMIT_HELP =
  `Limits (yours win over the manifest's; a manifest asking for more than the default is
shown like a permission and gets it only with --yes, --allow-limits or at the prompt):
  --fuel N          instruction budget (default ${DEFAULT_LIMITS.fuel}); E_FUEL when spent
  --timeout MS      wall-clock budget (default ${DEFAULT_LIMITS.timeoutMs}); a program still running
                    then is stopped and pxos exits with 124
  --memory BYTES    guest memory (default ${DEFAULT_LIMITS.memoryBytes}), also the cap on the
                    cartridge's decoded size, file reads and network responses
  --output BYTES    what the program may print (default ${DEFAULT_LIMITS.outputBytes}); E_LIMIT past it
  --allow-limits    grant the limits the manifest raises above the defaults`;

/** The limits the user gave, validated (`E_USAGE` for a bad or out-of-range value). */
export function userLimits(command: string, values: ParsedArgs["values"]): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const key of LIMIT_KEYS) {
    const option = OPTION_OF[key];
    const raw = values[option];
    if (typeof raw !== "string") continue;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0 || n > USER_MAXIMA[key]) {
      throw new PxosError(
        "E_USAGE",
        `pxos ${command}: --${option} expects an integer from 1 to ${USER_MAXIMA[key]}, found ${
          JSON.stringify(raw)
        }`,
      );
    }
    out[key] = n;
  }
  return out;
}

/** A limit the manifest asks to raise above the default. */
export interface RaisedLimit {
  /** Which limit. */
  key: keyof Limits;
  /** What the manifest asks for. */
  requested: number;
}

/** The manifest's limits above the defaults, leaving out those the user set on the command line. */
export function raisedLimits(requested: ManifestLimits, user: Partial<Limits>): RaisedLimit[] {
  return LIMIT_KEYS.filter((key) =>
    user[key] === undefined && (requested[key] ?? 0) > DEFAULT_LIMITS[key]
  ).map((key) => ({ key, requested: requested[key]! }));
}

/** A raised limit as the prompt shows it: `timeout 600 s (default 10 s)`. */
export function describeRaisedLimit(limit: RaisedLimit): string {
  return `${describeLimit(limit.key, limit.requested)} (default ${
    formatLimitValue(limit.key, DEFAULT_LIMITS[limit.key])
  })`;
}

/** One limit as words: `timeout 10 s`, `memory 64.0 MiB`, `fuel 1000000000 steps`. */
export function describeLimit(key: keyof Limits, value: number): string {
  const name = { fuel: "fuel", timeoutMs: "timeout", memoryBytes: "memory", outputBytes: "output" };
  return `${name[key]} ${formatLimitValue(key, value)}`;
}

function formatLimitValue(key: keyof Limits, value: number): string {
  switch (key) {
    case "fuel":
      return `${value} steps`;
    case "timeoutMs":
      return value % 1000 === 0 ? `${value / 1000} s` : `${value} ms`;
    default:
      return formatBytes(value);
  }
}

/**
 * The limits to run with: the user's, then each raised request when granted, else the default
 * (so a manifest alone can never raise a limit); what the manifest asks at or under the default
 * is kept.
 */
export function limitOverrides(
  user: Partial<Limits>,
  raised: readonly RaisedLimit[],
  granted: boolean,
): Partial<Limits> {
  const out: Partial<Limits> = { ...user };
  for (const limit of raised) {
    out[limit.key] = granted ? limit.requested : DEFAULT_LIMITS[limit.key];
  }
  return out;
}
