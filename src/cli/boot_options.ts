/**
 * How `pxos boot` reads its command line: the option list and the split at `--`. The deciding
 * side (`commands/boot.ts`) and the sandbox process (`sandbox_child.ts`) parse the same arguments
 * with this one definition, so both see the same values.
 *
 * @module
 */
import { expectPositionals, parseCommandArgs, type ParsedArgs } from "./command.ts";
import { GRAPHICS_OPTIONS } from "./graphics_options.ts";
import { LIMIT_OPTIONS } from "./limit_options.ts";
import { normalizePermissionArgs, PERMISSION_OPTIONS } from "./permission_options.ts";
import { PLAY_OPTIONS } from "./play_options.ts";

/** `boot`'s arguments, parsed. */
export interface BootArgs {
  /** The option values. */
  values: ParsedArgs["values"];
  /** The cartridge (or project folder) to boot. */
  cartPath: string;
}

/** Parses `boot`'s arguments (those before `--`, see {@link splitProgramArgs}). */
export function parseBootArgs(args: string[]): BootArgs {
  const { values, positionals } = parseCommandArgs("boot", normalizePermissionArgs(args), {
    ...LIMIT_OPTIONS,
    seed: { type: "string" },
    audit: { type: "string" },
    root: { type: "string" },
    trust: { type: "string", multiple: true },
    "allow-env": { type: "string", multiple: true },
    ...PERMISSION_OPTIONS,
    ...GRAPHICS_OPTIONS,
    ...PLAY_OPTIONS,
  });
  const [cartPath] = expectPositionals("boot", positionals, ["cart"]);
  return { values, cartPath };
}

/** Splits `pxos boot cart [options] -- program args…`; a bare `--allow-env` means every name. */
export function splitProgramArgs(
  all: readonly string[],
): { args: string[]; programArgs: string[] | undefined } {
  const dashes = all.indexOf("--");
  const args = (dashes < 0 ? all : all.slice(0, dashes)).map((a) =>
    a === "--allow-env" ? "--allow-env=*" : a
  );
  return { args, programArgs: dashes < 0 ? undefined : all.slice(dashes + 1) };
}
