/** VM and engine behaviour: limits, host interplay, trace, profile, the Engine contract. */
import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { createHost, GuestExit, type Host } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { pohEngine, runPohSource } from "../../../src/engines/poh/mod.ts";
import { engineFor } from "../../../src/engines/registry.ts";
import { runOn } from "./helpers.ts";

const enc = new TextEncoder();
const quiet = () => createHost({ stdout: () => {} });

for (const engine of ["ast", "vm"] as const) {
  Deno.test(`poh ${engine}: an endless loop ends with E_FUEL`, async () => {
    const r = await runOn(engine, "Set i to 0\nWhile True\n  Increase i\nEnd", [], {
      fuel: 50_000,
    });
    assertEquals(r.error?.code, "E_FUEL");
  });

  Deno.test(`poh ${engine}: an endless loop ends with E_TIMEOUT`, async () => {
    const r = await runOn(engine, "While True\n  Set x to 1\nEnd", [], {
      timeoutMs: 50,
      fuel: 1e12,
    });
    assertEquals(r.error?.code, "E_TIMEOUT");
  });

  Deno.test(`poh ${engine}: fuel is not catchable by try`, async () => {
    const src =
      'try this:\n  While True\n    Set x to 1\n  End\nif error as e\n  Write "caught"\nend try';
    const r = await runOn(engine, src, [], { fuel: 10_000 });
    assertEquals(r.out, "");
    assertEquals(r.error?.code, "E_FUEL");
  });

  Deno.test(`poh ${engine}: huge text is E_MEMORY, not an allocation`, async () => {
    const src = 'Set s to "xxxxxxxxxxxxxxxx"\nRepeat 40 times\n  Set s to s plus s\nEnd';
    const r = await runOn(engine, src, [], { memoryBytes: 1 << 20 });
    assertEquals(r.error?.code, "E_MEMORY");
    const r2 = await runOn(engine, "Write count of range(100000000)", [], { memoryBytes: 1 << 20 });
    assertEquals(r2.error?.code, "E_MEMORY");
  });

  Deno.test(`poh ${engine}: GuestExit passes through try`, async () => {
    const host: Host = {
      invoke(name, args) {
        if (name === "console.write") throw new GuestExit(3);
        return createHost({ stdout: () => {} }).invoke(name, args);
      },
    };
    let caught: unknown;
    try {
      await runPohSource(
        'try this:\n  Write "x"\nif error as e\n  Write "no"\nend try',
        "t.poh",
        host,
        DEFAULT_LIMITS,
        {
          engine,
        },
      );
    } catch (e) {
      caught = e;
    }
    assert(caught instanceof GuestExit, `expected GuestExit, got ${caught}`);
    assertEquals(caught.exitCode, 3);
  });

  Deno.test(`poh ${engine}: async host answers (Promise) are awaited in order`, async () => {
    let out = "";
    const host: Host = {
      invoke(name, args) {
        if (name === "console.write") return Promise.resolve().then(() => (out += args[0], null));
        if (name === "console.readLine") return Promise.resolve("5");
        return null;
      },
    };
    await runPohSource("Write 1\nAsk for n\nWrite n * 2\nWrite 3", "t.poh", host, DEFAULT_LIMITS, {
      engine,
    });
    assertEquals(out, "1\n10\n3\n");
  });

  Deno.test(`poh ${engine}: Import reads the cartridge's files`, async () => {
    const files = new Map([
      [
        "lib/util.poh",
        enc.encode('Import "more.poh"\nMake twice with x Return x * 2\nWrite "util loaded"'),
      ],
      ["lib/more.poh", enc.encode('Set shared to "more"')],
      ["words.txt", enc.encode("a b a")],
    ]);
    const src = 'Import "lib/util.poh"\nImport "lib/util.poh"\nWrite twice(21)\nWrite shared\n' +
      'Write split (read file at "words.txt") by " "';
    const r = await runOn(engine, src, [], {}, files);
    assertEquals(r.out, 'util loaded\n42\nmore\n["a", "b", "a"]\n');
  });
}

Deno.test("poh: a missing import is a compile error with a caret", async () => {
  await assertPxosError(
    () => runPohSource('Write 1\nImport "nope.poh"', "main.poh", quiet(), DEFAULT_LIMITS),
    "E_ASSEMBLE",
    /main\.poh:2:8: cannot import "nope\.poh"[^]*\n {2}2 \| Import "nope\.poh"\n {4}\| {8}\^/,
  );
});

Deno.test("poh vm: --trace gives one line per instruction", async () => {
  const lines: string[] = [];
  await runPohSource("Set x to 2\nWrite x + 3", "t.poh", quiet(), DEFAULT_LIMITS, {
    trace: (l) => lines.push(l),
  });
  assertEquals(lines[0], "main@0 L1 CONST 0 | []");
  assert(lines.some((l) => /^main@\d+ L2 ADD_CONST \d+ \| \[2\]$/.test(l)), lines.join("\n"));
  assertMatch(lines[lines.length - 1], /RETURN_NULL/);
});

Deno.test("poh vm: --profile counts calls and time per Poh function", async () => {
  const src =
    "Make sq with x Return x * x\nMake f\n  Return sq(2) + sq(3)\nEnd\nRepeat 5 times\n  Use f\nEnd";
  const r = await runPohSource(src, "t.poh", quiet(), DEFAULT_LIMITS, { profile: true });
  const functions = r.profile?.find((s) => s.title === "functions");
  assert(functions, "functions section");
  const calls = Object.fromEntries(functions.rows.map((row) => [row.name, row.count]));
  assertEquals(calls, { main: 1, f: 5, sq: 10 });
  assert(functions.rows.every((row) => typeof row.timeMs === "number"));
  assert(r.profile?.some((s) => s.title === "opcodes"));
});

Deno.test("poh engine: registered for .poh and .pbc, loads both, compiles and disassembles", async () => {
  assertEquals(engineFor("game/main.poh").id, "poh");
  assertEquals(engineFor("main.PBC").id, "poh");
  const src = enc.encode('Write "from " plus "engine"');
  const compiled = pohEngine.compile!(src, { path: "dir/main.poh" });
  assertEquals(compiled.path, "dir/main.pbc");
  for (const bytes of [src, compiled.bytes]) {
    let out = "";
    const program = await pohEngine.load(bytes, { path: "x" });
    const r = await pohEngine.run(
      program,
      createHost({ stdout: (t) => (out += t) }),
      DEFAULT_LIMITS,
    );
    assertEquals(out, "from engine\n");
    assertEquals(r.exitCode, 0);
    assert(r.fuelUsed > 0);
  }
  assertMatch(pohEngine.disassemble!(compiled.bytes, { path: "main.pbc" }), /WRITE/);
  let out = "";
  const p = await pohEngine.load(src, { path: "main.poh" });
  await pohEngine.run(p, createHost({ stdout: (t) => (out += t) }), DEFAULT_LIMITS, {
    flags: { engine: "ast" },
  });
  assertEquals(out, "from engine\n");
});

Deno.test("poh engines never touch Deno.* directly", async () => {
  for await (const entry of Deno.readDir(new URL("../../../src/engines/poh/", import.meta.url))) {
    const text = await Deno.readTextFile(
      new URL(`../../../src/engines/poh/${entry.name}`, import.meta.url),
    );
    assert(!/\bDeno\./.test(text), `${entry.name} uses Deno.*`);
  }
});

Deno.test("poh: printing a very deeply nested list does not overflow the host stack", async () => {
  for (const engine of ["ast", "vm"] as const) {
    const r = await runOn(engine, "Set x to []\nRepeat 100000 times\n  Set x to [x]\nEnd\nWrite x");
    assertEquals(r.error, undefined);
    assertMatch(r.out, /^\[{50,}…\]{50,}\n$/);
  }
});

Deno.test("poh vm: the dispatch loop handles every opcode of the ISA table, by number and name", async () => {
  const { OPS } = await import("../../../src/engines/poh/isa.ts");
  // The frequent instructions are in the loop, the rare ones in the function it falls back on.
  const files = ["vm_dispatch.ts", "vm_cold_ops.ts"];
  const texts = await Promise.all(
    files.map((f) => Deno.readTextFile(new URL(`../../../src/engines/poh/${f}`, import.meta.url))),
  );
  for (const op of OPS) {
    const label = new RegExp(`case ${op.code}: (\\{ )?// ${op.name}\\b`, "g");
    const found = texts.map((t) => t.match(label)?.length ?? 0);
    assertEquals(
      found.reduce((a, b) => a + b, 0),
      1,
      `"case ${op.code}: // ${op.name}" in ${files.join(" + ")}: found ${found.join(" + ")} times`,
    );
  }
});

Deno.test("poh: file built-ins go through the fs.* host calls (PohLang's phrasings)", async () => {
  for (const engine of ["ast", "vm"] as const) {
    const disk = new Map<string, string>();
    const calls: string[] = [];
    let out = "";
    const base = createHost({ stdout: (t) => (out += t) });
    const host: Host = {
      invoke(name, args) {
        if (typeof name === "string" && name.startsWith("fs.")) calls.push(name);
        const path = String(args[0]);
        switch (name) {
          case "fs.writeText":
            disk.set(path, String(args[1]));
            return null;
          case "fs.appendText":
            disk.set(path, (disk.get(path) ?? "") + String(args[1]));
            return null;
          case "fs.readText":
            return disk.get(path) ?? null;
          case "fs.exists":
            return disk.has(path);
        }
        return base.invoke(name, args);
      },
    };
    const src = [
      'Set r1 to write "Line 1\\n" into file at "log.txt"',
      'Set r2 to append "Line 2\\n" into file at "log.txt"',
      'append "Line 3\\n" to file at "log.txt"',
      'Write "Line 4" to file at "other.txt"',
      'If file exists at "log.txt" is True then',
      '  Write read file at "log.txt"',
      "End",
      "Write r1 and r2",
      'Write file exists at "missing.txt"',
    ].join("\n");
    await runPohSource(src, "t.poh", host, DEFAULT_LIMITS, { engine });
    assertEquals(out, "Line 1\nLine 2\nLine 3\n\nTrue\nFalse\n", engine);
    assertEquals(disk.get("other.txt"), "Line 4");
    assertEquals(calls.filter((c) => c === "fs.readText").length, 1, "cart.read first, then fs");
  }
});
