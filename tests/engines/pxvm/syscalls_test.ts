import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { SYSCALLS, UNKNOWN_COLOR } from "../../../src/engines/pxvm/isa.ts";
import { PxosError } from "../../../src/errors.ts";
import { runBoth, runPxvm } from "./helpers.ts";

const SEED_LAYER_OPS = [
  { op: "layerNew", name: "background", z: 0 },
  { op: "layerNew", name: "ui", z: 1 },
  { op: "layerNew", name: "vm", z: 2 },
  { op: "layerNew", name: "overlay", z: 3 },
];

/** One program per syscall and what it must print and draw. */
const CASES: Record<string, { src: string; out?: string; ops?: unknown[] }> = {
  PRINT_ID: { src: "IMM8 R1, 6\nSYSCALL PRINT_ID\nHALT", out: "Process terminated.\n" },
  RECT_ID: {
    src: "IMM8 R1, 1\nIMM8 R2, 2\nIMM8 R3, 3\nIMM8 R4, 4\nIMM8 R5, 2\nSYSCALL RECT_ID\nHALT",
    ops: [...SEED_LAYER_OPS, { op: "rect", x: 1, y: 2, w: 3, h: 4, color: 0x14143cff }],
  },
  TEXT_ID: {
    src: "IMM8 R1, 5\nIMM8 R2, 6\nIMM8 R3, 4\nIMM8 R4, 3\nSYSCALL TEXT_ID\nHALT",
    ops: [...SEED_LAYER_OPS, {
      op: "text",
      x: 5,
      y: 6,
      color: 0xffffffff,
      text: "Task complete.",
    }],
  },
  LAYER_USE_ID: {
    src: "IMM8 R1, 3\nSYSCALL LAYER_USE_ID\nHALT",
    ops: [...SEED_LAYER_OPS, { op: "layerUse", name: "vm" }],
  },
  PRINT: {
    src: 'IMM32 R1, s\nIMM32 R2, len(s)\nSYSCALL PRINT\nHALT\ns: .string "héllo\\n"',
    out: "héllo\n",
  },
  PRINT_INT: { src: "IMM32 R1, -42\nSYSCALL PRINT_INT\nHALT", out: "-42\n" },
  RECT: {
    src: "IMM8 R1, 1\nIMM8 R2, 2\nIMM8 R3, 3\nIMM8 R4, 4\nIMM32 R5, 0x11223344\n" +
      "SYSCALL RECT\nHALT",
    ops: [{ op: "rect", x: 1, y: 2, w: 3, h: 4, color: 0x11223344 }],
  },
  PIXEL: {
    src: "IMM8 R1, 7\nIMM8 R2, 8\nIMM32 R3, 0xff0000ff\nSYSCALL PIXEL\nHALT",
    ops: [{ op: "pixel", x: 7, y: 8, color: 0xff0000ff }],
  },
  LINE: {
    src: "IMM8 R1, 1\nIMM8 R2, 2\nIMM32 R3, -3\nIMM8 R4, 4\nIMM32 R5, 0x00ff00ff\n" +
      "SYSCALL LINE\nHALT",
    ops: [{ op: "line", x0: 1, y0: 2, x1: -3, y1: 4, color: 0x00ff00ff }],
  },
  CLEAR: {
    src: "IMM32 R1, 0x000028ff\nSYSCALL CLEAR\nHALT",
    ops: [{ op: "clear", color: 0x28ff }],
  },
  TEXT: {
    src: "IMM8 R1, 1\nIMM8 R2, 2\nIMM32 R3, -1\nIMM32 R4, s\nIMM32 R5, len(s)\n" +
      'SYSCALL TEXT\nHALT\ns: .string "Hi"',
    ops: [{ op: "text", x: 1, y: 2, color: 0xffffffff, text: "Hi" }],
  },
  CIRCLE: {
    src: "IMM8 R1, 10\nIMM8 R2, 11\nIMM8 R3, 5\nIMM32 R4, 0x0000ffff\nIMM8 R5, 1\n" +
      "SYSCALL CIRCLE\nHALT",
    ops: [{ op: "circle", cx: 10, cy: 11, r: 5, color: 0xffff, filled: true }],
  },
  LAYER_NEW: {
    src: 'IMM32 R1, s\nIMM32 R2, len(s)\nIMM8 R3, 7\nSYSCALL LAYER_NEW\nHALT\ns: .string "hud"',
    ops: [{ op: "layerNew", name: "hud", z: 7 }],
  },
  LAYER_USE: {
    src: 'IMM32 R1, s\nIMM32 R2, len(s)\nSYSCALL LAYER_USE\nHALT\ns: .string "hud"',
    ops: [{ op: "layerUse", name: "hud" }],
  },
  LAYER_DELETE: {
    src: 'IMM32 R1, s\nIMM32 R2, len(s)\nSYSCALL LAYER_DELETE\nHALT\ns: .string "hud"',
    ops: [{ op: "layerDelete", name: "hud" }],
  },
  PRESENT: { src: "SYSCALL PRESENT\nHALT", ops: ["present"] },
  CLOCK: { src: "SYSCALL CLOCK\nSYSCALL CLOCK\nMOV R1, R0\nSYSCALL PRINT_INT\nHALT", out: "2\n" },
  EXIT: { src: "IMM8 R1, 3\nSYSCALL EXIT\nIMM8 R1, 1\nSYSCALL PRINT_ID\nHALT", out: "" },
  CANVAS: {
    src: "IMM32 R1, 320\nIMM32 R2, 200\nSYSCALL CANVAS\nHALT",
    ops: [{ op: "canvas", width: 320, height: 200 }],
  },
  // The play syscalls without a frame loop: idle input, frame 0, and update never runs.
  ON_UPDATE: {
    src: "IMM32 R1, u\nSYSCALL ON_UPDATE\nHALT\nu: IMM8 R1, 2\nSYSCALL PRINT_ID\nHALT",
    out: "",
  },
  GAMEPAD: { src: "IMM8 R1, 3\nSYSCALL GAMEPAD\nMOV R1, R0\nSYSCALL PRINT_INT\nHALT", out: "0\n" },
  MOUSE: { src: "IMM8 R2, 9\nSYSCALL MOUSE\nMOV R1, R2\nSYSCALL PRINT_INT\nHALT", out: "0\n" },
  FRAME: { src: "SYSCALL FRAME\nMOV R1, R0\nSYSCALL PRINT_INT\nHALT", out: "0\n" },
  KEYS: {
    src: "IMM32 R1, 0x100\nIMM8 R2, 8\nSYSCALL KEYS\nMOV R1, R0\nSYSCALL PRINT_INT\nHALT",
    out: "0\n",
  },
  TONE: { src: "IMM32 R1, 440\nIMM8 R2, 6\nIMM8 R3, 50\nIMM8 R4, 0\nSYSCALL TONE\nHALT" },
};

Deno.test("every syscall has a test case", () => {
  assertEquals(SYSCALLS.map((s) => s.name).filter((n) => !(n in CASES)), []);
});

for (const [name, c] of Object.entries(CASES)) {
  Deno.test(`syscall ${name}`, async () => {
    const run = await runBoth(c.src, { strict: true });
    assertEquals(run.out, c.out ?? "");
    assertEquals(run.ops, c.ops ?? []);
  });
}

/** Imperfections: program, the warning it must print, and what imperfect mode does instead. */
const IMPERFECT: {
  what: string;
  src: string;
  warning: RegExp;
  then?: (r: Awaited<ReturnType<typeof runPxvm>>) => void;
}[] = [
  {
    what: "unknown opcode",
    src: ".byte 0xEE\nIMM8 R1, 1\nSYSCALL PRINT_ID\nHALT",
    warning: /unknown opcode 0xee; skipped/,
    then: (r) => assertMatch(r.out, /PXVM booting/),
  },
  { what: "unknown syscall", src: "SYSCALL 200\nHALT", warning: /unknown syscall 200/ },
  {
    what: "bad register",
    src: ".byte 0x11, 9, 5, 0, 0, 0\nMOV R1, R1\nSYSCALL PRINT_INT\nHALT",
    warning: /bad register index 9/,
    then: (r) => assertMatch(r.out, /\n0\n$/),
  },
  {
    what: "unknown color id",
    src: "IMM8 R5, 99\nSYSCALL RECT_ID\nHALT",
    warning: /unknown color id 99; using magenta/,
    then: (r) => assertEquals((r.ops.at(-1) as { color: number }).color, UNKNOWN_COLOR),
  },
  {
    what: "unknown message id",
    src: "IMM8 R1, 9\nSYSCALL PRINT_ID\nHALT",
    warning: /unknown message id 9/,
  },
  {
    what: "unknown layer id",
    src: "IMM8 R1, 9\nSYSCALL LAYER_USE_ID\nHALT",
    warning: /unknown layer id 9/,
  },
  {
    what: "load outside memory",
    src: "IMM32 R2, 65535\nLOAD32 R1, R2\nSYSCALL PRINT_INT\nHALT",
    warning: /load of 4 byte\(s\) at 0xffff/,
    then: (r) => assertMatch(r.out, /\n0\n$/),
  },
  {
    what: "store outside memory",
    src: "IMM32 R2, -1\nSTORE8 R2, R2\nHALT",
    warning: /store of 1 byte/,
  },
  {
    what: "division by zero",
    src: "IMM8 R2, 0\nDIV R1, R1, R2\nSYSCALL PRINT_INT\nHALT",
    warning: /division by zero/,
    then: (r) => assertMatch(r.out, /\n0\n$/),
  },
  {
    what: "string outside memory",
    src: "IMM32 R1, 65530\nIMM8 R2, 100\nSYSCALL PRINT\nHALT",
    warning: /outside memory; clipped/,
  },
  { what: "running off the end", src: "NOP", warning: /past the end of the program/ },
  { what: "truncated instruction", src: ".byte 0x11, 1", warning: /IMM32 cut off/ },
];

for (const c of IMPERFECT) {
  Deno.test(`imperfect mode warns and continues: ${c.what}`, async () => {
    const run = await runBoth(c.src);
    assertMatch(run.out, /^# WARNING: at 0x[0-9a-f]{4}: /m);
    assertMatch(run.out, c.warning);
    assertEquals(run.result.exitCode, 0);
    c.then?.(run);
  });
  Deno.test(`strict mode traps: ${c.what}`, async () => {
    for (const jit of [true, false]) {
      const e = await assertPxosError(() => runPxvm(c.src, { strict: true, jit }), "E_TRAP");
      assertMatch(e.message, c.warning);
      assertMatch(e.message, /strict mode/);
    }
  });
}

Deno.test("a gfx call refused by the sink: a warning, or a trap in strict mode", async () => {
  const sink = {
    draw() {
      throw new PxosError("E_TRAP", 'no layer named "nope"');
    },
    present() {},
  };
  const src = 'IMM32 R1, s\nIMM32 R2, len(s)\nSYSCALL LAYER_USE\nHALT\ns: .string "nope"';
  const run = await runPxvm(src, { sink });
  assertMatch(run.out, /# WARNING: .*gfx\.layerUse: no layer named "nope"; ignored/);
  await assertPxosError(() => runPxvm(src, { sink, strict: true }), "E_TRAP", /nope/);
});

Deno.test("warnings stop after 100 lines with one suppression line", async () => {
  const run = await runPxvm("IMM8 R2, 200\nloop: SYSCALL 99\nADDI R2, -1\nJNZ R2, loop\nHALT");
  const lines = run.out.trim().split("\n");
  assertEquals(lines.length, 101);
  assertEquals(lines[100], "# WARNING: more warnings suppressed");
});

Deno.test("a denied host call sets R0 = -1 and the program continues", async () => {
  const host = {
    stdout: () => {},
  };
  let out = "";
  const run = await runPxvm("SYSCALL PRESENT\nMOV R1, R0\nSYSCALL PRINT_INT\nHALT", {
    sink: {
      draw() {},
      present() {
        throw new PxosError("E_PERMISSION", "denied");
      },
    },
    host: { ...host, stdout: (t: string) => (out += t) },
  });
  assertEquals(out, "-1\n");
  assert(run.result.exitCode === 0);
});
