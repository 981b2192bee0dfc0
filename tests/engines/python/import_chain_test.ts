import { PxosError } from "../../../src/errors.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { pyc, runPython } from "./helpers.ts";

function expectOk(run: { out: string; err: string; error?: unknown }): void {
  assert(run.error === undefined, `unexpected error: ${run.error}\nstderr: ${run.err}`);
}

Deno.test("import order: a .pyc beats the .py of the same name, the cartridge beats the stdlib", async () => {
  const run = await runPython({
    "main.py":
      "import twin, colorsys, fractions\nprint(twin.WHO, colorsys.WHO, fractions.Fraction(2, 4))\n",
    "twin.py": "WHO = 'source'\n",
    "twin.pyc": await pyc("WHO = 'bytecode'\n", "twin.py"),
    "colorsys.py": "WHO = 'cartridge colorsys'\n",
  });
  expectOk(run);
  assertEquals(run.out, "bytecode cartridge colorsys 1/2\n");
});

Deno.test("packages, relative imports, importlib.resources and __file__/__spec__ name the cartridge", async () => {
  const run = await runPython({
    "main.py": [
      "import importlib.resources, app",
      "from app.sub import helper",
      "print(helper.VALUE, app.__file__, helper.__spec__.origin, helper.__name__)",
      "print(importlib.resources.files('app').joinpath('data/notes.txt').read_text().strip())",
      "print(sorted(p.name for p in importlib.resources.files('app').iterdir()))",
    ].join("\n"),
    "app/__init__.py": "",
    "app/sub/__init__.pyc": await pyc("from . import helper\n", "app/sub/__init__.py"),
    "app/sub/helper.py": "from ..base import BASE\nVALUE = BASE + 1\n",
    "app/base.py": "BASE = 41\n",
    "app/data/notes.txt": "notes from pixels\n",
  });
  expectOk(run);
  assertEquals(
    run.out,
    "42 /cart/app/__init__.py /cart/app/sub/helper.py app.sub.helper\nnotes from pixels\n" +
      "['__init__.py', 'base.py', 'data', 'sub']\n",
  );
});

Deno.test("a package __main__ entry runs as python -m would", async () => {
  const run = await runPython({
    "tool/__init__.py": "NAME = 'tool'\n",
    "tool/__main__.py": "from . import NAME\nprint(__name__, __spec__.name, NAME)\n",
  }, { entry: "tool/__main__.py" });
  expectOk(run);
  assertEquals(run.out, "__main__ tool.__main__ tool\n");
});

Deno.test("a missing module is an ImportError naming the module and every place looked", async () => {
  const run = await runPython({ "main.py": "import nowhere_to_be_found\n" });
  assert(run.error instanceof PxosError);
  assertEquals(run.error.code, "E_TRAP");
  assertEquals(run.error.file, "main.py");
  assertEquals(run.error.line, 1);
  assertMatch(run.err, /No module named 'nowhere_to_be_found': looked in the cartridge \(/);
  assertMatch(run.err, /\/cart\/nowhere_to_be_found\.pyc, \/cart\/nowhere_to_be_found\.py/);
  assertMatch(run.err, /and in the bundled standard library/);
});

Deno.test("vendored packages: a folder under vendor/ and a pure-Python wheel import", async () => {
  const { zipSync } = await import("./zip.ts");
  const wheel = zipSync({ "wheely/__init__.py": "SPIN = 'round'\n" });
  const run = await runPython({
    "main.py": "import vendored, wheely\nprint(vendored.X, wheely.SPIN)\n",
    "vendor/vendored/__init__.py": "X = 'from vendor'\n",
    "vendor/wheely-1.0-py3-none-any.whl": wheel,
  });
  expectOk(run);
  assertEquals(run.out, "from vendor round\n");
});
