/** The `.pbc` format: round trips, the disassembler, and the verifier against hostile bytes. */
import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { compilePoh, disassemblePoh, isPbc, pohEngine } from "../../../src/engines/poh/mod.ts";
import { readPbc, writePbc } from "../../../src/engines/poh/pbc.ts";
import { verifyModule } from "../../../src/engines/poh/verifier.ts";
import { Op } from "../../../src/engines/poh/isa.ts";
import { PxosError } from "../../../src/errors.ts";
import type { PohModule } from "../../../src/engines/poh/module.ts";

const enc = new TextEncoder();
const SOURCE = [
  "Make add with a, b set to 1",
  "  Return a + b",
  "End",
  "Make outer with x",
  "  Make inner Return x",
  "  Return inner",
  "End",
  'Write add(2) plus " and " plus add(2, 3)',
  'Write {"k": [1.5, True, nothing]}',
].join("\n");

function compile(src = SOURCE, files?: ReadonlyMap<string, Uint8Array>): Uint8Array {
  return compilePoh(enc.encode(src), { path: "main.poh", files });
}

Deno.test("poh pbc: starts with POHC and version 1, and reads back to the same bytes", () => {
  const bytes = compile();
  assert(isPbc(bytes));
  assertEquals(new TextDecoder().decode(bytes.subarray(0, 4)), "POHC");
  assertEquals(new DataView(bytes.buffer).getUint32(4, true), 1);
  const module = readPbc(bytes, "main.pbc");
  assertEquals(writePbc(module), bytes);
  assertEquals(module.functions.map((f) => f.name), ["main", "add", "outer", "inner"]);
  assertEquals(module.functions[1].localNames.slice(0, 2), ["a", "b"]);
  assertEquals(module.functions[1].requiredCount, 1);
  assertEquals(module.functions[3].upvalues[0].name, "x");
});

Deno.test("poh pbc: the constant pool is deduplicated", () => {
  const module = readPbc(compile('Write 7\nWrite 7\nWrite "s"\nWrite "s"\nWrite 7.5'), "m.pbc");
  const sevens = module.consts.filter((c) => c === 7).length;
  const esses = module.consts.filter((c) => c === "s").length;
  assertEquals([sevens, esses], [1, 1]);
});

Deno.test("poh pbc: compiling is deterministic", () => {
  assertEquals(compile(), compile());
});

Deno.test("poh disassembler: constants, then functions with offsets, lines and names", () => {
  const text = disassemblePoh(compile(), { path: "main.pbc" });
  assertMatch(text, /^; PohLang bytecode \(POHC\) — main\.poh/);
  assertMatch(text, /constants:\n {2}#0 /);
  assertMatch(text, /function 1 add \(main\.poh:1\) params=2 required=1/);
  assertMatch(text, /locals: 0=a, 1=b/);
  assertMatch(text, /upvalues: 0=x \(local 0\)/);
  assertMatch(text, /00000 +L1 +JUMP_IF_SET 1 \(b\), \d+ \(→ \d{5}\)/);
  assertMatch(text, /CALL_GLOBAL \d+ \(add\), 1/);
  assert(text.indexOf("constants:") < text.indexOf("function 0 main"));
});

Deno.test("poh pbc: every truncation is refused with E_VERIFY, never a crash", () => {
  const bytes = compile();
  for (let n = 0; n < bytes.length; n++) {
    try {
      pohEngine.load(bytes.subarray(0, n), { path: "cut.pbc" });
      if (n >= 4) throw new Error(`truncation to ${n} bytes was accepted`);
    } catch (e) {
      // Under 4 bytes the input is not bytecode and is read as (invalid) source.
      if (!(e instanceof PxosError)) throw e;
      if (n >= 4) assertEquals(e.code, "E_VERIFY", `at ${n}: ${e.message}`);
    }
  }
});

Deno.test("poh pbc: random byte flips are refused or run safely", async () => {
  const bytes = compile();
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let refused = 0;
  for (let i = 0; i < 400; i++) {
    const copy = bytes.slice();
    for (let k = 0; k < 3; k++) {
      copy[8 + Math.floor(rand() * (copy.length - 8))] = Math.floor(rand() * 256);
    }
    try {
      const p = await pohEngine.load(copy, { path: "fuzz.pbc" });
      const { createHost } = await import("../../../src/host/host.ts");
      const { DEFAULT_LIMITS } = await import("../../../src/host/limits.ts");
      await pohEngine.run(p, createHost({ stdout: () => {} }), {
        ...DEFAULT_LIMITS,
        fuel: 100_000,
        timeoutMs: 1000,
        memoryBytes: 1 << 20,
        outputBytes: 1 << 20,
      });
    } catch (e) {
      if (!(e instanceof PxosError)) throw new Error(`flip ${i}: non-PxosError ${e}`);
      refused++;
    }
  }
  assert(refused > 100, `expected most corruptions refused, got ${refused}`);
});

function mutate(edit: (m: PohModule) => void): PohModule {
  const m = readPbc(compile(), "m.pbc");
  edit(m);
  return m;
}

Deno.test("poh verifier: names what is wrong and where", async () => {
  await assertPxosError(
    () => verifyModule(mutate((m) => (m.functions[1].code = Int32Array.from([999])))),
    "E_VERIFY",
    /function 1 \(add\) @ 0: expected an opcode, found 999/,
  );
  await assertPxosError(
    () =>
      verifyModule(
        mutate((m) => (m.functions[1].code = Int32Array.from([Op.CONST, 9999, Op.RETURN]))),
      ),
    "E_VERIFY",
    /CONST operand 1 \(const\) must be in/,
  );
  await assertPxosError(
    () =>
      verifyModule(
        mutate((m) => (m.functions[1].code = Int32Array.from([Op.JUMP, 1, Op.NULL, Op.RETURN]))),
      ),
    "E_VERIFY",
    /jumps into the middle of an instruction/,
  );
  await assertPxosError(
    () => verifyModule(mutate((m) => (m.functions[1].code = Int32Array.from([Op.ADD, Op.RETURN])))),
    "E_VERIFY",
    /ADD needs 2 values, the stack holds 0/,
  );
  await assertPxosError(
    () => verifyModule(mutate((m) => (m.functions[1].code = Int32Array.from([Op.NULL])))),
    "E_VERIFY",
    /past the end of the code/,
  );
  await assertPxosError(
    () =>
      verifyModule(mutate((m) => {
        m.functions[1].code = Int32Array.from([
          Op.TRUE,
          Op.JUMP_IF_FALSE,
          5,
          Op.NULL,
          Op.NULL,
          Op.RETURN,
        ]);
      })),
    "E_VERIFY",
    /disagrees/,
  );
  await assertPxosError(
    () =>
      verifyModule(
        mutate((m) => (m.functions[1].code = Int32Array.from([Op.BUILTIN, 0, 3, Op.RETURN]))),
      ),
    "E_VERIFY",
    /built-in length takes 1–1 arguments, found 3/,
  );
});

Deno.test("poh pbc: header errors say what was expected", async () => {
  const bytes = compile();
  const badVersion = bytes.slice();
  badVersion[4] = 9;
  await assertPxosError(
    () => readPbc(badVersion, "v.pbc"),
    "E_VERIFY",
    /expected \.pbc version 1, found 9/,
  );
  const trailing = new Uint8Array([...bytes, 0]);
  await assertPxosError(
    () => readPbc(trailing, "t.pbc"),
    "E_VERIFY",
    /expected the end of the file, found 1 more bytes/,
  );
  const huge = bytes.slice();
  new DataView(huge.buffer).setUint32(8, 0x7fffffff, true);
  await assertPxosError(() => readPbc(huge, "h.pbc"), "E_VERIFY", /expected 2147483647 constants/);
});

Deno.test("poh compiler: the test corpus and generator exercise every opcode", async () => {
  const { CASES } = await import("./programs.ts");
  const { generateProgram } = await import("./generator.ts");
  const { OPS, OP_BY_CODE } = await import("../../../src/engines/poh/isa.ts");
  const used = new Set<string>();
  const { filesOf } = await import("./helpers.ts");
  const sources = [
    ...CASES.map((c) => ({ src: c.src, files: c.files ? filesOf(c.files) : undefined })),
    ...Array.from({ length: 300 }, (_, i) => ({ src: generateProgram(i + 1), files: undefined })),
  ];
  for (const { src, files } of sources) {
    let bytes: Uint8Array;
    try {
      bytes = compile(src, files);
    } catch {
      continue; // programs that are meant to fail at compile time
    }
    for (const f of readPbc(bytes, "t.pbc").functions) {
      for (let pc = 0; pc < f.code.length;) {
        const spec = OP_BY_CODE[f.code[pc]]!;
        used.add(spec.name);
        pc += 1 + spec.operands.length;
      }
    }
  }
  assertEquals(OPS.filter((o) => !used.has(o.name)).map((o) => o.name), []);
});
