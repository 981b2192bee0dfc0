/**
 * Differential testing at scale: a few hundred seeded random programs, each run on the AST
 * interpreter and the VM (from source, and from bytecode that went through `.pbc` bytes); the
 * outputs and any error must be identical.
 */
import { assert, assertEquals } from "../../assert.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { compilePoh, pohEngine } from "../../../src/engines/poh/mod.ts";
import { PxosError } from "../../../src/errors.ts";
import { generateProgram } from "./generator.ts";
import { runOn } from "./helpers.ts";

const PROGRAMS = 300;
const limits = { ...DEFAULT_LIMITS, timeoutMs: 5000 };

async function runBytecode(src: string): Promise<{ out: string; error?: string }> {
  const bytes = compilePoh(new TextEncoder().encode(src), { path: "t.poh" });
  const program = await pohEngine.load(bytes, { path: "t.pbc" });
  let out = "";
  try {
    await pohEngine.run(program, createHost({ stdout: (t) => (out += t) }), limits);
    return { out };
  } catch (e) {
    if (e instanceof PxosError) return { out, error: `${e.code} ${e.message}` };
    throw e;
  }
}

Deno.test(`poh random programs: ${PROGRAMS} programs agree on AST interpreter and VM`, async () => {
  let errors = 0;
  let printed = 0;
  for (let seed = 1; seed <= PROGRAMS; seed++) {
    const src = generateProgram(seed);
    const ast = await runOn("ast", src, [], limits);
    const vm = await runOn("vm", src, [], limits);
    const ctx = `seed ${seed}:\n${src}`;
    assertEquals(vm, await runOn("vm-interpreted", src, [], limits), `compiled tier, ${ctx}`);
    assertEquals(vm.out, ast.out, ctx);
    assertEquals(vm.error, ast.error, ctx);
    const bc = await runBytecode(src);
    assertEquals(bc.out, ast.out, ctx);
    assertEquals(
      bc.error?.replace("t.pbc", "t.poh"),
      ast.error && `${ast.error.code} ${ast.error.message}`,
      ctx,
    );
    if (ast.error) errors++;
    printed += ast.out.length;
  }
  // The generator must exercise both paths: most programs finish, some fail at run time.
  assert(errors < PROGRAMS / 2, `too many failing programs: ${errors}`);
  assert(printed > PROGRAMS * 20, "programs printed almost nothing");
});

Deno.test("poh random programs: the generator is deterministic and varied", () => {
  assertEquals(generateProgram(7), generateProgram(7));
  const distinct = new Set(Array.from({ length: 50 }, (_, i) => generateProgram(i)));
  assertEquals(distinct.size, 50);
});
