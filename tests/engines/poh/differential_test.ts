/**
 * Differential tests: every program of the corpus runs on the AST interpreter (the reference)
 * and on the bytecode VM; both must print exactly the expected output and fail the same way.
 */
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { CASES } from "./programs.ts";
import { filesOf, runOn } from "./helpers.ts";

for (const c of CASES) {
  Deno.test(`poh differential: ${c.name}`, async () => {
    const files = c.files ? filesOf(c.files) : undefined;
    const ast = await runOn("ast", c.src, c.input, {}, files);
    const vm = await runOn("vm", c.src, c.input, {}, files);
    // The VM's compiling tier changes nothing a program can see, nor the fuel it uses.
    const interpreted = await runOn("vm-interpreted", c.src, c.input, {}, files);
    assertEquals(vm, interpreted, "VM with and without compiled functions");
    const eager = await runOn("vm-eager", c.src, c.input, {}, files);
    assertEquals(eager, interpreted, "VM with every loop compiled at its first turn");
    assertEquals(ast.out, c.out, "AST interpreter output");
    assertEquals(vm.out, c.out, "VM output");
    if (c.error) {
      assert(ast.error, `AST interpreter should fail with ${c.error.code}`);
      assert(vm.error, `VM should fail with ${c.error.code}`);
      assertEquals(ast.error.code, c.error.code);
      assertEquals(vm.error.code, c.error.code);
      assertMatch(ast.error.message, c.error.match);
      assertMatch(vm.error.message, c.error.match);
      assertEquals(vm.error.message, ast.error.message, "both engines report the same error");
    } else {
      assertEquals(ast.error, undefined, "AST interpreter should not fail");
      assertEquals(vm.error, undefined, "VM should not fail");
    }
  });
}
