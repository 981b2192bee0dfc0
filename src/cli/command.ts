/**
 * What a CLI command is, and the shared argument parsing every command uses.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { CliIO } from "./io.ts";
import { type OptionDefinitions, parseStrictArgs } from "./parse_args.ts";

/** One `pxos` sub-command. Each lives in its own module under `src/cli/commands/`. */
export interface Command {
  /** The word after `pxos`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text (usage, options, examples, exit codes). */
  readonly help: string;
  /** Runs the command; returns the process exit code. Throws `PxosError` on failure. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Option spec in `node:util` `parseArgs` form. */
export type OptionSpec = OptionDefinitions;

/** Options every command accepts. */
export const COMMON_OPTIONS: OptionSpec = {
  help: { type: "boolean", short: "h" },
  debug: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
};

/** Parsed arguments: option values by name, and positionals. */
export interface ParsedArgs {
  /** Option values (string, boolean, or arrays for `multiple`). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Positional arguments in order. */
  positionals: string[];
}

/**
 * Parses `args` strictly against `options` (plus {@link COMMON_OPTIONS}); unknown options and
 * missing values become `PxosError` `E_USAGE` naming the command.
 */
export function parseCommandArgs(command: string, args: string[], options: OptionSpec): ParsedArgs {
  try {
    return parseStrictArgs(args, { ...COMMON_OPTIONS, ...options });
  } catch (e) {
    const message = (e as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw new PxosError(
      "E_USAGE",
      `pxos ${command}: ${
        unknown ? `unknown option ${unknown[1]}; expected one of ${optionList(options)}` : message
      } (see: pxos ${command} --help)`,
    );
  }
}

/** `--name` (and `-n`) for each option, for an "unknown option" message. */
function optionList(options: OptionSpec): string {
  return Object.entries({ ...COMMON_OPTIONS, ...options })
    .map(([name, spec]) => `--${name}${spec.short ? ` (-${spec.short})` : ""}`).join(", ");
}

/** Requires exactly `count` positionals; `E_USAGE` naming what is expected otherwise. */
export function expectPositionals(
  command: string,
  positionals: string[],
  names: string[],
): string[] {
  if (positionals.length !== names.length) {
    throw new PxosError(
      "E_USAGE",
      `pxos ${command}: expected ${names.map((n) => `<${n}>`).join(" ") || "no arguments"}, found ${
        positionals.length === 0 ? "none" : positionals.map((p) => JSON.stringify(p)).join(" ")
      } (see: pxos ${command} --help)`,
    );
  }
  return positionals;
}

/** Reads an option that must be a string, or `undefined`. */
export function stringOption(values: ParsedArgs["values"], name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** Reads a non-negative integer option, or `undefined`; `E_USAGE` when not a number. */
export function integerOption(
  command: string,
  values: ParsedArgs["values"],
  name: string,
): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new PxosError(
      "E_USAGE",
      `pxos ${command}: --${name} expects a non-negative integer, found ${JSON.stringify(v)}`,
    );
  }
  return n;
}
