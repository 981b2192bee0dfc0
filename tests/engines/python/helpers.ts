/**
 * Helpers for the Python engine tests. Pyodide takes seconds to start, so every test of a process
 * shares the one interpreter the engine keeps; the snapshot cache is a fresh temporary folder, so
 * no test depends on a warm cache.
 */
import { join } from "node:path";
import { pythonRuntime } from "../../../src/boot/python_runtime.ts";
import type { RunResult } from "../../../src/engines/engine.ts";
import { setPythonRuntimeProvider } from "../../../src/engines/python/interpreter.ts";
import { pythonEngine } from "../../../src/engines/python/engine.ts";
import type { AuditEntry } from "../../../src/host/audit.ts";
import type { Grant } from "../../../src/host/grant.ts";
import { createHost, type HostOptions } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/host/limits.ts";

const encoder = new TextEncoder();

if (!Deno.env.get("PXOS_TEST_CACHE_DIR")) {
  // One fresh cache per test process (its modules share the one cold start); caches of test
  // processes that have ended are removed (a snapshot is ~30 MiB).
  const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
  for await (const entry of Deno.readDir(tmp)) {
    const pid = /^pxos-python-cache-(\d+)$/.exec(entry.name)?.[1];
    if (pid && pid !== String(Deno.pid) && !(await exists(`/proc/${pid}`))) {
      await Deno.remove(join(tmp, entry.name), { recursive: true }).catch(() => {});
    }
  }
  const dir = join(tmp, `pxos-python-cache-${Deno.pid}`);
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir);
  Deno.env.set("PXOS_TEST_CACHE_DIR", dir);
  Deno.env.set("PXOS_CACHE_DIR", dir);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
setPythonRuntimeProvider(pythonRuntime());

/** Cartridge files from text or bytes. */
export function filesOf(files: Record<string, string | Uint8Array>): Map<string, Uint8Array> {
  return new Map(
    Object.entries(files).map(([p, d]) => [p, typeof d === "string" ? encoder.encode(d) : d]),
  );
}

/** What a run produced. */
export interface PyRun {
  out: string;
  err: string;
  result?: RunResult;
  error?: unknown;
  audit: AuditEntry[];
}

/** Options for {@link runPython}. */
export interface RunPythonOptions extends Partial<Pick<HostOptions, "readLine" | "gfx" | "seed">> {
  entry?: string;
  limits?: Partial<Limits>;
  grant?: Grant;
  root?: string;
  flags?: Record<string, boolean>;
}

/** Loads and runs a cartridge's entry (default `main.py`) in this thread. */
export async function runPython(
  files: Record<string, string | Uint8Array>,
  options: RunPythonOptions = {},
): Promise<PyRun> {
  const map = filesOf(files);
  const entry = options.entry ?? "main.py";
  const run: PyRun = { out: "", err: "", audit: [] };
  try {
    const program = await pythonEngine.load(map.get(entry)!, { path: entry, files: map });
    const host = createHost({
      stdout: (t) => (run.out += t),
      stderr: (t) => (run.err += t),
      cartFiles: map,
      readLine: options.readLine,
      gfx: options.gfx,
      grant: options.grant,
      root: options.root,
      seed: options.seed,
      audit: (e) => run.audit.push(e),
    });
    run.result = await pythonEngine.run(program, host, { ...DEFAULT_LIMITS, ...options.limits }, {
      flags: options.flags,
    });
  } catch (e) {
    run.error = e;
  }
  return run;
}

/** `.pyc` bytes of `source`, compiled by the engine's own CPython. */
export async function pyc(source: string, path = "module.py"): Promise<Uint8Array> {
  await pythonEngine.prepare();
  return pythonEngine.compile(encoder.encode(source), { path }).bytes;
}
