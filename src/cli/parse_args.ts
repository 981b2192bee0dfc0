/**
 * Strict command-line option parsing with `node:util` `parseArgs`'s rules and messages, for the
 * subset `pxos` uses (boolean and string options, short letters, `multiple`, positionals, `--`).
 *
 * Why not `node:util`: importing any `node:` module starts Deno's Node compatibility layer, which
 * every `pxos` command paid at start-up for this one function (see `src/paths.ts` for the
 * figures). `tests/cli/parse_args_test.ts` checks results and errors against `node:util`'s.
 *
 * @module
 */

/** One option: its kind, an optional one-letter alias, and whether it may repeat. */
export interface OptionDefinition {
  /** `boolean` flags take no value; `string` options take one. */
  type: "boolean" | "string";
  /** A one-letter alias (`-o`). */
  short?: string;
  /** Collect every occurrence in an array. */
  multiple?: boolean;
}

/** Options by long name. */
export type OptionDefinitions = Record<string, OptionDefinition>;

/** What {@link parseStrictArgs} found. */
export interface StrictParse {
  /** Option values by long name (arrays for `multiple`); absent options are absent. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Positional arguments in order (everything after `--` included). */
  positionals: string[];
}

/**
 * Parses `args` against `options`, allowing positionals. Throws `TypeError` with `node:util`'s
 * wording for an unknown option, a missing or ambiguous value, or a value given to a flag.
 *
 * @example
 * ```ts
 * import { parseStrictArgs } from "@pxos/core/cli";
 * const { values, positionals } = parseStrictArgs(["-o", "x.pxa", "dir"], {
 *   output: { type: "string", short: "o" },
 * });
 * console.log(values.output, positionals); // "x.pxa" ["dir"]
 * ```
 */
export function parseStrictArgs(args: readonly string[], options: OptionDefinitions): StrictParse {
  const values: StrictParse["values"] = Object.create(null);
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, def] of Object.entries(options)) if (def.short) byShort.set(def.short, name);

  const store = (name: string, value: string | boolean) => {
    if (options[name].multiple) {
      const list = (values[name] as (string | boolean)[] | undefined) ?? [];
      list.push(value);
      values[name] = list;
    } else {
      values[name] = value;
    }
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const def = Object.hasOwn(options, name) ? options[name] : undefined;
      if (!def) throw unknownOption(eq < 0 || name === "" ? arg : arg.slice(0, eq));
      if (def.type === "boolean") {
        if (eq >= 0) throw new TypeError(`Option '${both(name, def)}' does not take an argument`);
        store(name, true);
      } else if (eq >= 0) {
        store(name, arg.slice(eq + 1));
      } else {
        store(name, takeValue(args, ++i, `--${name}`, name, def));
      }
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      // A group of short flags (`-qh`), or one short option with its value attached (`-ofile`).
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const name = byShort.get(letter);
        if (name === undefined) throw unknownOption(`-${letter}`);
        if (options[name].type === "boolean") {
          store(name, true);
          continue;
        }
        if (j + 1 < arg.length) store(name, arg.slice(j + 1));
        else store(name, takeValue(args, ++i, `-${letter}`, name, options[name]));
        break;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { values, positionals };
}

/** The value after a string option; missing or dash-led (ambiguous) values are refused. */
function takeValue(
  args: readonly string[],
  at: number,
  shown: string,
  name: string,
  def: OptionDefinition,
): string {
  const value = args[at];
  if (value === undefined) {
    throw new TypeError(`Option '${both(name, def)} <value>' argument missing`);
  }
  if (value.length > 1 && value.startsWith("-")) {
    const attached = shown.startsWith("--") ? "" : ` or '${shown}-XYZ'`;
    throw new TypeError(
      `Option '${shown}' argument is ambiguous.\nDid you forget to specify the option argument for '${shown}'?\nTo specify an option argument starting with a dash use '--${name}=-XYZ'${attached}.`,
    );
  }
  return value;
}

/** `-o, --output` (or `--output` without a short form), as the messages name an option. */
function both(name: string, def: OptionDefinition): string {
  return def.short ? `-${def.short}, --${name}` : `--${name}`;
}

function unknownOption(option: string): TypeError {
  return new TypeError(
    `Unknown option '${option}'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "${option}"`,
  );
}
