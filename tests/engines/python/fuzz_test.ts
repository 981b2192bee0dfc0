/**
 * Fuzz of `.pyc` loading: thousands of seeded mutations (bit flips, overwrites, truncations,
 * splices, insertions, deletions) of compiled programs, all in the one shared interpreter (no
 * restart between inputs). Each must load and run under small limits, or be refused with a
 * `PxosError`; a crashed interpreter is itself a `PxosError` (`E_TRAP`) and is replaced.
 */
import { pythonEngine } from "../../../src/engines/python/engine.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assert, assertEquals } from "../../assert.ts";
import { fuzz, fuzzSeed, mutateBytes } from "../../fuzz.ts";
import { pyc, runPython } from "./helpers.ts";

const SEED = fuzzSeed(20261206);
/** Fewer than the byte decoders' 10,000: each accepted input also runs in CPython. */
const ITERATIONS = Number(Deno.env.get("PXOS_FUZZ_ITERATIONS") ?? 3000);

const PROGRAMS = [
  [
    "def fib(n):",
    "    return n if n < 2 else fib(n - 1) + fib(n - 2)",
    "values = [fib(i) for i in range(12)]",
    "print(sum(values), {'k': values[-1]}, 'done')",
  ],
  [
    "class Box:",
    "    def __init__(self, v): self.v = v",
    "    def __repr__(self): return f'Box({self.v!r})'",
    "try:",
    "    items = sorted((Box(i * 3 % 7) for i in range(9)), key=lambda b: b.v)",
    "except TypeError as e:",
    "    items = [str(e)]",
    "finally:",
    "    total = sum(len(repr(x)) for x in items)",
    "with open('/cart/main.pyc', 'rb') as f: head = f.read(4)",
    "print(items[:3], total, head.hex(), {1, 2} | {3}, b'x' * 3)",
  ],
].map((lines) => lines.join("\n"));

const LIMITS = { ...DEFAULT_LIMITS, timeoutMs: 300, memoryBytes: 16 << 20 };

Deno.test(`fuzz: ${ITERATIONS} mutated .pyc load and run, or fail as a PxosError (seed ${SEED})`, async () => {
  const bases = await Promise.all(PROGRAMS.map((source) => pyc(source, "main.py")));
  // Pyodide reports a trapped interpreter on console.error; the tally checks the outcome instead.
  const consoleError = console.error;
  console.error = () => {};
  let ran = 0;
  try {
    const tally = await fuzz({
      name: "python pyc",
      seed: SEED,
      count: ITERATIONS,
      input: async (rand) => {
        // An input that crashed the interpreter has it replaced here, outside the timed attempt.
        await pythonEngine.prepare();
        const base = bases[rand(bases.length)];
        // Mostly the marshalled body under an intact header (the header has its own checks).
        if (rand(5) === 0) return mutateBytes(base, rand);
        const body = mutateBytes(base.subarray(16), rand);
        const out = new Uint8Array(16 + body.length);
        out.set(base.subarray(0, 16));
        out.set(body, 16);
        return out;
      },
      attempt: async (bytes) => {
        const files = new Map([["main.pyc", bytes]]);
        const program = await pythonEngine.load(bytes, { path: "main.pyc", files });
        const host = createHost({ stdout: () => {}, cartFiles: files });
        ran++;
        await pythonEngine.run(program, host, LIMITS);
      },
      note: () => `${ran} ran`,
    });
    assert(tally.refused > ITERATIONS / 4, "many mutations are refused");
    assert((tally.codes.get("E_VERIFY") ?? 0) > 0, "some at verification");
    assert(ran > 0, "some mutations load and run");
  } finally {
    console.error = consoleError;
  }
  // The interpreter is usable afterwards (a crashed one is replaced).
  const after = await runPython({ "main.py": "print('still here')\n" });
  assertEquals(after.out, "still here\n");
});
