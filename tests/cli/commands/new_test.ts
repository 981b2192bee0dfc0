import { join } from "node:path";
import { runCli } from "../../../src/cli/main.ts";
import { capturedIO } from "../../../src/cli/io.ts";
import { availableTemplates, TEMPLATES } from "../../../src/cli/templates.ts";
import { WASM_C_BUILD, WASM_C_SOURCE, wasmCBinary } from "../../../src/cli/template_wasm_c.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** What each template's program prints (a test fails when a template is added without a row). */
const EXPECTED: Record<string, string> = {
  poh: "Hello from demo!\n1 + 2 + 3 = 6\n",
  pixelvm: "Hello from demo!\n3\n2\n1\n",
  pxvm: "Hello from demo!\n6\n",
  "wasm-c": "Hello from C on pxOS!\n",
};

Deno.test("pxos new: every template scaffolds a project that boots, runs and packs as it is", async (t) => {
  const tmp = await Deno.makeTempDir();
  try {
    assert(availableTemplates().length >= 3);
    for (const template of availableTemplates()) {
      await t.step(template.id, async () => {
        const dir = join(tmp, template.id, "demo");
        await Deno.mkdir(join(tmp, template.id));
        const made = await cli("new", dir, "--template", template.id);
        assertEquals(made.code, 0, made.stderr);
        const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
        for (const f of [".pxosignore", "README.md", "pxos.json"]) assert(names.includes(f), f);
        const booted = await cli("boot", dir);
        assertEquals(booted.code, 0, booted.stderr);
        assertEquals(booted.stdout, EXPECTED[template.id]);
        assertEquals((await cli("run", dir)).stdout, EXPECTED[template.id]);
        // The README's pack line works as written.
        const readme = await Deno.readTextFile(join(dir, "README.md"));
        const pack = /pxos pack demo -o demo\.pxa( --compile)?/.exec(readme);
        assert(pack, readme);
        const out = join(tmp, template.id, "demo.pxa");
        const packed = await cli("pack", dir, "-o", out, ...(pack[1] ? ["--compile"] : []));
        assertEquals(packed.code, 0, packed.stderr);
        assertEquals((await cli("boot", out)).stdout, EXPECTED[template.id]);
      });
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("pxos new refuses an existing folder and leaves it as it was", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const dir = join(tmp, "taken");
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "mine.txt"), "keep");
    const r = await cli("new", dir, "--template", "poh");
    assertEquals(r.code, 2);
    assertMatch(r.stderr, /E_IO.*taken: already exists/);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["mine.txt"]);
    assertEquals([...Deno.readDirSync(tmp)].map((e) => e.name), ["taken"]); // no temp left
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("pxos new: a bad name or template is a usage error", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const name = await cli("new", join(tmp, "Bad Name"));
    assertEquals(name.code, 1);
    assertMatch(name.stderr, /E_USAGE.*name: expected lower-case letters/);
    const template = await cli("new", join(tmp, "ok"), "--template", "cobol");
    assertEquals(template.code, 1);
    assertMatch(template.stderr, /unknown template "cobol"; expected one of poh, pixelvm, pxvm/);
    // A template whose engine this build lacks says so (wasm-c before the wasm engine).
    for (const missing of TEMPLATES.filter((t) => !availableTemplates().includes(t))) {
      const r = await cli("new", join(tmp, "ok"), "--template", missing.id);
      assertEquals(r.code, 1);
      assertMatch(
        r.stderr,
        new RegExp(`template ${missing.id} needs an engine for ${missing.entry}`),
      );
    }
    assertEquals([...Deno.readDirSync(tmp)], []);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a template is offered only when an engine runs its entry", () => {
  const fake = { id: "fake", summary: "no engine", entry: "main.nothing", program: () => ({}) };
  assertEquals(
    availableTemplates([...TEMPLATES, fake]).map((t) => t.id),
    availableTemplates().map((t) => t.id),
  );
  assertEquals(availableTemplates([fake]), []);
});

const clang = await new Deno.Command("clang", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success, () => false);
const clangRequired = Deno.env.get("PXOS_REQUIRE_CLANG") === "1";

Deno.test({
  name: "the wasm-c template's main.wasm is what clang builds from its main.c" +
    (clang || clangRequired ? "" : " (SKIPPED: no clang)"),
  ignore: !clang && !clangRequired,
  async fn() {
    if (!clang) throw new Error("PXOS_REQUIRE_CLANG=1 but clang was not found");
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(join(dir, "main.c"), WASM_C_SOURCE);
      const [program, ...args] = WASM_C_BUILD;
      const built = await new Deno.Command(program, { args, cwd: dir, stderr: "piped" }).output();
      assert(built.success, new TextDecoder().decode(built.stderr));
      assertEquals(await Deno.readFile(join(dir, "main.wasm")), wasmCBinary());
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
