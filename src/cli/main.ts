/**
 * `pxos` argument dispatch: global flags, the command list, error → exit-code mapping.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { escapeForTerminal } from "../text_safety.ts";
import { PXOS_VERSION } from "../version.ts";
import { COMMANDS } from "./commands/mod.ts";
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from "./exit_codes.ts";
import { type CliIO, style, terminalIO } from "./io.ts";

/** The top-level `pxos --help` text (loads every command, for its summary). */
export async function topLevelHelp(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `pxos ${PXOS_VERSION} — pixel cartridges: programs stored in PNG images

Usage: pxos <command> [options]
       pxos <command> --help

Commands:
${list}

Global options:
  -h, --help     show help (also after any command)
  --version      print the version
  --debug        print stack traces on errors
  -q, --quiet    no progress output

${EXIT_CODES_HELP}
`;
}

/**
 * Runs the `pxos` command line and returns its exit code (it never calls `Deno.exit`).
 *
 * @param args the arguments after `pxos`
 * @param io where output goes; defaults to the real terminal
 */
export async function runCli(args: string[], io?: CliIO): Promise<number> {
  const flags = {
    quiet: args.includes("--quiet") || args.includes("-q"),
    debug: args.includes("--debug"),
  };
  const term = io ?? terminalIO(flags);
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    if (name === "help" && rest[0]) return runCli([rest[0], "--help"], term);
    term.out(await topLevelHelp());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === "--version" || name === "-V") {
    term.out(`pxos ${PXOS_VERSION}\n`);
    return EXIT.OK;
  }
  const command = await COMMANDS.find((c) => c.name === name)?.load();
  if (!command) {
    term.err(
      `${style(term, "red", "error")}: unknown command ${JSON.stringify(name)}; run pxos --help\n`,
    );
    return EXIT.USAGE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    term.out(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run(rest, term);
  } catch (e) {
    return reportError(e, term);
  }
}

/** Prints one clean line for an error (the stack too under `--debug`) and picks the exit code. */
export function reportError(e: unknown, io: CliIO): number {
  if (e instanceof PxosError) {
    // Messages quote guest text (paths, names, source lines): escaped, so none can drive the terminal.
    io.err(
      `${style(io, "red", "error")} [${e.code}]: ${
        escapeForTerminal(e.message, { keepLines: true })
      }\n`,
    );
    if (io.debug && e.stack) io.err(`${e.stack}\n`);
    return exitCodeFor(e.code);
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.err(`${style(io, "red", "internal error")}: ${escapeForTerminal(err.message)}\n`);
  io.err(io.debug ? `${err.stack}\n` : "(this is a bug in pxos; run with --debug for details)\n");
  return EXIT.INVALID;
}
