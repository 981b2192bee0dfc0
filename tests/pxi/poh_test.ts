/** The Poh front end: the subset prints what Poh's own engine prints; the rest is refused. */
import { assertEquals, assertPxosError } from "../assert.ts";
import { createHost } from "../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";
import { pohEngine } from "../../src/engines/poh/engine.ts";
import { buildPxi } from "../../src/pxi/build.ts";
import { pohToPxi } from "../../src/pxi/poh/frontend.ts";
import { printPxs } from "../../src/pxi/print_text.ts";
import { pxs, repoText, runOnPxvm } from "./helpers.ts";

async function viaPoh(source: string): Promise<string> {
  let out = "";
  const bytes = new TextEncoder().encode(source);
  const compiled = pohEngine.compile!(bytes, { path: "main.poh" });
  const program = await pohEngine.load(compiled.bytes, { path: compiled.path });
  await pohEngine.run(program, createHost({ stdout: (t) => (out += t) }), DEFAULT_LIMITS);
  return out;
}

async function viaPxi(source: string): Promise<string> {
  return (await runOnPxvm(pxs(printPxs(pohToPxi(source, "main.poh")), "main.pxs"))).out;
}

Deno.test("the example Poh program prints the same through PXI on pxVM as on the Poh engine", async () => {
  const source = repoText("examples/pxi-poh/main.poh");
  assertEquals(await viaPxi(source), await viaPoh(source));
});

Deno.test("subset programs agree with the Poh engine", async () => {
  const programs = [
    'Start Program\nSet a to 7\nSet b to -3\nWrite a * b plus " " plus (a - b) plus " " plus a % 4\nEnd Program\n',
    "Start Program\nSet n to 0\nWhile n < 5 and not (n == 3)\n  Write n\n  Increase n\nEnd\nEnd Program\n",
    'Start Program\nMake fib with n\n  If n < 2\n    Return n\n  End\n  Return fib(n - 1) + fib(n - 2)\nEnd\nWrite "fib 15 = " plus fib(15)\nEnd Program\n',
    "Start Program\nMake count with k\n  Set i to 0\n  Set s to 0\n  While i < k\n    Increase i\n    Increase s by i\n  End\n  Return s\nEnd\nWrite count(100)\nWrite count(10)\nEnd Program\n",
  ];
  for (const p of programs) assertEquals(await viaPxi(p), await viaPoh(p), p);
});

Deno.test("the example fits a boot sector", () => {
  const { bytes } = buildPxi(
    pxs(printPxs(pohToPxi(repoText("examples/pxi-poh/main.poh"), "main.poh"))),
    "x86-boot",
  );
  assertEquals(bytes.length, 512);
});

Deno.test("outside the subset: clear errors with the Poh line", async () => {
  const refuse = (src: string, what: RegExp, line: number) =>
    assertPxosError(
      () => pohToPxi(`Start Program\n${src}\nEnd Program\n`, "x.poh"),
      "E_ASSEMBLE",
      what,
    ).then((e) => assertEquals([e.file, e.line], ["x.poh", line], e.message));
  await refuse("Set xs to [1, 2]", /the list expression \(outside the Poh subset/, 2);
  await refuse("Write 1.5", /the number 1.5 \(the subset has 16-bit integers/, 2);
  await refuse("Write 40000", /16-bit integers/, 2);
  await refuse('Set s to "text"', /text outside Write/, 2);
  await refuse("Write 1 < 2", /Write of a truth value/, 2);
  await refuse("Ask for name", /the ask statement/, 2);
  await refuse("Write nope(1)", /calling nope/, 2);
});
