/**
 * `pxos run <file>`: runs a bare program (no cartridge) on the engine its extension names,
 * compiling source files on the fly. Engine-independent: everything goes through the engine
 * contract; engine-specific switches travel as `--flag name=value` in `RunOptions.flags`.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { PxosError } from "../../errors.ts";
import type { ProfileSection, RunResult } from "../../engines/engine.ts";
import { loadEngineFor } from "../../engines/lazy_registry.ts";
import { NO_GRANT } from "../../host/grant.ts";
import { createHost } from "../../host/host.ts";
import { runProgram } from "../../boot/run_program.ts";
import {
  GRAPHICS_HELP,
  GRAPHICS_OPTIONS,
  openFrameOutput,
  reportFrames,
} from "../graphics_options.ts";
import { DEFAULT_LIMITS, type Limits } from "../../host/limits.ts";
import { userLimits } from "../limit_options.ts";
import { type Command, expectPositionals, parseCommandArgs, type ParsedArgs } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { readInputFile } from "../files.ts";
import type { CliIO } from "../io.ts";

/** A {@link CliIO} that may also supply input lines (tests and embedders); else stdin is read. */
export interface CliIOWithInput extends CliIO {
  /** Next input line without its newline; `null` at end of input. */
  readLine?: () => Promise<string | null> | string | null;
}

/** Files next to the program a bare run sees as its cartridge files (each at most this big). */
const SIBLING_MAX_BYTES = 4 * 1024 * 1024;
/** The most sibling files a bare run reads. */
const SIBLING_MAX_FILES = 256;

const HELP = `pxos run — run a bare program (no cartridge), compiling source on the fly

Usage: pxos run <file> [options] [-- program arguments…]

The engine is chosen by the file's extension. The files next to the program (regular files up
to ${SIBLING_MAX_BYTES / 1024 / 1024} MiB, at most ${SIBLING_MAX_FILES}) are its cartridge files:
engines resolve imported modules from them and cart.read reads them. Without --allow-clock and
--allow-random the program sees a virtual clock and a seeded random sequence, so runs repeat.
The exit status is the program's exit code.

Options:
  --trace              print one line per instruction to standard error (pc, op, operands, stack)
  --profile            print counts per opcode and per label/function to standard error, hottest
                       first (with --json: one JSON object instead)
  --json               with --profile: print the profile as JSON
  --fuel <n>           instruction budget (default ${DEFAULT_LIMITS.fuel}); E_FUEL when spent
  --timeout <ms>       wall-clock limit (default ${DEFAULT_LIMITS.timeoutMs}); exit 124 when passed
  --memory <bytes>     guest memory (default ${DEFAULT_LIMITS.memoryBytes}); E_MEMORY past it
  --output <bytes>     what the program may print (default ${DEFAULT_LIMITS.outputBytes}); E_LIMIT past it
  --allow-clock        give the program the real clock
  --allow-random       give the program real random numbers
  --flag <name=value>  an engine-specific switch (repeatable; a bare name means true), passed in
                       RunOptions.flags; see the engine's docs
  --strict             same as --flag strict (pxVM: warnings become E_TRAP)
  --allow-env=NAME,…   pass these environment variables (engines with an environment, e.g. wasm)
  -- ARGS…             arguments for the program (engines with an argv, e.g. wasm)

${GRAPHICS_HELP}

Example:
  pxos run examples/countdown/main.pxasm --profile

${EXIT_CODES_HELP}
  other  the program's own exit code
`;

/** `pxos run`. */
export const runCommand: Command = {
  name: "run",
  summary: "run a bare program file (source is compiled on the fly)",
  help: HELP,
  async run(allArgs, io: CliIOWithInput) {
    // Everything after `--` belongs to the program (its argv), never to pxos.
    const dashes = allArgs.indexOf("--");
    const args = dashes < 0 ? allArgs : allArgs.slice(0, dashes);
    const programArgs = dashes < 0 ? [] : allArgs.slice(dashes + 1);
    const { values, positionals } = parseCommandArgs("run", args, {
      trace: { type: "boolean" },
      profile: { type: "boolean" },
      json: { type: "boolean" },
      fuel: { type: "string" },
      timeout: { type: "string" },
      memory: { type: "string" },
      output: { type: "string" },
      "allow-clock": { type: "boolean" },
      "allow-random": { type: "boolean" },
      flag: { type: "string", multiple: true },
      strict: { type: "boolean" },
      "allow-env": { type: "string", multiple: true },
      ...GRAPHICS_OPTIONS,
    });
    const [file] = expectPositionals("run", positionals, ["file"]);
    const limits: Limits = { ...DEFAULT_LIMITS, ...userLimits("run", values) };
    if (/\.(pxa|png)$/i.test(file)) {
      throw new PxosError(
        "E_USAGE",
        `pxos run runs bare programs; boot a cartridge with: pxos boot ${file}`,
      );
    }
    const engine = await loadEngineFor(file);
    const bytes = await readInputFile(file);
    const files = await siblingFiles(file);
    const path = basename(file);
    let program: unknown;
    const lower = path.toLowerCase();
    if (engine.compile && (engine.sourceExtensions ?? []).some((x) => lower.endsWith(x))) {
      const compiled = engine.compile(bytes, { path, files });
      program = await engine.load(compiled.bytes, { path: compiled.path, files });
    } else {
      program = await engine.load(bytes, { path, files });
    }
    const grant = {
      ...NO_GRANT,
      clock: values["allow-clock"] === true,
      random: values["allow-random"] === true,
    };
    const frames = await openFrameOutput("run", values, file);
    const host = createHost({
      // With --pxterm, stdout carries the draw list; the program's own output goes to stderr.
      stdout: values.pxterm ? (t) => io.err(t) : (t) => io.out(t),
      stderr: (t) => io.err(t),
      readLine: io.readLine ?? stdinLines(),
      cartFiles: files,
      grant,
      gfx: frames.sink,
      maxBytes: limits.memoryBytes,
      maxOutputBytes: limits.outputBytes,
    });
    const flags = parseFlags(values);
    if (values.strict) flags.strict = true;
    let result: RunResult;
    try {
      result = await runProgram(engine, program, host, limits, {
        trace: values.trace ? (line) => io.err(`${line}\n`) : undefined,
        profile: values.profile === true,
        flags,
        args: programArgs,
        env: envFrom(values["allow-env"]),
      });
    } finally {
      reportFrames(io, await frames.finish());
    }
    if (values.profile) {
      io.err(
        values.json
          ? `${JSON.stringify({ fuelUsed: result.fuelUsed, profile: result.profile ?? [] })}\n`
          : formatProfile(result.profile ?? [], result.fuelUsed),
      );
    }
    return result.exitCode;
  },
};

/** The named variables' values from this process (unset or unreadable ones are left out). */
function envFrom(raw: ParsedArgs["values"][string]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of (Array.isArray(raw) ? raw : []).flatMap((v) => String(v).split(","))) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // pxos itself may not read the environment: the variable stays unset.
    }
  }
  return env;
}

/** `--flag a=1 --flag b` → `{ a: 1, b: true }` (numbers and true/false are converted). */
function parseFlags(values: ParsedArgs["values"]): Record<string, string | number | boolean> {
  const flags: Record<string, string | number | boolean> = {};
  const raw = values.flag;
  for (const item of Array.isArray(raw) ? raw : []) {
    const text = String(item);
    const eq = text.indexOf("=");
    const name = eq < 0 ? text : text.slice(0, eq);
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
      throw new PxosError(
        "E_USAGE",
        `pxos run: --flag expects name=value, found ${JSON.stringify(text)}`,
      );
    }
    const value = eq < 0 ? "true" : text.slice(eq + 1);
    flags[name] = value === "true"
      ? true
      : value === "false"
      ? false
      : value.trim() !== "" && Number.isFinite(Number(value))
      ? Number(value)
      : value;
  }
  return flags;
}

/** Profile sections as aligned text, hottest rows first (engines already sort them). */
export function formatProfile(sections: readonly ProfileSection[], fuelUsed: number): string {
  let out = `profile: ${fuelUsed} instructions\n`;
  for (const section of sections) {
    out += `${section.title}:\n`;
    const width = Math.max(8, ...section.rows.map((r) => r.name.length));
    for (const row of section.rows) {
      const time = row.timeMs !== undefined ? `  ${row.timeMs.toFixed(2)} ms` : "";
      out += `  ${row.name.padEnd(width)}  ${String(row.count).padStart(12)}${time}\n`;
    }
  }
  return out;
}

/** The regular files next to `file`, keyed by base name (bounded in size and count). */
async function siblingFiles(file: string): Promise<Map<string, Uint8Array>> {
  const dir = dirname(file);
  const files = new Map<string, Uint8Array>();
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || files.size >= SIBLING_MAX_FILES) continue;
      const path = join(dir, entry.name);
      const info = await Deno.stat(path);
      if (info.size > SIBLING_MAX_BYTES) continue;
      files.set(entry.name, await Deno.readFile(path));
    }
  } catch (e) {
    throw new PxosError("E_IO", `cannot list ${JSON.stringify(dir)}: ${(e as Error).message}`);
  }
  return files;
}

/** A line reader over standard input, opened on the first read. */
function stdinLines(): () => Promise<string | null> {
  let reader: ReadableStreamDefaultReader<string> | undefined;
  let buffer = "";
  let ended = false;
  return async () => {
    reader ??= Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const nl = buffer.indexOf("\n");
      if (nl >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, "");
        buffer = buffer.slice(nl + 1);
        return line;
      }
      if (ended) {
        const rest = buffer;
        buffer = "";
        return rest === "" ? null : rest;
      }
      const chunk = await reader.read();
      if (chunk.done) ended = true;
      else buffer += chunk.value;
    }
  };
}
