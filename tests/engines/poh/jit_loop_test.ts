/**
 * Compiled loops (`jit_loop.ts`): hot loops run compiled at top level and in functions, and
 * every way out of a compiled loop — its end, a `Write`, the end of fuel, the deadline, a value
 * of another type — gives what the interpreter alone gives, fuel included.
 */
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/host/limits.ts";
import { pohEngine, type PohProgram } from "../../../src/engines/poh/mod.ts";
import type { LoadedPohModule } from "../../../src/engines/poh/vm_support.ts";
import { type Outcome, poh, runOn } from "./helpers.ts";

/** Runs on the VM interpreted only, as it is, and with every loop compiled at once. */
async function allTiers(src: string, limits: Partial<Limits> = {}): Promise<Outcome> {
  const interpreted = await runOn("vm-interpreted", src, [], limits);
  assertEquals(await runOn("vm", src, [], limits), interpreted, "compiled when hot");
  assertEquals(await runOn("vm-eager", src, [], limits), interpreted, "compiled at once");
  return interpreted;
}

/** Loads `src` and runs it once on the VM; returns its loaded module and output. */
async function runLoaded(src: string): Promise<{ loaded: LoadedPohModule; out: string }> {
  const program = pohEngine.load(new TextEncoder().encode(src), { path: "t.poh" }) as PohProgram;
  let out = "";
  await pohEngine.run(program, createHost({ stdout: (t) => (out += t) }), DEFAULT_LIMITS);
  return { loaded: (program as unknown as { loaded: LoadedPohModule }).loaded, out };
}

const TOP_LEVEL_SUM = poh`
  Set total to 0
  Set i to 1
  While i <= 60000
    Set total to total + i
    Increase i
  End
  Write total
`;

Deno.test("poh jit loops: a hot top-level loop and a hot loop in a function run compiled", async () => {
  const { loaded, out } = await runLoaded(
    TOP_LEVEL_SUM + "\n" + poh`
    Make count with n
      Set c to 0
      Repeat n times
        Increase c by 2
      End
      Return c
    End
    Write count(5000)
  `,
  );
  assertEquals(out, "1800030000\n10000\n");
  const compiledLoops = (index: number) =>
    [...(loaded.functions[index].loops ?? new Map()).values()].filter((f) => f !== null).length;
  assertEquals(compiledLoops(0), 1, "the main part's While");
  // `count` is compiled whole (its call form) the first time it is called.
  assertEquals(typeof loaded.functions[1].jit, "function");
});

Deno.test("poh jit loops: fuel is exact across chunks — the exact limit passes, one less stops", async () => {
  // 60 000 turns of 12 units: more than one compiled chunk, so the loop refuels inside.
  const full = await allTiers(TOP_LEVEL_SUM);
  assertEquals(full.out, "1800030000\n");
  assert(full.fuelUsed! > 600_000, `fuel used ${full.fuelUsed}`);
  assertEquals((await allTiers(TOP_LEVEL_SUM, { fuel: full.fuelUsed })).out, full.out);
  for (const fuel of [full.fuelUsed! - 1, 524_289, 300_001, 5000]) {
    const short = await allTiers(TOP_LEVEL_SUM, { fuel });
    assertEquals(short.error?.code, "E_FUEL", `fuel ${fuel}`);
    // The last unit is the main part's return, after the Write.
    assertEquals(short.out, fuel === full.fuelUsed! - 1 ? full.out : "");
  }
});

Deno.test("poh jit loops: an endless top-level loop ends with E_TIMEOUT", async () => {
  const r = await runOn("vm", "Set i to 0\nWhile True\n  Increase i\nEnd", [], {
    timeoutMs: 200,
    fuel: 1e12,
  });
  assertEquals(r.error?.code, "E_TIMEOUT");
  assertMatch(r.error!.message, /t\.poh:\d/);
});

Deno.test("poh jit loops: a loop that hands back every turn is left to the interpreter", async () => {
  const src = poh`
    Set i to 0
    While i < 3000
      Increase i
      If i % 1000 is 0 Write i
      Write ""
    End
  `;
  const { loaded, out } = await runLoaded(src);
  assertEquals(
    out,
    "\n".repeat(999) + "1000\n\n" + "\n".repeat(999) + "2000\n\n" +
      "\n".repeat(999) + "3000\n\n",
  );
  assert([...loaded.loopHeat].some((h) => h < 0), "the loop head is marked cold");
  await allTiers(src);
});

Deno.test("poh jit loops: a loop compiled for numbers meets text, then numbers again", async () => {
  const src = poh`
    Make grow with start, n
      Set x to start
      Repeat n times
        Set x to x plus 1
      End
      Return x
    End
    Write grow(0, 2000)
    Write grow("a", 3)
    Write grow(0.5, 2000)
    Set y to 0
    Set k to 0
    While k < 3000
      If k is 1500
        Set y to "y"
      End
      Set y to y plus 1
      Increase k
    End
    Write y
  `;
  const r = await allTiers(src);
  assertEquals(r.out, "2000\na111\n2000.5\ny" + "1".repeat(1500) + "\n");
});

Deno.test("poh jit loops: a variable set when its loop was compiled has no value at the next entry", async () => {
  // The loop form compiled in the first call reads `x` without testing for "no value yet";
  // in the second call `x` has none, so it must not run: the interpreter raises the NameError.
  // (`f` writes, so it has no call form: its loop runs in its loop form.)
  const r = await allTiers(poh`
    Make f with flag
      Write flag
      If flag
        Set x to "a"
      End
      Set i to 0
      Set out to ""
      While i < 3000
        If i > 2997
          Set out to out plus x
        End
        Increase i
      End
      Return out
    End
    Write f(true)
    Write f(false)
  `);
  assertEquals(r.out, "True\naa\nFalse\n");
  assertMatch(r.error!.message, /^t\.poh:10: NameError/);
});

Deno.test("poh jit loops: a loop's way out gives back what its turn charged ahead, at every limit", async () => {
  // The condition's segment pays for the turn's body too (one charge per turn); leaving the
  // loop gives the body back, so fuel runs out at the same instruction near the loop's end.
  const src = poh`
    Set i to 0
    Set s to ""
    While i < 40
      Set s to s plus "x"
      Increase i
    End
    Write count of s
  `;
  const full = await allTiers(src);
  assertEquals(full.out, "40\n");
  for (let fuel = full.fuelUsed! - 30; fuel <= full.fuelUsed!; fuel++) {
    const r = await allTiers(src, { fuel });
    if (fuel === full.fuelUsed!) assertEquals(r, full);
    else assertEquals(r.error?.code, "E_FUEL", `fuel ${fuel}`);
  }
});
