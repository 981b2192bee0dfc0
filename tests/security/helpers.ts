/**
 * Helpers for the attack tests: cartridges built in the test (also ones whose manifest our own
 * packer would refuse, as an attacker's tool would write them) and `pxos` run as a user runs it.
 */
import { join } from "node:path";
import { encodeCartridgeImage } from "../../src/pixel/mod.ts";
import { packArchive } from "../../src/archive/writer.ts";

const encoder = new TextEncoder();

/**
 * Writes a cartridge image with `manifest` as its `pxos.json` byte for byte (no validation), so a
 * test can hand `pxos` what an attacker's own packer would make.
 */
export async function craftCartridge(
  dir: string,
  name: string,
  manifest: unknown,
  files: Record<string, string>,
): Promise<string> {
  const payload = await packArchive([
    { path: "pxos.json", data: encoder.encode(JSON.stringify(manifest)) },
    ...Object.entries(files).map(([path, text]) => ({ path, data: encoder.encode(text) })),
  ]);
  const png = await encodeCartridgeImage(payload, { label: { title: "x", subtitle: "x" } });
  const path = join(dir, name);
  await Deno.writeFile(path, png);
  return path;
}

/** The result of running `pxos` as a process. */
export interface PxosRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds from start to exit. */
  ms: number;
}

const CLI = new URL("../../cli.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/**
 * Runs `deno run -A cli.ts …args` in `cwd` as a user would. With `slowReader`, standard output is
 * not read until the process has ended (a reader that never keeps up).
 */
export async function runPxos(
  cwd: string,
  args: string[],
  options: { slowReader?: boolean } = {},
): Promise<PxosRun> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, CLI, ...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const decoder = new TextDecoder();
  if (options.slowReader) {
    const status = await child.status;
    const ms = performance.now() - started;
    await child.stdout.cancel();
    const stderr = decoder.decode(await new Response(child.stderr).arrayBuffer());
    return { code: status.code, stdout: "", stderr, ms };
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
    ms: performance.now() - started,
  };
}
