import { capturedIO } from "../../../src/cli/io.ts";
import { decodeModule } from "../../../src/engines/pixelvm/module.ts";
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

Deno.test("pxos asm writes the .pxi next to the source; compile is the same command", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/hello.pxasm`, "PUSH 42\nPRINT\nHALT\n");
    const io = capturedIO();
    assertEquals(await runCli(["asm", `${dir}/hello.pxasm`], io), 0);
    // A plain source assembles to the seed's bare bytes.
    assertEquals(
      await Deno.readFile(`${dir}/hello.pxi`),
      new Uint8Array([1, 42, 0, 0, 0, 16, 255]),
    );
    assertMatch(io.stdout, /hello\.pxi \(7 bytes, pixelvm\)/);
    // With -g: the same 7 bytes of code, in a module whose debug section maps them to the source.
    assertEquals(await runCli(["asm", `${dir}/hello.pxasm`, "-g", "-o", `${dir}/g.pxi`], io), 0);
    const written = decodeModule(await Deno.readFile(`${dir}/g.pxi`));
    assertEquals(written.code, new Uint8Array([1, 42, 0, 0, 0, 16, 255]));
    assertEquals(written.debug?.files, ["hello.pxasm"]);
    const io2 = capturedIO();
    assertEquals(
      await runCli(["compile", `${dir}/hello.pxasm`, "-o", `${dir}/b.pxi`, "-q"], io2),
      0,
    );
    assertEquals(await Deno.readFile(`${dir}/b.pxi`), await Deno.readFile(`${dir}/hello.pxi`));
    assertEquals(io2.stdout, "");
  });
});

Deno.test("pxos asm reports assembler errors with file:line:col and exits 2", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.pxasm`, "PUSH 1\n  FROB\n");
    const io = capturedIO();
    assertEquals(await runCli(["asm", `${dir}/bad.pxasm`], io), 2);
    assertMatch(io.stderr, /\[E_ASSEMBLE\]: .*bad\.pxasm:2:3: unknown instruction "FROB"/);
    // The source line and a caret under the spot follow (issue 12 §5).
    assertEquals(io.stderr.trim().split("\n").slice(1), ["  2 |   FROB", "    |   ^"]);
  });
});

Deno.test("pxos asm: usage errors exit 1; unknown source extensions are E_ENGINE", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["asm"], io), 1);
  assertMatch(io.stderr, /expected <source>/);
  const io2 = capturedIO();
  assertEquals(await runCli(["asm", "x.txt"], io2), 2);
  assertMatch(io2.stderr, /\[E_ENGINE\].*\.pxasm/);
  const io3 = capturedIO();
  assertEquals(await runCli(["asm", "missing.pxasm"], io3), 2);
  assertMatch(io3.stderr, /\[E_IO\]/);
});

Deno.test("pxos asm/compile/disasm --help show usage, an example and exit codes", async () => {
  for (const name of ["asm", "compile", "disasm", "run", "link"]) {
    const io = capturedIO();
    assertEquals(await runCli([name, "--help"], io), 0);
    assertMatch(io.stdout, new RegExp(`Usage: pxos ${name}`));
    assertMatch(io.stdout, /Example/);
    assertMatch(io.stdout, /Exit codes:/);
  }
});

Deno.test("pxos disasm prints text that pxos asm turns back into the same bytes", async () => {
  await withDir(async (dir) => {
    const src = '.data\nm: .string "hi"\n.code\nl: PUSH m\nPUSH 2\nHOST_CALL write_str\nJMP l\n';
    await Deno.writeTextFile(`${dir}/a.pxasm`, src);
    assertEquals(await runCli(["asm", `${dir}/a.pxasm`, "-q"], capturedIO()), 0);
    const io = capturedIO();
    assertEquals(await runCli(["disasm", `${dir}/a.pxi`], io), 0);
    assertMatch(io.stdout, /HOST_CALL write_str/);
    assertEquals(
      await runCli(["disasm", `${dir}/a.pxi`, "-o", `${dir}/b.pxasm`, "-q"], capturedIO()),
      0,
    );
    assertEquals(await Deno.readTextFile(`${dir}/b.pxasm`), io.stdout);
    assertEquals(await runCli(["asm", `${dir}/b.pxasm`, "-q"], capturedIO()), 0);
    assertEquals(await Deno.readFile(`${dir}/b.pxi`), await Deno.readFile(`${dir}/a.pxi`));
  });
});

Deno.test("pxos disasm refuses bytes the verifier refuses, with the offset", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/bad.pxi`, new Uint8Array([0x01, 0, 0, 0, 0, 0x77]));
    const io = capturedIO();
    assertEquals(await runCli(["disasm", `${dir}/bad.pxi`], io), 2);
    assertMatch(io.stderr, /\[E_VERIFY\]: .*offset 5: unknown opcode 0x77/);
  });
});

Deno.test("pxos disasm of a source file says to assemble it first (exit 1)", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["disasm", "prog.pxasm"], io), 1);
  assertMatch(io.stderr, /is source; disassemble its bytecode/);
});
