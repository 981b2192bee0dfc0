import { assertEquals } from "../../assert.ts";
import {
  instructionLength,
  OPCODES,
  SEED_COLORS,
  SEED_LAYERS,
  SEED_MESSAGES,
  SYSCALLS,
} from "../../../src/engines/pxvm/isa.ts";
import { generatePxvmDoc } from "../../../src/engines/pxvm/doc.ts";

Deno.test("seed opcodes keep their exact encoding", () => {
  const seed = Object.fromEntries(
    OPCODES.filter((o) => o.since === "seed").map((o) => [o.mnemonic, [o.opcode, o.operands]]),
  );
  assertEquals(seed, {
    HALT: [0x00, []],
    NOP: [0x01, []],
    IMM8: [0x10, ["reg", "u8"]],
    IMM32: [0x11, ["reg", "i32"]],
    MOV: [0x20, ["reg", "reg"]],
    ADD: [0x30, ["reg", "reg", "reg"]],
    SUB: [0x31, ["reg", "reg", "reg"]],
    SYSCALL: [0xf0, ["sys"]],
  });
  assertEquals(instructionLength(OPCODES.find((o) => o.mnemonic === "IMM32")!), 6);
});

Deno.test("opcode bytes, mnemonics and syscall numbers are unique", () => {
  assertEquals(new Set(OPCODES.map((o) => o.opcode)).size, OPCODES.length);
  assertEquals(new Set(OPCODES.map((o) => o.mnemonic)).size, OPCODES.length);
  assertEquals(new Set(SYSCALLS.map((s) => s.num)).size, SYSCALLS.length);
  assertEquals(new Set(SYSCALLS.map((s) => s.name)).size, SYSCALLS.length);
});

Deno.test("seed syscalls and tables match the seed", () => {
  assertEquals(
    SYSCALLS.filter((s) => s.since === "seed").map((s) => [s.num, s.name]),
    [[1, "PRINT_ID"], [2, "RECT_ID"], [3, "TEXT_ID"], [4, "LAYER_USE_ID"]],
  );
  assertEquals([...SEED_MESSAGES.values()], [
    "PXVM booting...",
    "PXVM ready.",
    "Task complete.",
    "Kernel init done.",
    "Process started.",
    "Process terminated.",
  ]);
  const rgbaOf = (id: number) => {
    const c = SEED_COLORS.get(id)!.rgba;
    return [c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255];
  };
  assertEquals([1, 2, 3, 4, 5].map(rgbaOf), [
    [40, 40, 100, 255],
    [20, 20, 60, 255],
    [0, 0, 40, 255],
    [255, 255, 255, 255],
    [200, 200, 255, 255],
  ]);
  assertEquals([...SEED_LAYERS.values()].map((l) => l.name), ["background", "ui", "vm", "overlay"]);
});

Deno.test("docs/engines/pxvm.md is generated from isa.ts and current", async () => {
  const committed = await Deno.readTextFile(
    new URL("../../../docs/engines/pxvm.md", import.meta.url),
  );
  // The committed page is the generator's output after `deno fmt` (which aligns tables).
  const fmt = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "-"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(new TextEncoder().encode(generatePxvmDoc()));
  await writer.close();
  const formatted = new TextDecoder().decode((await fmt.output()).stdout);
  assertEquals(
    committed,
    formatted,
    "docs/engines/pxvm.md is stale; regenerate: deno eval 'import {generatePxvmDoc} from " +
      '"./src/engines/pxvm/doc.ts"; Deno.writeTextFileSync("docs/engines/pxvm.md", ' +
      "generatePxvmDoc())' && deno fmt docs/engines/pxvm.md",
  );
});
