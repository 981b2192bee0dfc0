/**
 * `pxos run <file>`: runs a bare program (no cartridge) on the engine its extension names,
 * compiling source files on the fly. Engine-independent: everything goes through the engine
 * contract; engine-specific switches travel as `--flag name=value` in `RunOptions.flags`.
 *
 * @module
 */
import { basename, dirname, join } from "../../paths.ts";
import { PxosError } from "../../errors.ts";
import type { ProfileSection, RunResult } from "../../engines/engine.ts";
import { importEngineFor } from "../engine_import.ts";
import { createHost } from "../../host/host.ts";
import { runProgram } from "../../boot/run_program.ts";
import {
  GRAPHICS_HELP,
  GRAPHICS_OPTIONS,
  openFrameOutput,
  reportFrames,
} from "../graphics_options.ts";
import { DEFAULT_LIMITS } from "../../host/limits.ts";
import { LIMIT_OPTIONS } from "../limit_options.ts";
import {
  normalizePermissionArgs,
  PERMISSION_HELP,
  PERMISSION_OPTIONS,
} from "../permission_options.ts";
import { decideRunGrant } from "../run_grant.ts";
import { openProjectRun, runLimits } from "../run_project.ts";
import {
  type Command,
  expectPositionals,
  parseCommandArgs,
  type ParsedArgs,
  stringOption,
} from "../command.ts";
import { parseSeed } from "../boot_support.ts";
import { openPlay, PLAY_HELP, PLAY_OPTIONS } from "../play_options.ts";
import { playSetup } from "../../boot/play.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { isFolder, readInputFile } from "../files.ts";
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
       pxos run <project-dir> [options]

The engine is chosen by the file's extension. The files next to the program (regular files up
to ${SIBLING_MAX_BYTES / 1024 / 1024} MiB, at most ${SIBLING_MAX_FILES}) are its cartridge files:
engines resolve imported modules from them and cart.read reads them. Without --allow-clock and
--allow-random the program sees a virtual clock and a seeded random sequence, so runs repeat.
The exit status is the program's exit code.

A project folder (one with a pxos.json) runs its entry instead, packed in memory the way pxos
pack packs it, with its manifest's permissions (granted with the options below) and limits.

Options:
  --trace              print one line per instruction to standard error (pc, op, operands, stack)
  --profile            print counts per opcode and per label/function to standard error, hottest
                       first (with --json: one JSON object instead)
  --json               with --profile: print the profile as JSON
  --fuel <n>           instruction budget (default ${DEFAULT_LIMITS.fuel}); E_FUEL when spent
  --timeout <ms>       wall-clock limit (default ${DEFAULT_LIMITS.timeoutMs}); exit 124 when passed
  --memory <bytes>     guest memory (default ${DEFAULT_LIMITS.memoryBytes}); E_MEMORY past it
  --output <bytes>     what the program may print (default ${DEFAULT_LIMITS.outputBytes}); E_LIMIT past it
  --allow-limits       grant the limits a project's manifest raises above the defaults
  --seed S             seed for the random source without --allow-random (hex bytes or text)
  --flag <name=value>  an engine-specific switch (repeatable; a bare name means true), passed in
                       RunOptions.flags; see the engine's docs
  --strict             same as --flag strict (pxVM: warnings become E_TRAP)
  --allow-env=NAME,…   pass these environment variables (engines with an environment, e.g. wasm)
  -- ARGS…             arguments for the program (engines with an argv, e.g. wasm)

${PERMISSION_HELP}
For a bare program the options are the request: --allow-read=./data grants reading inside
./data (relative to --root); a bare --allow-read or --allow-write, the whole root.
  --audit FILE            append one JSON line per permission-checked call

${GRAPHICS_HELP}

${PLAY_HELP}

Examples:
  pxos run examples/countdown/main.pxasm --profile
  pxos run notes.poh --allow-read=./data --allow-write=./out
  pxos run examples/poh-wordcount --allow-read

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
    const { values, positionals } = parseCommandArgs("run", normalizePermissionArgs(args), {
      trace: { type: "boolean" },
      profile: { type: "boolean" },
      json: { type: "boolean" },
      ...LIMIT_OPTIONS,
      ...PERMISSION_OPTIONS,
      root: { type: "string" },
      audit: { type: "string" },
      flag: { type: "string", multiple: true },
      strict: { type: "boolean" },
      "allow-env": { type: "string", multiple: true },
      ...GRAPHICS_OPTIONS,
      ...PLAY_OPTIONS,
      seed: { type: "string" },
    });
    const [file] = expectPositionals("run", positionals, ["file"]);
    if (/\.(pxa|png)$/i.test(file)) {
      throw new PxosError(
        "E_USAGE",
        `pxos run runs bare programs; boot a cartridge with: pxos boot ${file}`,
      );
    }
    // The project reader loads only for a folder.
    const project = await isFolder(file) ? await openProjectRun(file) : undefined;
    const engine = project?.engine ?? await importEngineFor(file);
    const bytes = project?.bytes ?? await readInputFile(file);
    const files = project?.files ?? await siblingFiles(file);
    const path = project?.path ?? basename(file);
    const limits = runLimits(values, project?.manifest);
    let program: unknown;
    const lower = path.toLowerCase();
    if (engine.compile && (engine.sourceExtensions ?? []).some((x) => lower.endsWith(x))) {
      await engine.prepare?.();
      const compiled = engine.compile(bytes, { path, files });
      program = await engine.load(compiled.bytes, { path: compiled.path, files });
    } else {
      program = await engine.load(bytes, { path, files });
    }
    const readLine = io.readLine ?? stdinLines();
    const { grant, root, audit } = await decideRunGrant(
      values,
      {
        name: project?.manifest.name ?? path,
        permissions: project?.manifest.permissions,
      },
      io,
      readLine,
    );
    const play = await openPlay("run", values);
    const frames = await openFrameOutput("run", values, file, { onRendered: play?.onFrame });
    const loop = playSetup(play?.plan, frames.sink);
    const seed = stringOption(values, "seed");
    const host = createHost({
      // With --pxterm, stdout carries the draw list; the program's own output goes to stderr.
      stdout: values.pxterm ? (t) => io.err(t) : (t) => io.out(t),
      stderr: (t) => io.err(t),
      readLine,
      cartFiles: files,
      grant,
      root,
      audit: audit?.sink,
      cartridge: project?.manifest.name ?? path,
      gfx: frames.sink,
      maxBytes: limits.memoryBytes,
      maxOutputBytes: limits.outputBytes,
      input: loop?.input,
      sound: play?.sound,
      seed: seed === undefined ? undefined : parseSeed(seed),
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
        frameLoop: loop?.loop,
      });
    } finally {
      audit?.close();
      reportFrames(io, await frames.finish());
      await play?.finish(io);
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
