import { capturedIO } from "../../../src/cli/io.ts";
import { runCli } from "../../../src/cli/main.ts";
import { assertEquals, assertMatch } from "../../assert.ts";

const EXAMPLE = new URL("../../../examples/modules/", import.meta.url);

Deno.test("pxos link joins main.pxi and math.pxi into one program that runs alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const name of ["main", "math"]) {
      const src = new URL(`${name}.pxasm`, EXAMPLE).pathname;
      assertEquals(await runCli(["asm", src, "-o", `${dir}/${name}.pxi`, "-q"], capturedIO()), 0);
    }
    const io = capturedIO();
    const code = await runCli([
      "link",
      `${dir}/main.pxi`,
      `${dir}/math.pxi`,
      "-o",
      `${dir}/nodir/app.pxi`,
    ], io);
    assertEquals(code, 2); // the directory "app" does not exist: E_IO, nothing written
    assertEquals(
      await runCli(["link", `${dir}/main.pxi`, `${dir}/math.pxi`, "-o", `${dir}/app.pxi`], io),
      0,
    );
    assertMatch(io.stdout, /linked 2 modules → .*app\.pxi/);
    await Deno.mkdir(`${dir}/alone`);
    await Deno.rename(`${dir}/app.pxi`, `${dir}/alone/app.pxi`);
    const run = capturedIO();
    assertEquals(await runCli(["run", `${dir}/alone/app.pxi`], run), 0);
    assertEquals(run.stdout, "math module loaded\n49\n27\nboth modules' data survived linking\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pxos link without -o is a usage error; a missing export is E_VERIFY", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["link", "a.pxi"], io), 1);
  assertMatch(io.stderr, /-o <output\.pxi>/);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.pxasm`, ".import b.f\nCALL b.f\nHALT\n");
    await Deno.writeTextFile(`${dir}/b.pxasm`, ".export g\ng: RET\n");
    for (const n of ["a", "b"]) await runCli(["asm", `${dir}/${n}.pxasm`, "-q"], capturedIO());
    const io2 = capturedIO();
    assertEquals(
      await runCli(["link", `${dir}/a.pxi`, `${dir}/b.pxi`, "-o", `${dir}/x.pxi`], io2),
      2,
    );
    assertMatch(io2.stderr, /\[E_VERIFY\]: .*module "b" has no export "f"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
