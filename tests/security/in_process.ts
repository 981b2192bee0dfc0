/**
 * In-process helpers for the attack tests (tests/security): a cartridge written to disk from
 * a manifest and files, `pxos` run in-process, and the audit file read back.
 */
import { packCartridge } from "../../src/archive/cartridge.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";
import type { AuditEntry } from "../../src/host/audit.ts";

/** What one `pxos` run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `pxos …args` in this process. */
export async function pxos(...args: string[]): Promise<CliResult> {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Writes a cartridge (manifest defaults filled in) to `path` and returns `path`. */
export async function writeCart(
  path: string,
  manifest: Record<string, unknown>,
  files: Record<string, string>,
): Promise<string> {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const inputs = [[
    "pxos.json",
    JSON.stringify({
      name: "attack",
      version: "1.0.0",
      pxos: ">=0.1.0",
      ...manifest,
    }),
  ], ...Object.entries(files)].map(([p, text]) => ({ path: p, data: bytes(text) }));
  await Deno.writeFile(path, (await packCartridge(inputs)).png);
  return path;
}

/**
 * A Poh entry that runs each statement in its own `try` and writes `ok` or `no <error>` for it,
 * so one run shows the fate of every attempt.
 */
export function pohAttempts(statements: readonly string[]): string {
  const blocks = statements.map((s) =>
    ["try this:", `  ${s}`, '  Write "ok"', "if error as e", '  Write "no " plus e', "end try"]
      .join("\n")
  );
  return ["Start Program", ...blocks, "End Program", ""].join("\n");
}

/** The entries of a JSON-lines audit file. */
export async function readAudit(path: string): Promise<AuditEntry[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as AuditEntry);
}

/** Runs `fn` in a fresh real (link-free) temporary directory, removed afterwards. */
export async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "pxos-sec-" }));
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
