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
  const json = rest.includes("--json");
  // `pxos boot` on the real terminal: its sandbox process starts now, while the command decides.
  const early = name === "boot" && io === undefined
    ? await (await import("./sandbox_speculation.ts")).startSpeculativeChild(rest)
    : undefined;
  const command = await COMMANDS.find((c) => c.name === name)?.load();
  try {
    if (!command) {
      throw new PxosError(
        "E_USAGE",
        `unknown command ${JSON.stringify(name)}; expected one of ${
          COMMANDS.map((c) => c.name).join(", ")
        } (see: pxos --help)`,
      );
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      term.out(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
      return EXIT.OK;
    }
    return await command.run(rest, term);
  } catch (e) {
    return reportError(e, term, { json });
  } finally {
    await early?.end();
  }
}

/**
 * Prints one clean line for an error (the stack too under `--debug`) and picks the exit code.
 * With `json` (the command had `--json`), the error is also printed on stdout as
 * `{"error": {"code", "message", …}}`. A closed standard output (`pxos run … | head`) is no
 * error: the reader has what it wanted, so nothing is printed and the exit code is 0.
 */
export function reportError(e: unknown, io: CliIO, options: { json?: boolean } = {}): number {
  if (isClosedPipe(e)) return EXIT.OK;
  if (options.json) printJsonError(e, io);
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

/** Whether `e` (or what caused it) is a write to a pipe whose reader has gone. */
function isClosedPipe(e: unknown): boolean {
  for (let cause = e, depth = 0; cause instanceof Error && depth < 8; depth++) {
    if (cause instanceof Deno.errors.BrokenPipe) return true;
    cause = cause.cause;
  }
  return false;
}

/** The `--json` form of an error, on stdout (where a script reading JSON looks). */
function printJsonError(e: unknown, io: CliIO): void {
  const error = e instanceof PxosError
    ? e.toJSON()
    : { code: "E_INTERNAL", message: e instanceof Error ? e.message : String(e) };
  try {
    io.out(`${JSON.stringify({ error }, null, 2)}\n`);
  } catch {
    // stdout is gone too; the line on stderr still says what happened
  }
}
