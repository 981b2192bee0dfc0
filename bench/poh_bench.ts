/**
 * PohLang benchmarks: each group runs the same algorithm on the AST interpreter, on the bytecode
 * VM, and in plain JS (the baseline). Programs are parsed/compiled once, outside the timed part.
 *
 *     deno bench --allow-read bench/poh_bench.ts
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
const limits = { ...DEFAULT_LIMITS, timeoutMs: 60_000 };

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

function jsFib(n: number): number {
  return n < 2 ? n : jsFib(n - 1) + jsFib(n - 2);
}

const fib = prepare(FIB);
Deno.bench({ name: "fib(30) plain JS", group: "fib", baseline: true, fn: () => void jsFib(30) });
Deno.bench({
  name: "fib(30) Poh VM",
  group: "fib",
  fn: async () => (await fib.vm(), check("832040")),
});
Deno.bench({
  name: "fib(30) Poh AST interpreter",
  group: "fib",
  n: 2,
  warmup: 0,
  fn: async () => (await fib.ast(), check("832040")),
});

const sum = prepare(SUM);
Deno.bench({
  name: "sum 100k list plain JS",
  group: "sum",
  baseline: true,
  fn: () => {
    const xs = Array.from({ length: 100000 }, (_, i) => i);
    let t = 0;
    for (let i = 0; i < xs.length; i++) t += xs[i];
    sink = String(t);
  },
});
Deno.bench({
  name: "sum 100k list Poh VM",
  group: "sum",
  fn: async () => (await sum.vm(), check("4999950000")),
});
Deno.bench({
  name: "sum 100k list Poh AST interpreter",
  group: "sum",
  fn: async () => (await sum.ast(), check("4999950000")),
});

const concat = prepare(CONCAT);
Deno.bench({
  name: "10k concatenations plain JS",
  group: "concat",
  baseline: true,
  fn: () => {
    let s = "";
    for (let i = 0; i < 10000; i++) s = s + "x";
    sink = String(s.length);
  },
});
Deno.bench({
  name: "10k concatenations Poh VM",
  group: "concat",
  fn: async () => (await concat.vm(), check("10000")),
});
Deno.bench({
  name: "10k concatenations Poh AST interpreter",
  group: "concat",
  fn: async () => (await concat.ast(), check("10000")),
});

const wc = prepare(WORDCOUNT);
Deno.bench({
  name: "word count plain JS",
  group: "wordcount",
  baseline: true,
  fn: () => {
    const words = new TextDecoder().decode(files.get("words.txt")).split(" ");
    const counts = new Map<string, number>();
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    sink = String(counts.size);
  },
});
const DISTINCT = String(new Set(WORDS.split(" ")).size);
Deno.bench({
  name: "word count Poh VM",
  group: "wordcount",
  fn: async () => (await wc.vm(), check(DISTINCT)),
});
Deno.bench({
  name: "word count Poh AST interpreter",
  group: "wordcount",
  fn: async () => (await wc.ast(), check(DISTINCT)),
});
