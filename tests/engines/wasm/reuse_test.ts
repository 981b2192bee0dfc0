/**
 * A loaded program keeps its import set between runs (`run_kit.ts`); these check that nothing
 * of one run reaches another: output, argv, descriptors and grants, audit, a failed run, and
 * two runs at once.
 */
import { assert, assertEquals } from "../../assert.ts";
import { runProgram } from "../../../src/boot/run_program.ts";
import { wasmEngine } from "../../../src/engines/wasm/engine.ts";
import type { WasmProgram } from "../../../src/engines/wasm/loader.ts";
import type { AuditEntry } from "../../../src/host/audit.ts";
import { type Grant, NO_GRANT } from "../../../src/host/grant.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/host/limits.ts";
import { exampleFiles } from "./helpers.ts";

const bench = new URL("../../../bench/wasm/bench_O2.wasm", import.meta.url);

interface Outcome {
  exitCode?: number;
  error?: unknown;
  stdout: string;
  stderr: string;
  audit: AuditEntry[];
}

async function runOnce(
  program: WasmProgram,
  opts: {
    args?: string[];
    grant?: Grant;
    root?: string;
    dirs?: { path: string; write: boolean }[];
    limits?: Partial<Limits>;
    fuel?: boolean;
  },
): Promise<Outcome> {
  const out: Outcome = { stdout: "", stderr: "", audit: [] };
  const host = createHost({
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    grant: opts.grant ?? NO_GRANT,
    root: opts.root,
    audit: (e) => out.audit.push(e),
  });
  try {
    const result = await runProgram(wasmEngine, program, host, {
      ...DEFAULT_LIMITS,
      ...opts.limits,
    }, { args: opts.args, dirs: opts.dirs, flags: { fuel: opts.fuel ?? false } });
    out.exitCode = result.exitCode;
  } catch (e) {
    out.error = e;
  }
  return out;
}

Deno.test("wasm reuse: each run of one loaded program has its own argv and output", async () => {
  const { bytes, files } = await exampleFiles("wasm-hello");
  const program = await wasmEngine.load(bytes, { path: "main.wasm", files }) as WasmProgram;
  const first = await runOnce(program, { args: ["first-arg"] });
  const second = await runOnce(program, {});
  const third = await runOnce(program, { args: ["third-arg"] });
  assertEquals([first.exitCode, second.exitCode, third.exitCode], [3, 0, 3]);
  assert(first.stdout.includes("argv[1] = first-arg"), first.stdout);
  assert(!second.stdout.includes("first-arg"), second.stdout);
  assert(!second.stdout.includes("argv[1]"), second.stdout);
  assert(third.stdout.includes("argv[1] = third-arg"), third.stdout);
  assert(!third.stdout.includes("first-arg"), third.stdout);
  // Each host got its run's whole output once.
  for (const run of [first, second, third]) {
    assertEquals(run.stdout.split("Hello from C on pxOS!").length, 2, run.stdout);
  }
});

Deno.test("wasm reuse: a directory granted to one run is not open in the next", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "pxos-wasm-reuse-" }));
  try {
    await Deno.mkdir(`${root}/data`);
    for (let i = 0; i < 1000; i++) {
      await Deno.writeFile(`${root}/data/f${String(i).padStart(4, "0")}.txt`, new Uint8Array(3));
    }
    const program = await wasmEngine.load(await Deno.readFile(bench), {
      path: "bench.wasm",
    }) as WasmProgram;
    const grant = { ...NO_GRANT, read: ["data"] };
    const dirs = [{ path: "data", write: false }];
    const granted = await runOnce(program, { args: ["files"], grant, root, dirs });
    assertEquals(granted.error, undefined);
    assertEquals(granted.exitCode, 0);
    assertEquals(granted.stdout, "3000\n");
    const refused = await runOnce(program, { args: ["files"], root });
    assertEquals(refused.exitCode, 1, refused.stderr);
    assert(refused.stderr.includes("/data/f0000.txt"), refused.stderr);
    // The refusal is audited on the second run's host, the reads on the first's only.
    assert(refused.audit.some((e) => !e.allowed), JSON.stringify(refused.audit));
    assert(!refused.audit.some((e) => e.allowed), JSON.stringify(refused.audit));
    assert(granted.audit.every((e) => e.allowed), JSON.stringify(granted.audit.slice(0, 3)));
    const again = await runOnce(program, { args: ["files"], grant, root, dirs });
    assertEquals([again.exitCode, again.stdout], [0, "3000\n"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("wasm reuse: a run that failed leaves nothing behind; runs at once stay apart", async () => {
  const { bytes, files } = await exampleFiles("wasm-hello");
  const program = await wasmEngine.load(bytes, { path: "main.wasm", files }) as WasmProgram;
  const cut = await runOnce(program, { args: ["x"], fuel: true, limits: { fuel: 2000 } });
  assertEquals((cut.error as { code?: string })?.code, "E_FUEL", String(cut.error));
  const after = await runOnce(program, { args: ["after"] });
  assertEquals(after.exitCode, 3);
  assert(after.stdout.startsWith("Hello from C on pxOS!"), after.stdout);
  assert(after.stdout.includes("argv[1] = after"), after.stdout);
  const together = await Promise.all(
    ["a1", "b2", "c3"].map((arg) => runOnce(program, { args: [arg] })),
  );
  for (const [i, arg] of ["a1", "b2", "c3"].entries()) {
    const run = together[i];
    assertEquals(run.exitCode, 3);
    assert(run.stdout.includes(`argv[1] = ${arg}\n`), run.stdout);
    assertEquals(run.stdout.split("argv[1] =").length, 2, run.stdout);
  }
});
