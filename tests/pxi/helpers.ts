/** Shared helpers for the PXI tests: running on pxVM, external tools, the examples. */
import { pxvmEngine } from "../../src/engines/pxvm/engine.ts";
import { createHost } from "../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";
import type { PlacedProgram } from "../../src/pxi/ast.ts";
import { buildPxi, readPxi } from "../../src/pxi/build.ts";

/** Compiles to pxVM and runs it (strict: any imperfection fails); output and exit code. */
export async function runOnPxvm(placed: PlacedProgram): Promise<{ out: string; exitCode: number }> {
  const { bytes } = buildPxi(placed, "pxvm");
  let out = "";
  const program = pxvmEngine.load(bytes, { path: "test.pxvm" });
  const host = createHost({ stdout: (t) => (out += t), stderr: (t) => (out += t) });
  const result = await pxvmEngine.run(program, host, { ...DEFAULT_LIMITS, fuel: 10_000_000 }, {
    flags: { strict: true },
  });
  return { out, exitCode: result.exitCode };
}

/** Parses text as a `.pxs` file named `name`. */
export function pxs(text: string, name = "test.pxs"): PlacedProgram {
  return readPxi(text, name);
}

/** Whether `binary --version` runs. */
async function has(binary: string): Promise<boolean> {
  try {
    return (await new Deno.Command(binary, { args: ["--version"], stdout: "null", stderr: "null" })
      .output())
      .success;
  } catch {
    return false;
  }
}

/**
 * An external tool for tests: `ignore` is true (and the test name says SKIPPED) when it is
 * missing, unless PXOS_REQUIRE_<TOOL>=1, when the test runs and fails.
 */
export async function externalTool(
  binary: string,
  envName: string,
): Promise<{ ignore: boolean; suffix: string }> {
  const present = await has(binary);
  const required = Deno.env.get(envName) === "1";
  if (!present && !required) {
    console.warn(`${binary} not found: its PXI tests are ignored (set ${envName}=1 to fail)`);
  }
  return {
    ignore: !present && !required,
    suffix: !present && !required
      ? ` (SKIPPED: ${binary} not found; set ${envName}=1 to fail)`
      : "",
  };
}

/** The example programs and the text each prints. */
export const EXAMPLES: readonly { path: string; output: string }[] = [
  { path: "examples/pxi-hello/hello.pxs", output: "Hello from PXI!\n" },
  { path: "examples/pxi-arith/arith.pxs", output: "5555\n-150\n5535\n142\n6\n-14\n610\n9\n" },
  {
    path: "examples/pxi-loop/loop.pxs",
    output: "9876543210\n************\nPIXELS, BYTES & LOOPS\n#####\n",
  },
  { path: "examples/pxi-func/func.pxs", output: "42\n120\n40320\ndone.\n" },
];

/** Reads a repository file. */
export function repoText(path: string): string {
  return Deno.readTextFileSync(new URL(`../../${path}`, import.meta.url));
}
