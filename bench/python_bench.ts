/**
 * Python engine benchmarks: the same Python source run by the host's `python3` (the baseline,
 * one long-lived process answering one line per run, so its start-up is not timed) and by the
 * engine (CPython 3.14 on WebAssembly, one warm interpreter; each timed run is a whole
 * `pythonEngine.run`, so the "empty program" group shows what a run costs beyond the work).
 * Without a host `python3` its rows are skipped and say so.
 *
 *     deno bench --allow-read --allow-write --allow-env --allow-run bench/python_bench.ts
 */
import "../src/boot/python_runtime.ts";
import { pythonEngine, type PythonProgram } from "../src/engines/python/mod.ts";
import { createHost } from "../src/host/host.ts";
import { DEFAULT_LIMITS } from "../src/host/limits.ts";

const WORKLOADS: Record<string, string> = {
  "empty program": "pass",
  "fib(25)": [
    "def fib(n):",
    "    return n if n < 2 else fib(n - 1) + fib(n - 2)",
    "result = fib(25)",
  ].join("\n"),
  "word count (dict/str, 200k words)": [
    "words = ['pixel', 'cartridge', 'python', 'engine', 'frame', 'layer', 'host', 'grant']",
    "text = ' '.join(words[(i * 7 + i // 3) % 8] + str(i % 50) for i in range(200_000))",
    "counts = {}",
    "for word in text.split():",
    "    counts[word] = counts.get(word, 0) + 1",
    "result = sorted(counts.items(), key=lambda kv: -kv[1])[:3]",
  ].join("\n"),
  "list sort (200k ints)": [
    "x, values = 12345, []",
    "for _ in range(200_000):",
    "    x = (x * 1103515245 + 12345) & 0x7fffffff",
    "    values.append(x)",
    "result = sorted(values)[100_000]",
  ].join("\n"),
};

/** A python3 process that runs a named workload per input line and answers "done". */
function startHostPython(): ((name: string) => Promise<void>) | undefined {
  const server = [
    "import sys",
    `W = ${JSON.stringify(WORKLOADS)}`,
    "for line in sys.stdin:",
    "    exec(W[line.strip()], {})",
    "    sys.stdout.write('done\\n'); sys.stdout.flush()",
  ].join("\n");
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("python3", { args: ["-c", server], stdin: "piped", stdout: "piped" })
      .spawn();
  } catch {
    return undefined;
  }
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const encoder = new TextEncoder();
  globalThis.addEventListener("unload", () => child.kill());
  return async (name) => {
    await writer.write(encoder.encode(`${name}\n`));
    const { value } = await reader.read();
    if (!value?.startsWith("done")) throw new Error(`python3 answered ${value}`);
  };
}

const hostPython = startHostPython();
const programs = new Map<string, PythonProgram>();
for (const [name, source] of Object.entries(WORKLOADS)) {
  const files = new Map([["main.py", new TextEncoder().encode(source)]]);
  programs.set(name, await pythonEngine.load(files.get("main.py")!, { path: "main.py", files }));
}
const host = createHost({ stdout: () => {} });

for (const name of Object.keys(WORKLOADS)) {
  Deno.bench({
    name: hostPython ? "host python3" : "host python3 (missing: not on PATH)",
    group: name,
    baseline: true,
    ignore: hostPython === undefined,
    n: 20,
    async fn() {
      await hostPython!(name);
    },
  });
  Deno.bench({
    name: "pxOS python engine (Pyodide)",
    group: name,
    baseline: hostPython === undefined,
    n: 20,
    async fn() {
      await pythonEngine.run(programs.get(name)!, host, DEFAULT_LIMITS);
    },
  });
}
