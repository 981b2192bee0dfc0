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

// The fuzz of mutated .pyc files is fuzz_test.ts (thousands of inputs, the shared harness).

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
