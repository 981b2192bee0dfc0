/**
 * Calls in compiled Poh code, self-calls especially (a compiled function calling its own closure
 * by its own name, `jit_ops.ts`): the AST interpreter, the VM interpreted, the VM with hot code
 * compiled and with every loop compiled at once give the same output and error (message, line,
 * Poh stack trace); the VM's tiers the same fuel used too (the AST counts its own unit) — at
 * every fuel limit around the end as well.
 */
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/host/limits.ts";
import { pohEngine, type PohProgram } from "../../../src/engines/poh/mod.ts";
import { OTHER_CALL } from "../../../src/engines/poh/jit_runtime.ts";
import type { LoadedPohModule } from "../../../src/engines/poh/vm_support.ts";
import { type Outcome, poh, runOn } from "./helpers.ts";

/** Runs on every VM tier (all must agree, fuel included) and, without fuel, on the AST. */
async function everyTier(src: string, limits: Partial<Limits> = {}): Promise<Outcome> {
  const reference = await runOn("vm-interpreted", src, [], limits);
  for (const tier of ["vm", "vm-eager"] as const) {
    assertEquals(await runOn(tier, src, [], limits), reference, `${tier} differs`);
  }
  if (limits.fuel === undefined) {
    const ast = await runOn("ast", src, [], limits);
    assertEquals({ ...ast, fuelUsed: 0 }, { ...reference, fuelUsed: 0 }, "the AST differs");
  }
  return reference;
}

const FIB = poh`
  Make fib with n
    If n < 2 Return n
    Return fib(n - 1) + fib(n - 2)
  End
`;

Deno.test("poh jit calls: recursion stops at the same instruction at every fuel limit near its end", async () => {
  const src = FIB + "\nWrite fib(18)";
  const full = await everyTier(src);
  assertEquals(full.out, "2584\n");
  assert(full.fuelUsed! > 10000, `fuel used ${full.fuelUsed}: make the recursion longer`);
  for (let fuel = full.fuelUsed! - 12; fuel <= full.fuelUsed! + 1; fuel++) {
    const r = await everyTier(src, { fuel });
    if (fuel >= full.fuelUsed!) assertEquals(r, full, `fuel ${fuel}`);
    else assertEquals(r.error?.code, "E_FUEL", `fuel ${fuel}`);
  }
  // Limits that end deep inside the recursion, in the middle of compiled chunks.
  for (const fuel of [4097, 4099, 8191, 12345]) {
    assertEquals((await everyTier(src, { fuel })).error?.code, "E_FUEL", `fuel ${fuel}`);
  }
});

Deno.test("poh jit calls: a self-call follows the name to whatever it is bound to at the call", async () => {
  // A function cannot rebind a global (its `Set` makes a local): top-level code rebinds the
  // name between calls, and a compiled self-call site then meets another function.
  const r = await everyTier(poh`
    Make count with n
      If n is 0 Return 0
      Return count(n - 1) + 1
    End
    Make flat with n
      Return 1000
    End
    Write count(300)
    Set original to count
    Set count to flat
    Write original(40)
    Write count(7)
    Set count to original
    Write original(40)
    Make count with n
      Return "redefined " plus n
    End
    Write count(7)
    Write original(1)
  `);
  assertEquals(r.out, "300\n1001\n1000\n40\nredefined 7\nredefined 01\n");
  assertEquals(r.error, undefined);
});

/** `walk` calls through its parameter `f`: itself, or `stop`. */
const WALK = poh`
    Make walk with f, n
      If n is 0 Return 0
      Return f(f, n - 1) + 1
    End
    Make stop with f, n
      Return 100
    End
`;

Deno.test("poh jit calls: a call through a parameter meets itself, then other functions", async () => {
  const r = await everyTier(
    WALK + poh`

    Write walk(walk, 200)
    Set total to 0
    Repeat 50 times
      Set total to total + walk(walk, 20) + walk(stop, 20)
    End
    Write total
  `,
  );
  assertEquals(r.out, "200\n6050\n");
});

Deno.test("poh jit calls: mutual recursion, and recursion with texts, lists and floats", async () => {
  const r = await everyTier(poh`
    Make isEven with n
      If n is 0 Return true
      Return isOdd(n - 1)
    End
    Make isOdd with n
      If n is 0 Return false
      Return isEven(n - 1)
    End
    Write isEven(300)
    Write isOdd(301)
    Write fib(20)
    Write fib(7.5)
    Make rep with s, n
      If n is 0 Return s
      Return rep(s plus "x", n - 1)
    End
    Write count of rep("", 300)
    Write rep(1, 3)
    Make total with xs, i
      If i is count of xs Return 0
      Return xs[i] + total(xs, i + 1)
    End
    Write total([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0)
  `.replace("Write fib(20)", FIB + "\nWrite fib(20)"));
  assertEquals(r.out, "True\nTrue\n6765\n23.5\n300\n1xxx\n55\n");
});

Deno.test("poh jit calls: a non-number argument deep in compiled recursion is the same error", async () => {
  const r = await everyTier(FIB + '\nWrite fib(25)\nWrite fib("x")');
  assertEquals(r.out, "75025\n");
  assertEquals(r.error?.code, "E_TRAP");
  assertMatch(r.error!.message, /^t\.poh:2: TypeError[^]*at fib \(t\.poh:2\)\n {2}at main/);
});

Deno.test("poh jit calls: self-recursion too deep is the same RecursionError on every tier", async () => {
  const r = await everyTier(poh`
    Make down with n
      If n is 5000 Return 0
      Return down(n + 1) + 1
    End
    Write down(4500)
    Write down(0)
  `);
  assertEquals(r.out, "500\n");
  assertEquals(r.error?.code, "E_TRAP");
  assertMatch(r.error!.message, /^t\.poh:3: RecursionError[^]*996 more frames of down/);
});

Deno.test("poh jit calls: a self-only call that meets another function is compiled general once", async () => {
  const src = WALK + poh`

    Set total to 0
    Repeat 200 times
      Set total to total + walk(walk, 20) + walk(stop, 20)
    End
    Write total
  `;
  const program = pohEngine.load(new TextEncoder().encode(src), { path: "t.poh" }) as PohProgram;
  const loaded = (program as unknown as { loaded: LoadedPohModule }).loaded;
  let out = "";
  await pohEngine.run(program, createHost({ stdout: (t) => (out += t) }), DEFAULT_LIMITS);
  assertEquals(out, "24200\n");
  const walk = loaded.functions.find((f) => f.proto.name === "walk")!;
  assertEquals(typeof walk.jit, "function", "walk stays compiled");
  assert(walk.generic.some((bits) => (bits & OTHER_CALL) !== 0), "its call is general");
  assert(walk.recompiles <= 2, `recompiled ${walk.recompiles} times`);
});

Deno.test("poh jit calls: an exit deep in self-recursion hands every frame over in place", async () => {
  // The first `plus` of a text leaves compiled code 60 calls deep; each frame then finishes in
  // the interpreter with its own `n` and `k`, so a misplaced frame changes the text.
  const r = await everyTier(poh`
    Make f with n, k
      If n is 0 Return "x"
      Return f(n - 1, k * 2 % 7) plus n plus k
    End
    Write f(60, 1)
    Write f(60, 3)
    Make g with n
      If n is 0 Return 0.5
      Return g(n - 1) * 2 + n
    End
    Write g(40)
  `);
  const f = (n: number, k: number): string => n === 0 ? "x" : f(n - 1, (k * 2) % 7) + n + k;
  const g = (n: number): number => n === 0 ? 0.5 : g(n - 1) * 2 + n;
  assertEquals(r.out, `${f(60, 1)}\n${f(60, 3)}\n${g(40)}\n`);
});

/** The compiled entry of the function `name` in `src` after one run (or undefined). */
async function compiledSource(src: string, name: string): Promise<string> {
  const program = pohEngine.load(new TextEncoder().encode(src), { path: "t.poh" }) as PohProgram;
  const loaded = (program as unknown as { loaded: LoadedPohModule }).loaded;
  await pohEngine.run(program, createHost({ stdout: () => {} }), DEFAULT_LIMITS);
  return String(loaded.functions.find((f) => f.proto.name === name)!.jit);
}

Deno.test("poh jit calls: a function that only computes runs a pure form first", async () => {
  assertMatch(await compiledSource(FIB + "\nWrite fib(12)", "fib"), /poh_\d+_pure\(/);
  // Reading a list is pure; writing into one is not, nor is a built-in.
  const reads = poh`
    Make pick with xs, n
      If n is 0 Return xs[0]
      Return pick(xs, n - 1) + xs[n]
    End
    Write pick([1, 2, 3, 4], 3)
  `;
  assertMatch(await compiledSource(reads, "pick"), /poh_\d+_pure\(/);
  const writes = poh`
    Make fill with xs, n
      If n < 0 Return xs
      Set xs[n] to n
      Return fill(xs, n - 1)
    End
    Write fill([0, 0, 0], 2)
  `;
  const source = await compiledSource(writes, "fill");
  assertMatch(source, /poh_\d+_entry/);
  assert(!/_pure\(/.test(source), "a function writing into a list has no pure form");
});

Deno.test("poh jit calls: a pure form that gives up leaves nothing behind", async () => {
  // Each case gives up deep in the recursion (a text to add, a division by zero, too deep);
  // the exact form then runs the call from its start: output, error, line and fuel agree.
  const r = await everyTier(poh`
    Make sum with x, n
      If n is 0 Return x
      Return sum(x, n - 1) + sum(x, n - 1)
    End
    Write sum(1, 10)
    Write sum(2.5, 12)
    Write sum("ab", 3)
    Make down with n
      If n is 0 Return 0
      Return down(n - 1) + 1
    End
    Write down(900)
    Make split with n
      If n < 5 Return 100 / (n - 2)
      Return split(n - 1) + split(n - 3)
    End
    Write split(9)
  `);
  assertEquals(r.out, "1024\n10240\nabababababababab\n900\n");
  assertEquals(r.error?.code, "E_TRAP");
  assertMatch(r.error!.message, /^t\.poh:14: MathError/);
  const deep = await everyTier(poh`
    Make down with n
      If n is 0 Return 0
      Return down(n - 1) + 1
    End
    Write down(100)
    Write down(5000)
  `);
  assertEquals(deep.out, "100\n");
  assertMatch(deep.error!.message, /^t\.poh:3: RecursionError/);
});

Deno.test("poh jit calls: a pure form's fuel is exact at every limit around a chunk's end", async () => {
  // Many outermost calls: one of them crosses each limit, inside its pure run or at its end.
  const src = FIB + poh`

    Set total to 0
    Repeat 40 times
      Set total to total + fib(9)
    End
    Write total
  `;
  const full = await everyTier(src);
  assertEquals(full.out, "1360\n");
  const ends = [4096, 8192, full.fuelUsed! - 3];
  for (const end of ends) {
    for (let fuel = end - 9; fuel <= end + 9; fuel++) {
      const r = await everyTier(src, { fuel });
      if (fuel >= full.fuelUsed!) assertEquals(r, full, `fuel ${fuel}`);
      else assertEquals(r.error?.code, "E_FUEL", `fuel ${fuel}`);
    }
  }
});

Deno.test("poh jit calls: a pure form stops at the deadline", async () => {
  // (Where: compiled code names its outermost interpreted caller, the interpreter the function.)
  for (const tier of ["vm", "vm-eager", "vm-interpreted"] as const) {
    const r = await runOn(tier, FIB + "\nWrite fib(60)", [], { timeoutMs: 50 });
    assertEquals(r.error?.code, "E_TIMEOUT", tier);
  }
});
