import { capturedIO } from "../../../src/cli/io.ts";
import { runCli } from "../../../src/cli/main.ts";
import { assertEquals, assertMatch } from "../../assert.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const HELLO =
  'ORG 0x7C00\nMOV SI, m\nSYSCALL print_string\nMOV AL, 3\nSYSCALL halt\nm: STRING "hi\\n"\n';

Deno.test("pxos pxi build writes each target and its source map; disasm --x86 lists the IR", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/h.pxs`, HELLO);
    for (const target of ["x86", "x86-boot", "pxvm"]) {
      const io = capturedIO();
      assertEquals(
        await runCli(["pxi", "build", `${dir}/h.pxs`, "--target", target], io),
        0,
        io.stderr,
      );
    }
    assertEquals((await Deno.readFile(`${dir}/h.boot.bin`)).length, 512);
    const boot = capturedIO();
    assertEquals(
      await runCli(["pxi", "build", `${dir}/h.pxs`, "--boot", "-o", `${dir}/b.bin`], boot),
      0,
    );
    assertEquals(await Deno.readFile(`${dir}/b.bin`), await Deno.readFile(`${dir}/h.boot.bin`));
    assertEquals((await Deno.stat(`${dir}/h.x86.bin.map.json`)).isFile, true);
    const io = capturedIO();
    assertEquals(await runCli(["disasm", "--x86", `${dir}/h.boot.bin`], io), 0, io.stderr);
    assertMatch(io.stdout, /7C00 {2}BE 3F 7C\s+MOV SI, 0x7C3F\s+; line 2: MOV SI, m/);
    assertMatch(io.stdout, /boot signature/);
  });
});

Deno.test("pxos pxi json / text round-trip; pxos run hello.pxs runs it on pxVM", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/h.pxs`, HELLO);
    assertEquals(
      await runCli(["pxi", "json", `${dir}/h.pxs`, "-o", `${dir}/h.pxi.json`, "-q"], capturedIO()),
      0,
    );
    const io = capturedIO();
    assertEquals(await runCli(["pxi", "text", `${dir}/h.pxi.json`], io), 0);
    assertEquals(io.stdout.includes("SYSCALL print_string"), true);
    const run = capturedIO();
    assertEquals(await runCli(["run", `${dir}/h.pxi.json`], run), 3);
    assertEquals(run.stdout, "hi\n");
  });
});

Deno.test("pxos pxi build reports errors with file:line:col, the line and a caret", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.pxs`, "NOP\nMOV AL, BX\n");
    const io = capturedIO();
    assertEquals(await runCli(["pxi", "build", `${dir}/bad.pxs`], io), 2);
    assertMatch(io.stderr, /bad\.pxs:2:9: size mismatch/);
    assertMatch(io.stderr, /MOV AL, BX\n\s+\^/);
  });
});

Deno.test("pxos pxi boot says how to install QEMU when it is missing", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/h.pxs`, HELLO);
    const path = Deno.env.get("PATH");
    Deno.env.set("PATH", dir); // an empty directory: no qemu-system-i386 to find
    try {
      const io = capturedIO();
      assertEquals(await runCli(["pxi", "boot", `${dir}/h.pxs`], io), 2);
      assertMatch(io.stderr, /needs QEMU \(qemu-system-i386\).*apt-get install qemu-system-x86/);
    } finally {
      if (path !== undefined) Deno.env.set("PATH", path);
    }
  });
});
