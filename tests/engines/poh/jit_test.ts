/**
 * The VM's compiling tier: it is used, and every way out of compiled code (calls it cannot make,
 * guest errors, the end of fuel, deadlines, recursion limits) gives exactly what the interpreter
 * alone gives — output, error message with its Poh stack trace, and fuel.
 */
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/host/limits.ts";
import { pohEngine, type PohProgram } from "../../../src/engines/poh/mod.ts";
import type { LoadedPohModule } from "../../../src/engines/poh/vm_support.ts";
import { type Outcome, poh, runOn } from "./helpers.ts";

/**
 * Runs on the VM with and without compiled functions, and with every loop compiled at its first
 * turn; all must agree, fuel included.
 */
async function bothTiers(src: string, limits: Partial<Limits> = {}): Promise<Outcome> {
  const compiled = await runOn("vm", src, [], limits);
  const interpreted = await runOn("vm-interpreted", src, [], limits);
  assertEquals(compiled, interpreted, "compiled and interpreted runs differ");
  const eager = await runOn("vm-eager", src, [], limits);
  assertEquals(eager, interpreted, "runs with every loop compiled differ");
  return compiled;
}

function loadedOf(src: string): { program: PohProgram; loaded: LoadedPohModule } {
  const program = pohEngine.load(new TextEncoder().encode(src), { path: "t.poh" }) as PohProgram;
  return { program, loaded: (program as unknown as { loaded: LoadedPohModule }).loaded };
}

const FIB = "Make fib with n\n  If n < 2 Return n\n  Return fib(n - 1) + fib(n - 2)\nEnd\n";

Deno.test("poh jit: hot pure functions are compiled; functions that write are not", async () => {
  const { program, loaded } = loadedOf(FIB + "Make show with x\n  Write x\nEnd\nshow(fib(15))");
  let out = "";
  await pohEngine.run(program, createHost({ stdout: (t) => (out += t) }), DEFAULT_LIMITS);
  assertEquals(out, "610\n");
  const byName = new Map(loaded.functions.map((f) => [f.proto.name, f]));
  assertEquals(typeof byName.get("fib")!.jit, "function");
  assertEquals(byName.get("show")!.jit, null);
  assertEquals(byName.get("fib")!.deopts, 0);
});

Deno.test("poh jit: generated code holds no program text (constants are read, not embedded)", async () => {
  const evil = '"); globalThis.pwned = 1; ("';
  const src = `Make f with x\n  Return x plus '${evil}' plus "\\\`\${1}"\nEnd\nWrite f(1)`;
  const { program, loaded } = loadedOf(src);
  // Each `plus` is compiled for numbers first and leaves at the text, then compiled generic:
  // the third run runs f compiled from end to end.
  for (let run = 0; run < 3; run++) {
    let out = "";
    await pohEngine.run(program, createHost({ stdout: (t) => (out += t) }), DEFAULT_LIMITS);
    assertEquals(out, `1${evil}\`\${1}\n`);
  }
  const jf = loaded.functions[1].jit;
  assert(typeof jf === "function", "f is compiled");
  assert(!String(jf).includes("pwned"), "program text in generated code");
  assertEquals((globalThis as Record<string, unknown>).pwned, undefined);
});

Deno.test("poh jit: a call to an interpreted function deep in compiled recursion", async () => {
  const r = await bothTiers(poh`
    Make log with x
      Write "leaf " plus x
      Return x
    End
    Make walk with n
      If n is 0 Return log(n)
      Set r to walk(n - 1) + 1
      If n % 10 is 0 Return log(r)
      Return r
    End
    Write walk(35)
    Write walk(3)
  `);
  assertEquals(r.out, "leaf 0\nleaf 10\nleaf 20\nleaf 30\n35\nleaf 0\n3\n");
});

Deno.test("poh jit: guest errors in compiled frames reach try handlers with the same trace", async () => {
  const r = await bothTiers(poh`
    Make boom with n
      If n is 0 Return [1] - 1
      Return boom(n - 1) + 1
    End
    Make guard with n
      try this:
        Return boom(n)
      if error as e
        Write "caught " plus error message of e
        Return -1
      finally:
        Write "finally"
      end try
    End
    Write guard(20)
    Write boom(0) + 1
  `);
  assertEquals(r.out, "caught cannot subtract a list and a number\nfinally\n-1\n");
  assertEquals(r.error?.code, "E_TRAP");
  assertMatch(
    r.error!.message,
    /^t\.poh:2: TypeError: cannot subtract a list and a number\n.*\n {2}at boom \(t\.poh:2\)\n {2}at main \(t\.poh:16\)$/,
  );
  const deep = await bothTiers(
    FIB + "Make f with n\n  If n is 0 Return nothing + 1\n" +
      "  Return f(n - 1)\nEnd\nWrite fib(10)\nWrite f(4)",
  );
  assertEquals(deep.out, "55\n");
  assertEquals(deep.error?.message.split("\n").filter((l) => l.includes("at f (t.poh:")).length, 5);
});

Deno.test("poh jit: runaway recursion is a RecursionError, at the same depth", async () => {
  const r = await bothTiers(poh`
    Make down with n
      Return down(n + 1) + 1
    End
    try this:
      Write down(0)
    if error of type "RecursionError" as e
      Write "too deep: " plus error message of e
    end try
    Make count with n
      If n is 0 Return 0
      Return 1 + count(n - 1)
    End
    Write count(998)
    Write count(999)
  `);
  assertMatch(r.out, /^too deep: calls nested deeper than 1000[^\n]*\n998\n$/);
  assertEquals(r.error?.code, "E_TRAP");
  assertMatch(r.error!.message, /RecursionError/);
});

Deno.test("poh jit: fuel is exact — a limit of exactly the fuel used passes, one less stops", async () => {
  const programs = [
    FIB + "Write fib(16)",
    "Make spin with n\n  Set t to 0\n  While n > 0\n    Increase t by n\n    Decrease n\n  End\n" +
    "  Return t\nEnd\nWrite spin(3000)",
    "Make sum with xs\n  Set t to 0\n  For each x in xs\n    Set t to t + x\n  End\n  Return t\n" +
    "End\nMake add with a, b Return a + b\nWrite sum(range(2000))\nWrite reduce(range(500), add, 0)",
  ];
  for (const src of programs) {
    const full = await bothTiers(src);
    assert(full.fuelUsed! > 4097, `fuel used ${full.fuelUsed}: make the program longer`);
    const exact = await bothTiers(src, { fuel: full.fuelUsed });
    assertEquals([exact.out, exact.error], [full.out, undefined]);
    for (const fuel of [full.fuelUsed! - 1, Math.floor(full.fuelUsed! / 3), 4097, 8193]) {
      if (fuel >= full.fuelUsed!) continue;
      const short = await bothTiers(src, { fuel });
      assertEquals(short.error?.code, "E_FUEL", `fuel ${fuel}`);
    }
  }
});

Deno.test("poh jit: an endless loop or recursion in compiled code ends with E_TIMEOUT", async () => {
  for (
    const src of [
      "Make spin\n  Set i to 0\n  While True\n    Increase i\n  End\nEnd\nspin()",
      "Make ping with n\n  Return pong(n) + pong(n)\nEnd\nMake pong with n\n  If n > 20 Return 1\n" +
      "  Return ping(n + 1)\nEnd\nMake forever\n  While True\n    Set x to ping(0)\n  End\nEnd\n" +
      "forever()",
    ]
  ) {
    const r = await runOn("vm", src, [], { timeoutMs: 60, fuel: 1e15 });
    assertEquals(r.error?.code, "E_TIMEOUT");
  }
});

Deno.test("poh jit: closures, cells, globals, lists and dictionaries in compiled functions", async () => {
  const r = await bothTiers(poh`
    Make counter
      Set n to 0
      Make next
        Increase n
        Return n
      End
      Return next
    End
    Set c to counter()
    Make twice with f Return f() + f()
    Write twice(c)
    Write c()
    Set total to 0
    Make tally with xs
      Set d to {}
      For each x in xs
        Increase total by x
        If contains x in d Set d[x] to d[x] + 1 Otherwise Set d[x] to 1
      End
      Return d
    End
    Write tally([1, 2, 1, 3, 1])
    Write total
    Make pick with xs, i set to 0 Return xs[i]
    Write pick(["a", "b"]) plus pick(["a", "b"], 1) plus pick(["a", "b"], -1)
    Make notfn with x Return x(1)
    Write notfn(3)
  `);
  assertEquals(r.out, "3\n3\n{1: 3, 2: 1, 3: 1}\n8\nabb\n");
  assertMatch(
    r.error!.message,
    /^t\.poh:26: TypeError: cannot call a number: it is not a function/,
  );
});

Deno.test("poh jit: a global reassigned to a function that writes, between calls", async () => {
  const r = await bothTiers(poh`
    Make quiet with x Return x * 2
    Make loud with x
      Write "loud " plus x
      Return x
    End
    Set step to quiet
    Make run with n
      Set t to 0
      Repeat n times
        Set t to t + step(t + 1)
      End
      Return t
    End
    Write run(3)
    Set step to loud
    Write run(3)
  `);
  assertEquals(r.out, "26\nloud 1\nloud 2\nloud 4\n7\n");
});

Deno.test("poh jit: corrupted bytecode that still verifies runs the same on both tiers", async () => {
  const { compilePoh } = await import("../../../src/engines/poh/mod.ts");
  const { PxosError } = await import("../../../src/errors.ts");
  const src = FIB + poh`
    Make walk with xs, k
      Set t to 0
      For each x in xs
        If x > k Set t to t + x Otherwise Set t to t - 1
      End
      Return [t, {"k": k}, t % 7]
    End
    Make twice with f, x Return f(f(x))
    Make inc with x Return x + 1
    Write fib(9)
    Write walk(range(20), 5)
    Write twice(inc, 3)
  `;
  const bytes = compilePoh(new TextEncoder().encode(src), { path: "t.poh" });
  let seed = 99;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let ran = 0;
  const limits = { ...DEFAULT_LIMITS, fuel: 20_000, timeoutMs: 2000, memoryBytes: 1 << 20 };
  for (let i = 0; i < 1000; i++) {
    const copy = bytes.slice();
    copy[8 + Math.floor(rand() * (copy.length - 8))] = Math.floor(rand() * 256);
    let program: PohProgram;
    try {
      program = pohEngine.load(copy, { path: "t.pbc" }) as PohProgram;
    } catch (e) {
      assert(e instanceof PxosError, `flip ${i}: ${e}`);
      continue;
    }
    ran++;
    const outcomes: string[] = [];
    for (const jit of ["on", "off"]) {
      let out = "";
      try {
        const r = await pohEngine.run(program, createHost({ stdout: (t) => (out += t) }), limits, {
          flags: { jit },
        });
        outcomes.push(`${out}|fuel ${r.fuelUsed}`);
      } catch (e) {
        assert(e instanceof PxosError, `flip ${i}, jit ${jit}: non-PxosError ${e}`);
        outcomes.push(`${out}|${e.code} ${e.message}`);
      }
    }
    assertEquals(outcomes[0], outcomes[1], `flip ${i}`);
  }
  assert(ran > 100, `only ${ran} corrupted files verified`);
});

Deno.test("poh jit: exits inside map and through function values resume the walk", async () => {
  const r = await bothTiers(poh`
    Make shout with x
      Write "item " plus x
      Return x * 10
    End
    Make double with x Return x * 2
    Make apply with xs, f
      Set out to map(xs, f)
      Return total of out + count of filter(out, double)
    End
    Write apply([1, 2, 3], double)
    Write apply([1, 2, 3], shout)
    Make twice with f, x Return f(f(x))
    Write twice(double, 5)
    Write twice(shout, 1)
  `);
  assertEquals(r.out, "15\nitem 1\nitem 2\nitem 3\n63\n20\nitem 1\nitem 10\n100\n");
});
