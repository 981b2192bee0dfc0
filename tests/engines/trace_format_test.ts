/** Call traces collapse repeats, the same way in every engine. */
import { runPohSource } from "../../src/engines/poh/mod.ts";
import { formatCallTrace, type TraceFrame } from "../../src/engines/trace_format.ts";
import { PxosError } from "../../src/errors.ts";
import { createHost } from "../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

const f = (name: string, line: number): TraceFrame => ({ name, file: "d.poh", line });

Deno.test("a run of one frame collapses after three", () => {
  const frames = [...Array.from({ length: 1000 }, () => f("f", 2)), f("main", 4)];
  assertEquals(formatCallTrace(frames), [
    "  at f (d.poh:2)",
    "  at f (d.poh:2)",
    "  at f (d.poh:2)",
    "  … 997 more frames of f (d.poh:2)",
    "  at main (d.poh:4)",
  ]);
});

Deno.test("short runs (up to 8) and distinct frames are shown as they are", () => {
  const frames = [f("g", 7), ...Array.from({ length: 8 }, () => f("f", 2)), f("main", 4)];
  assertEquals(formatCallTrace(frames).length, 10);
  assertEquals(formatCallTrace([...frames, f("main", 4)]).length, 11);
  assertEquals(formatCallTrace([frames[0], f("f", 2), ...frames.slice(1)]).length, 6); // nine: collapsed
});

Deno.test("mutual recursion collapses as a cycle", () => {
  const frames = Array.from({ length: 600 }, (_, i) => (i % 2 ? f("odd", 9) : f("even", 3)));
  const lines = formatCallTrace(frames);
  assertEquals(lines.length, 4);
  assertEquals(lines[3], "  … 597 more frames cycling through even (d.poh:3), odd (d.poh:9)");
});

Deno.test("a long trace without repeats keeps both ends", () => {
  const frames = Array.from({ length: 500 }, (_, i) => f(`f${i}`, i + 1));
  const lines = formatCallTrace(frames);
  assertEquals(lines.length, 25);
  assertEquals(lines[0], "  at f0 (d.poh:1)");
  assertEquals(lines[12], "  … 476 more lines of the trace");
  assertEquals(lines[24], "  at f499 (d.poh:500)");
});

for (const engine of ["ast", "vm"] as const) {
  Deno.test(`Poh (${engine}): runaway recursion prints a collapsed trace`, async () => {
    const source = "Make f with n\n    Return f(n plus 1)\nEnd\nWrite f(1)\n";
    let error: unknown;
    try {
      await runPohSource(source, "d.poh", createHost({ stdout: () => {} }), DEFAULT_LIMITS, {
        engine,
      });
    } catch (e) {
      error = e;
    }
    assert(error instanceof PxosError, String(error));
    assertMatch(
      error.message,
      /\n {2}… 99\d more frames of f \(d\.poh:2\)\n {2}at main \(d\.poh:4\)$/,
    );
    assert(error.message.split("\n").length < 10, error.message);
  });
}
