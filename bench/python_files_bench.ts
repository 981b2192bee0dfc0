/**
 * Python file access on a granted host folder: the same source run by the host's `python3`
 * (baseline, on a real file system) and by the engine, whose files are the host mount
 * (`src/engines/python/host_mount.ts`: every operation one synchronous, checked host call).
 * Each run creates 100 files, reads and stats them, then removes them. Without a host `python3`
 * its row is skipped and says so.
 *
 *     deno bench --allow-read --allow-write --allow-env --allow-run bench/python_files_bench.ts
 */
import "../src/boot/python_runtime.ts";
import { pythonEngine } from "../src/engines/python/mod.ts";
import { realRoot } from "../src/host/fs_access.ts";
import { NO_GRANT } from "../src/host/grant.ts";
import { createHost } from "../src/host/host.ts";
import { DEFAULT_LIMITS } from "../src/host/limits.ts";

const WORKLOAD = [
  "import os",
  "os.makedirs('work/f', exist_ok=True)",
  "for i in range(100):",
  "    with open(f'work/f/{i}.txt', 'w') as f: f.write('x' * 100)",
  "total = 0",
  "for name in os.listdir('work/f'):",
  "    with open('work/f/' + name) as f: total += len(f.read())",
  "    total += os.stat('work/f/' + name).st_size",
  "for name in os.listdir('work/f'): os.remove('work/f/' + name)",
  "assert total == 20000, total",
].join("\n");

const root = await realRoot(await Deno.makeTempDir({ prefix: "pxos-pyfiles-" }));
await Deno.mkdir(`${root}/work`);
globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));

/** A long-lived python3 in the folder (its start-up is not timed): one workload per line. */
function startHostPython(): (() => Promise<void>) | undefined {
  const server = `import sys\nfor line in sys.stdin:\n    exec(${
    JSON.stringify(WORKLOAD)
  }, {})\n    sys.stdout.write('done\\n'); sys.stdout.flush()`;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("python3", {
      args: ["-c", server],
      cwd: root,
      stdin: "piped",
      stdout: "piped",
    }).spawn();
  } catch {
    return undefined;
  }
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  globalThis.addEventListener("unload", () => child.kill());
  return async () => {
    await writer.write(new TextEncoder().encode("run\n"));
    const { value } = await reader.read();
    if (!value?.startsWith("done")) throw new Error(`python3 answered ${value}`);
  };
}
const hostPython = startHostPython();

const files = new Map([["main.py", new TextEncoder().encode(WORKLOAD)]]);
const program = await pythonEngine.load(files.get("main.py")!, { path: "main.py", files });
const grant = { ...NO_GRANT, read: ["work"], write: ["work"] };

Deno.bench({
  name: hostPython ? "host python3" : "host python3 (missing: not on PATH)",
  group: "100 files: create, read + stat, remove",
  baseline: true,
  ignore: hostPython === undefined,
  n: 10,
  async fn() {
    await hostPython!();
  },
});

Deno.bench({
  name: "engine (host mount)",
  group: "100 files: create, read + stat, remove",
  n: 10,
  async fn() {
    const host = createHost({ stdout: () => {}, cartFiles: files, grant, root });
    await pythonEngine.run(program, host, DEFAULT_LIMITS);
  },
});
