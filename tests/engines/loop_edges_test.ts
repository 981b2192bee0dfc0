/**
 * Dominators and loop heads of a control-flow graph (`src/engines/loop_edges.ts`): straight code,
 * a diamond, nested loops like a sieve's, a loop entered at its test, an irreducible cycle, and a
 * graph deeper than a recursive walk could go.
 */
import { LoopEdges } from "../../src/engines/loop_edges.ts";
import { assert, assertEquals } from "../assert.ts";

/** A graph from its edge lists; node 0 is the start. */
function graph(edges: Record<number, number[]>): LoopEdges {
  return new LoopEdges(0, (node) => edges[node] ?? []);
}

/** The nodes in `0 … n - 1` that head loops. */
const headsOf = (g: LoopEdges, n: number) =>
  Array.from({ length: n }, (_, k) => k).filter(g.isHead, g);

Deno.test("loop edges: a diamond has no loop, and neither arm dominates the join", () => {
  const g = graph({ 0: [1, 2], 1: [3], 2: [3], 3: [] });
  assertEquals(headsOf(g, 4), []);
  assert(g.dominates(0, 3) && g.dominates(0, 1) && g.dominates(3, 3));
  assert(!g.dominates(1, 3) && !g.dominates(2, 3), "an arm does not dominate the join");
  assert(!g.dominates(3, 0) && !g.dominates(1, 2));
});

Deno.test("loop edges: nested loops (a sieve's shape) head at their tests only", () => {
  // 0 outer test → 1 body or 6 after; 1 → 2 inner test → 3 inner body → 2, or → 4 latch → 0;
  // 6 a second loop's test → 7 a branch → 8 (counts) → 9, or straight to 9, the latch → 6.
  const g = graph({
    0: [1, 6],
    1: [2, 4],
    2: [3, 4],
    3: [2],
    4: [0],
    6: [7, 10],
    7: [8, 9],
    8: [9],
    9: [6],
    10: [],
  });
  assertEquals(headsOf(g, 11), [0, 2, 6]);
  assert(g.dominates(2, 3) && !g.dominates(2, 4), "the latch is reached around the inner loop");
  assert(g.dominates(6, 9) && g.dominates(7, 9) && !g.dominates(8, 9));
  assert(!g.dominates(1, 6), "the second loop is reached from the outer test, not its body");
});

Deno.test("loop edges: a loop entered at its test heads there, not at its body", () => {
  // 0 jumps to the test 2; 1 is the body; 2 tests and goes back to 1 or out to 3.
  const g = graph({ 0: [2], 1: [2], 2: [1, 3], 3: [] });
  assertEquals(headsOf(g, 4), [2]);
});

Deno.test("loop edges: an irreducible cycle has no head (neither entry dominates the other)", () => {
  const g = graph({ 0: [1, 2], 1: [2, 3], 2: [1], 3: [] });
  assertEquals(headsOf(g, 4), []);
  assert(!g.dominates(1, 2) && !g.dominates(2, 1));
  const selfLoop = graph({ 0: [1], 1: [1, 2], 2: [] });
  assertEquals(headsOf(selfLoop, 3), [1], "a block that jumps to itself heads its loop");
});

Deno.test("loop edges: unreachable nodes dominate nothing and head nothing", () => {
  const g = graph({ 0: [1], 1: [], 5: [5, 1] });
  assertEquals(headsOf(g, 6), []);
  assert(!g.dominates(5, 1) && !g.dominates(0, 5));
});

Deno.test("loop edges: a long chain with a loop around it needs no deep recursion", () => {
  const n = 50_000;
  const g = new LoopEdges(0, (k) => (k < n - 1 ? [k + 1] : k === n - 1 ? [1, n] : []));
  assert(g.isHead(1) && !g.isHead(2) && !g.isHead(n - 1));
  assert(g.dominates(1, n - 1) && g.dominates(n - 1, n) && !g.dominates(n - 1, 2));
});
