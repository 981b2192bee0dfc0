/**
 * pxOS side by side with its peers, on this machine: `deno task bench:compare [--runs N]
 * [--only fib,loop,start,archive]`.
 *
 * Every cell is a whole process timed from spawn to exit (median of N runs, default 3, the runs of
 * one row interleaved), so each runtime's start-up is included, as a user sees it. Ratios are
 * against the row's baseline: plain JS in Deno for programs, `deno run hello.ts` for start-up,
 * `tar` for the archive. A peer that is not installed is printed as "missing", never left out:
 * host `python3`, `lua5.4` (apt), QuickJS (`quickjs-emscripten` from npm, run in Deno), `zip`,
 * `unzip`, `tar`.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fibProgram } from "../src/engines/pixelvm/example_programs.ts";
import { writeMixedTree } from "./disk_tree.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "3" }, only: { type: "string" } },
});
const RUNS = Math.max(1, Number(values.runs) || 3);
const ONLY = values.only?.split(",");
const HERE = new URL(".", import.meta.url).pathname;
const CLI = join(HERE, "../cli.ts");
const DENO = Deno.execPath();
const PXOS = [DENO, "run", "-A", "--unstable-worker-options", CLI];
const work = await Deno.makeTempDir({ prefix: "pxos-compare-" });

/** A command to time; `setup` runs untimed before each run (e.g. to empty a target folder). */
interface Contender {
  name: string;
  argv: string[] | null; // null: the tool is missing
  setup?: () => Promise<void>;
}

async function available(tool: string): Promise<boolean> {
  try {
    const r = await new Deno.Command("sh", { args: ["-c", `command -v ${tool}`], stdout: "null" })
      .output();
    return r.success;
  } catch {
    return false;
  }
}

async function timeOnce(argv: string[]): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "null",
    stderr: "piped",
    env: { PXOS_WORKER_OPTIONS: "1", DENO_NO_PROMPT: "1" },
  }).output();
  const ms = performance.now() - start;
  if (!out.success) {
    throw new Error(`${argv.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Times the contenders (first = baseline), interleaved, and prints one table. */
async function table(title: string, contenders: Contender[]): Promise<void> {
  const times = contenders.map(() => [] as number[]);
  for (let r = 0; r < RUNS; r++) {
    for (const [i, c] of contenders.entries()) {
      if (c.argv === null) continue;
      await c.setup?.();
      times[i].push(await timeOnce(c.argv));
    }
  }
  const base = median(times[0]);
  console.log(`\n${title}\n`);
  console.log(`| contender | median ms | × ${contenders[0].name} |`);
  console.log(`| --- | ---: | ---: |`);
  for (const [i, c] of contenders.entries()) {
    if (c.argv === null) {
      console.log(`| ${c.name} | missing | — |`);
      continue;
    }
    const ms = median(times[i]);
    console.log(`| ${c.name} | ${ms.toFixed(0)} | ${(ms / base).toFixed(2)}× |`);
  }
}

async function file(name: string, text: string): Promise<string> {
  const path = join(work, name);
  await Deno.writeTextFile(path, text);
  return path;
}

const have = {
  python3: await available("python3"),
  lua: await available("lua5.4"),
  zip: await available("zip") && await available("unzip"),
  tar: await available("tar"),
};
const quickjs = join(HERE, "compare_quickjs.ts");

/** The same program for each language; `null` where pxOS has no such program. */
async function programRow(
  title: string,
  js: string,
  py: string,
  lua: string,
  pxasm: string,
  poh: string,
): Promise<void> {
  const jsFile = await file("p.js", `${js}\nconsole.log(main());\n`);
  const qjsFile = await file("q.js", `${js}\nmain();\n`);
  await table(title, [
    { name: "plain JS (deno run)", argv: [DENO, "run", jsFile] },
    {
      name: "pxOS PixelVM (pxos run .pxasm)",
      argv: [...PXOS, "run", await file("p.pxasm", pxasm)],
    },
    { name: "pxOS Poh (pxos run .poh)", argv: [...PXOS, "run", await file("p.poh", poh)] },
    { name: "CPython (python3)", argv: have.python3 ? ["python3", await file("p.py", py)] : null },
    { name: "Lua 5.4", argv: have.lua ? ["lua5.4", await file("p.lua", lua)] : null },
    { name: "QuickJS (quickjs-emscripten)", argv: [DENO, "run", "-A", quickjs, qjsFile] },
  ]);
}

const want = (part: string) => ONLY === undefined || ONLY.includes(part);

if (want("fib")) {
  await programRow(
    "fib(30), recursive",
    "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nfunction main() { return fib(30); }",
    "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(30))\n",
    "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\nprint(fib(30))\n",
    fibProgram(30),
    "Make fib with n\n  If n < 2\n    Return n\n  End\n  Return fib(n - 1) + fib(n - 2)\nEnd\nWrite fib(30)\n",
  );
}

if (want("loop")) {
  await programRow(
    "sum 0..10 M in a loop at top level",
    "function main() { let total = 0; for (let i = 0; i < 10000000; i++) total += i; return total; }",
    "total = 0\ni = 0\nwhile i < 10000000:\n    total += i\n    i += 1\nprint(total)\n",
    "local total = 0\nfor i = 0, 9999999 do total = total + i end\nprint(total)\n",
    "        PUSH 0\n        ENTER 1\nloop:   LGET 0\n        PUSH 1\n        ADD\n        LSET 0\n        LGET 0\n        PUSH 10000000\n        LT\n        JNZ loop\n        LGET 0\n        PRINT\n        HALT\n",
    "Set total to 0\nSet i to 0\nWhile i < 10000000\n  Set total to total + i\n  Increase i\nEnd\nWrite total\n",
  );
}

if (want("start")) {
  const hello = await file("hello.ts", 'console.log("hello");\n');
  const examples = join(HERE, "../examples/hello");
  const cart = join(work, "hello.pxa");
  await timeOnce([...PXOS, "pack", examples, "--compile", "-o", cart, "-q"]);
  await table("start-up: print hello", [
    { name: "deno run hello.ts", argv: [DENO, "run", hello] },
    { name: "pxos run hello.pxasm", argv: [...PXOS, "run", join(examples, "main.pxasm")] },
    { name: "pxos boot hello.pxa", argv: [...PXOS, "boot", cart] },
    { name: "python3 -c pass", argv: have.python3 ? ["python3", "-c", "pass"] : null },
    { name: "lua5.4 -e ''", argv: have.lua ? ["lua5.4", "-e", ""] : null },
  ]);
}

if (want("archive")) {
  const tree = join(work, "tree");
  const files = await writeMixedTree(tree, 16 * 1024 * 1024);
  const out = join(work, "out");
  const empty = async () => {
    await Deno.remove(out, { recursive: true }).catch(() => {});
    await Deno.mkdir(out);
  };
  const gone = () => Deno.remove(out, { recursive: true }).catch(() => {});
  const [tgz, zip, pxa] = ["t.tgz", "t.zip", "t.pxa"].map((n) => join(work, n));
  await table(
    `pack 16 MiB, ${files} mixed files (tar: gzip CRC-32; zip: CRC-32 per file; pxos: SHA-256 per file, PNG)`,
    [
      { name: "tar czf", argv: have.tar ? ["tar", "czf", tgz, "-C", tree, "."] : null },
      {
        name: "zip -qr",
        argv: have.zip ? ["sh", "-c", `cd ${tree} && rm -f ${zip} && zip -qr ${zip} .`] : null,
      },
      { name: "pxos pack", argv: [...PXOS, "pack", tree, "-o", pxa, "-q"] },
    ],
  );
  await table(
    `unpack the same (checks: tar the gzip CRC-32; unzip each CRC-32; pxos every SHA-256, links refused)`,
    [
      { name: "tar xzf", argv: have.tar ? ["tar", "xzf", tgz, "-C", out] : null, setup: empty },
      { name: "unzip -q", argv: have.zip ? ["unzip", "-q", zip, "-d", out] : null, setup: empty },
      { name: "pxos unpack", argv: [...PXOS, "unpack", pxa, "-o", out, "-q"], setup: gone },
    ],
  );
}

console.log(`\nCPU: ${cpuModel()}; runs per cell: ${RUNS}; Deno ${Deno.version.deno}`);
await Deno.remove(work, { recursive: true });

/** The CPU's model name (`/proc/cpuinfo` reads as empty through `Deno.readTextFile`, so grep). */
function cpuModel(): string {
  try {
    const out = new Deno.Command("grep", { args: ["-m1", "model name", "/proc/cpuinfo"] })
      .outputSync();
    return new TextDecoder().decode(out.stdout).split(":")[1]?.trim() || "unknown";
  } catch {
    return "unknown";
  }
}
