/**
 * PohLang benchmarks: each group runs the same algorithm in plain JS (the baseline), on the
 * bytecode VM (which compiles hot functions and loops to JavaScript) and, where it finishes in
 * reasonable time, on the AST interpreter. Programs are parsed/compiled once, outside the timed
 * part; the VM's compiled code is kept across runs of a loaded program, as in a long-lived host.
 *
 *     deno bench --allow-read bench/poh_bench.ts
 *
 * On a loaded machine the averages `deno bench` prints swing with the neighbours; with
 * `--medians` the file instead runs plain JS and the Poh VM alternately, `--medians=N` times per
 * group (default 9), and prints the median of each and their ratio:
 *
 *     deno run --allow-read bench/poh_bench.ts --medians
 *
 * `--only=fib` (with `--medians`) runs just the groups whose label contains `fib`.
 */
import { createHost } from "../src/host/host.ts";
import { DEFAULT_LIMITS } from "../src/host/limits.ts";
import { pohEngine, type PohProgram } from "../src/engines/poh/mod.ts";
import { interpretPoh } from "../src/engines/poh/interpreter.ts";
import { loadPohProgram } from "../src/engines/poh/loader.ts";

const FIB = `Make fib with n
  If n < 2
    Return n
  End
  Return fib(n - 1) + fib(n - 2)
End
Write fib(30)`;

const SUM = `Make sumList with xs
  Set total to 0
  Set i to 0
  Set n to count of xs
  While i < n
    Set total to total + xs[i]
    Increase i
  End
  Return total
End
Write sumList(range(100000))`;

// The same loop at top level (globals) and in a function (locals): 1..10 M.
const SUM_TOP = `Set total to 0
Set i to 1
While i <= 10000000
  Set total to total + i
  Increase i
End
Write total`;

const SUM_FN = `Make sum with n
  Set total to 0
  Set i to 1
  While i <= n
    Set total to total + i
    Increase i
  End
  Return total
End
Write sum(10000000)`;

// A counting loop in a function: Repeat with a local counter.
const COUNT_FN = `Make count with n
  Set c to 0
  Repeat n times
    Increase c by 3
  End
  Return c
End
Write count(10000000)`;

const CONCAT = `Set s to ""
Repeat 10000 times
  Set s to s plus "x"
End
Write count of s`;

const WORDCOUNT = `Set words to split (read file at "words.txt") by " "
Set counts to {}
Set i to 0
Set n to count of words
While i < n
  Set w to words[i]
  If contains w in counts
    Set counts[w] to counts[w] + 1
  Otherwise
    Set counts[w] to 1
  End
  Increase i
End
Write count of counts`;

// 10 000 words drawn (deterministically) from a 500-word vocabulary.
const WORDS = (() => {
  let s = 1;
  const out: string[] = [];
  for (let i = 0; i < 10000; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out.push(`w${s % 500}`);
  }
  return out.join(" ");
})();
const files = new Map([["words.txt", new TextEncoder().encode(WORDS)]]);
const limits = { ...DEFAULT_LIMITS, timeoutMs: 60_000, fuel: 1e10 };

const medianArg = Deno.args.find((a) => a.startsWith("--medians"));
/** Alternating runs per group in `--medians` mode (0: the `deno bench` suite). */
const MEDIANS = medianArg === undefined ? 0 : Number(medianArg.split("=")[1] ?? 9);
const onlyArg = Deno.args.find((a) => a.startsWith("--only="));
/** Label filter for `--medians` mode ("" runs every group). */
const ONLY = onlyArg === undefined ? "" : onlyArg.slice("--only=".length);
const medianGroups: { label: string; js: () => void; vm: () => Promise<void> }[] = [];

let sink = "";
const host = createHost({ stdout: (t) => (sink = t), cartFiles: files });

function prepare(src: string) {
  const vm = pohEngine.load(new TextEncoder().encode(src), {
    path: "bench.poh",
    files,
  }) as PohProgram;
  const ast = loadPohProgram(src, "bench.poh", files);
  return {
    vm: async () => void (await pohEngine.run(vm, host, limits)),
    ast: async () => void (await interpretPoh(ast, host, limits)),
  };
}

function check(expected: string): void {
  if (sink.trim() !== expected) throw new Error(`expected ${expected}, printed ${sink}`);
}

/**
 * One group: plain JS doing the same work (the baseline), then the program on the VM and on
 * the AST interpreter; each Poh run must print `expected`.
 */
function benchGroup(
  group: string,
  label: string,
  src: string,
  expected: string,
  js: () => void,
  astRuns: Partial<Deno.BenchDefinition> | "skip" = {},
): void {
  const program = prepare(src);
  if (MEDIANS > 0) {
    if (!label.includes(ONLY)) return;
    medianGroups.push({ label, js, vm: async () => (await program.vm(), check(expected)) });
    return;
  }
  Deno.bench({ name: `${label} plain JS`, group, baseline: true, fn: js });
  Deno.bench({
    name: `${label} Poh VM`,
    group,
    fn: async () => (await program.vm(), check(expected)),
  });
  if (astRuns === "skip") return;
  Deno.bench({
    name: `${label} Poh AST interpreter`,
    group,
    ...astRuns,
    fn: async () => (await program.ast(), check(expected)),
  });
}

function jsFib(n: number): number {
  return n < 2 ? n : jsFib(n - 1) + jsFib(n - 2);
}

// The AST interpreter takes seconds for fib(30): two timed runs, no warm-up.
benchGroup("fib", "fib(30)", FIB, "832040", () => void jsFib(30), { n: 2, warmup: 0 });

benchGroup("sum", "sum 100k list", SUM, "4999950000", () => {
  const xs = Array.from({ length: 100000 }, (_, i) => i);
  let t = 0;
  for (let i = 0; i < xs.length; i++) t += xs[i];
  sink = String(t);
});

// 10 M turns: the AST interpreter would take a minute per run, so it sits these out.
const SUM_10M = String((10_000_000 * 10_000_001) / 2);
function jsSum(n: number): number {
  let t = 0;
  for (let i = 1; i <= n; i++) t += i;
  return t;
}
benchGroup("sum top", "sum 1..10M at top level", SUM_TOP, SUM_10M, () => {
  let t = 0;
  for (let i = 1; i <= 10_000_000; i++) t += i;
  sink = String(t);
}, "skip");
benchGroup("sum fn", "sum 1..10M in a function", SUM_FN, SUM_10M, () => {
  sink = String(jsSum(10_000_000));
}, "skip");
benchGroup("count fn", "count 10M in a function", COUNT_FN, "30000000", () => {
  const count = (n: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) c += 3;
    return c;
  };
  sink = String(count(10_000_000));
}, "skip");

benchGroup("concat", "10k concatenations", CONCAT, "10000", () => {
  let s = "";
  for (let i = 0; i < 10000; i++) s = s + "x";
  sink = String(s.length);
});

const DISTINCT = String(new Set(WORDS.split(" ")).size);
benchGroup("wordcount", "word count", WORDCOUNT, DISTINCT, () => {
  const words = new TextDecoder().decode(files.get("words.txt")).split(" ");
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  sink = String(counts.size);
});

/** The median of `xs`. */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (MEDIANS > 0) {
  console.log("| work | plain JS (ms) | Poh VM (ms) | Poh VM ÷ JS |\n|---|---:|---:|---:|");
  for (const g of medianGroups) {
    const js: number[] = [];
    const vm: number[] = [];
    // Untimed rounds warm both up (V8 compiles the compiled code too: up to 30 rounds or a
    // second); then they alternate, so load drift hits both.
    const warm = performance.now();
    for (let w = 0; w < 30 && performance.now() - warm < 1000; w++) (g.js(), await g.vm());
    // A sample repeats a short run until plain JS takes about 2 ms, above the timer's grain.
    let t0 = performance.now();
    g.js();
    const reps = Math.min(1000, Math.max(1, Math.ceil(2 / Math.max(performance.now() - t0, 1e-3))));
    for (let i = 0; i < MEDIANS; i++) {
      t0 = performance.now();
      for (let r = 0; r < reps; r++) g.js();
      js.push((performance.now() - t0) / reps);
      t0 = performance.now();
      for (let r = 0; r < reps; r++) await g.vm();
      vm.push((performance.now() - t0) / reps);
    }
    const [j, v] = [median(js), median(vm)];
    console.log(`| ${g.label} | ${j.toFixed(3)} | ${v.toFixed(3)} | ${(v / j).toFixed(2)} |`);
  }
}
