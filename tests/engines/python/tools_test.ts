import { pythonEngine } from "../../../src/engines/python/engine.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { filesOf, pyc } from "./helpers.ts";

const SOURCE =
  "def double(x):\n    return x * 2\n\ntotal = sum(double(i) for i in range(5))\nprint(total)\n";

Deno.test("pxos disasm x.pyc: CPython's dis listing of checked bytecode, nested code included", async () => {
  const bytes = await pyc(SOURCE, "main.py");
  const text = await pythonEngine.disassemble(bytes, { path: "main.pyc" });
  assertMatch(
    text,
    /^# main\.pyc: CPython 3\.14 bytecode, magic 3627, flags 0\n# source: \/cart\/main\.py\n/,
  );
  assertMatch(text, /STORE_NAME\s+\d+ \(double\)/);
  assertMatch(
    text,
    /Disassembly of <code object double at 0x[0-9a-f]+, file "\/cart\/main\.py", line 1>/,
  );
  assertMatch(text, /BINARY_OP\s+5 \(\*\)/);
  const other = bytes.slice();
  other.set([3571 & 0xff, 3571 >> 8]);
  await assertPxosError(
    () => pythonEngine.disassemble(other, { path: "old.pyc" }),
    "E_VERIFY",
    /3\.13/,
  );
  await assertPxosError(
    () => pythonEngine.disassemble(bytes.subarray(0, 40), { path: "cut.pyc" }),
    "E_VERIFY",
    /corrupt marshalled code/,
  );
});

Deno.test("--trace gives one line per cartridge line run; --profile calls and time per function", async () => {
  const files = filesOf({ "main.py": SOURCE });
  const program = await pythonEngine.load(files.get("main.py")!, { path: "main.py", files });
  const lines: string[] = [];
  let out = "";
  const result = await pythonEngine.run(
    program,
    createHost({ stdout: (t) => (out += t), cartFiles: files }),
    DEFAULT_LIMITS,
    { trace: (line) => lines.push(line), profile: true },
  );
  assertEquals(out, "20\n");
  const traced = lines.length;
  assertEquals(lines.filter((l) => l === "main.py:2 double").length, 5);
  assert(
    lines.includes("main.py:4 <module>") && lines.includes("main.py:5 <module>"),
    lines.join(),
  );
  const rows = result.profile?.[0].rows ?? [];
  assertEquals(result.profile?.[0].title, "functions");
  const double = rows.find((r) => r.name === "double (main.py:1)");
  assertEquals(double?.count, 5);
  assert(rows.every((r) => typeof r.timeMs === "number" && r.timeMs >= 0), "timed");
  assert(rows.some((r) => r.name.startsWith("<module> (main.py:1)")), JSON.stringify(rows));
  // Profile alone, then neither: the next runs are not traced (nor profiled).
  const profiled = await pythonEngine.run(
    await pythonEngine.load(files.get("main.py")!, { path: "main.py", files }),
    createHost({ stdout: () => {}, cartFiles: files }),
    DEFAULT_LIMITS,
    { profile: true },
  );
  assertEquals(profiled.profile?.[0].rows.find((r) => r.name === "double (main.py:1)")?.count, 5);
  assertEquals(lines.length, traced, "no trace lines without --trace");
  const again = await pythonEngine.run(
    await pythonEngine.load(files.get("main.py")!, { path: "main.py", files }),
    createHost({ stdout: () => {}, cartFiles: files }),
    DEFAULT_LIMITS,
  );
  assertEquals(again.profile, undefined);
});
