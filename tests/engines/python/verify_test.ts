import { checkPycHeader, pythonVersionOfMagic } from "../../../src/engines/python/pyc.ts";
import { pythonEngine } from "../../../src/engines/python/engine.ts";
import { PxosError } from "../../../src/errors.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { pyc, runPython } from "./helpers.ts";

const SOURCE = [
  "def fib(n):",
  "    return n if n < 2 else fib(n - 1) + fib(n - 2)",
  "values = [fib(i) for i in range(12)]",
  "print(sum(values), {'k': values[-1]}, 'done')",
].join("\n");

Deno.test("a .pyc from another CPython is refused at load with E_VERIFY, before any exec", async () => {
  const bytes = await pyc(SOURCE);
  const py313 = bytes.slice();
  py313.set([3571 & 0xff, 3571 >> 8]); // CPython 3.13's magic number
  const run = await runPython({ "main.pyc": py313 }, { entry: "main.pyc" });
  assert(run.error instanceof PxosError);
  assertEquals(run.error.code, "E_VERIFY");
  assertEquals(run.error.file, "main.pyc");
  assertMatch(
    run.error.message,
    /compiled by Python 3\.13 \(magic 3571\), this engine runs 3\.14 .*recompile with pxos compile/,
  );
  assertEquals(run.out, "");
  // A module that is only imported is checked at load as well.
  const imported = await runPython({ "main.py": "print('ran')\n", "lib.pyc": py313 });
  assert(imported.error instanceof PxosError && imported.error.code === "E_VERIFY");
  assertEquals(imported.out, "");
});

Deno.test("pyc header checks: magic ranges, truncation, flags", () => {
  assertEquals(pythonVersionOfMagic(3495), "3.11");
  assertEquals(pythonVersionOfMagic(3627), "3.14");
  assertEquals(pythonVersionOfMagic(17), undefined);
  const header = new Uint8Array(16);
  header.set([0x2b, 0x0e, 0x0d, 0x0a]);
  checkPycHeader(header, "ok.pyc");
  assertPxosError(() => checkPycHeader(header.subarray(0, 9), "t.pyc"), "E_VERIFY", /16-byte/);
  const flags = header.slice();
  flags[4] = 8;
  assertPxosError(() => checkPycHeader(flags, "f.pyc"), "E_VERIFY", /flags 0–3, found 8/);
  const notPyc = new TextEncoder().encode("print('not bytecode at all')\n");
  assertPxosError(() => checkPycHeader(notPyc, "n.pyc"), "E_VERIFY", /not a \.pyc file/);
});

Deno.test("a .py syntax error is a PxosError with file and line, found at load", async () => {
  const run = await runPython({
    "main.py": "import lib\n",
    "pkg/lib.py": "x = 1\ndef broken(:\n    pass\n",
  });
  assert(run.error instanceof PxosError);
  assertEquals(run.error.code, "E_ASSEMBLE");
  assertEquals(run.error.file, "pkg/lib.py");
  assertEquals(run.error.line, 2);
  assertMatch(run.error.message, /SyntaxError/);
});

Deno.test("truncated and corrupt .pyc bodies are E_VERIFY with the file", async () => {
  const bytes = await pyc(SOURCE);
  const truncated = bytes.subarray(0, bytes.length - 7);
  const run = await runPython({ "main.pyc": truncated }, { entry: "main.pyc" });
  assert(run.error instanceof PxosError && run.error.code === "E_VERIFY", String(run.error));
  assertEquals(run.error.file, "main.pyc");
  assertMatch(run.error.message, /corrupt marshalled code|verification/);
});

/** A small deterministic PRNG so the fuzz repeats exactly. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

Deno.test("fuzz: mutated .pyc files run, or fail as a PxosError; never anything else", async () => {
  const original = await pyc(SOURCE);
  const random = xorshift(0x5eed);
  const codes = new Map<string, number>();
  // Pyodide reports a trapped interpreter on console.error; the test checks the outcome instead.
  const consoleError = console.error;
  console.error = () => {};
  try {
    await fuzzRuns(original, random, codes);
  } finally {
    console.error = consoleError;
  }
  assert((codes.get("E_VERIFY") ?? 0) > 0, `some mutations are refused: ${[...codes]}`);
  // The interpreter is usable afterwards (a crashed one is replaced).
  const after = await runPython({ "main.py": "print('still here')\n" });
  assertEquals(after.out, "still here\n");
});

async function fuzzRuns(original: Uint8Array, random: () => number, codes: Map<string, number>) {
  for (let i = 0; i < 60; i++) {
    const bytes = original.slice();
    const flips = 1 + Math.floor(random() * 3);
    for (let f = 0; f < flips; f++) {
      // Mutate the marshalled body (the header has its own test).
      const at = 16 + Math.floor(random() * (bytes.length - 16));
      bytes[at] = Math.floor(random() * 256);
    }
    const run = await runPython({ "main.pyc": bytes }, {
      entry: "main.pyc",
      limits: { timeoutMs: 2000 },
    });
    const outcome = run.error === undefined
      ? "ran"
      : run.error instanceof PxosError
      ? run.error.code
      : `not a PxosError: ${run.error}`;
    assert(!outcome.startsWith("not"), `mutation ${i}: ${outcome}`);
    codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
  }
}

Deno.test("pxos compile: the engine's CPython writes 3.14 bytecode that runs", async () => {
  await pythonEngine.prepare();
  const compiled = pythonEngine.compile(new TextEncoder().encode(SOURCE), {
    path: "prog.py",
  });
  assertEquals(compiled.path, "prog.pyc");
  assertEquals(compiled.keepSource, true);
  checkPycHeader(compiled.bytes, "prog.pyc");
  const run = await runPython({ "prog.pyc": compiled.bytes }, { entry: "prog.pyc" });
  assertEquals(run.out, "232 {'k': 89} done\n");
  await assertPxosError(
    () => pythonEngine.compile(new TextEncoder().encode("def (\n"), { path: "bad.py" }),
    "E_ASSEMBLE",
    /SyntaxError/,
  );
});
