/**
 * The pxVM instruction set: ONE table of opcodes and one of syscalls. The assembler,
 * disassembler, verifier/decoder, interpreter dispatch and the generated `docs/engines/pxvm.md`
 * are all driven by these rows.
 *
 * Machine: 8 registers R0–R7 (32-bit), a hidden stack pointer and compare flag, 64 KiB of
 * little-endian memory holding the program from address 0. The seed's rows (`since: "seed"`)
 * keep their exact encoding so seed programs run unchanged.
 *
 * @module
 */

/** How one operand is encoded. */
export type OperandKind =
  /** register index, 1 byte (0–7) */
  | "reg"
  /** unsigned byte */
  | "u8"
  /** signed 32-bit little-endian */
  | "i32"
  /** code address, unsigned 16-bit little-endian */
  | "addr"
  /** syscall number, 1 byte */
  | "sys";

/** Encoded size in bytes of each operand kind. */
export const OPERAND_SIZE: Readonly<Record<OperandKind, number>> = Object.freeze({
  reg: 1,
  u8: 1,
  i32: 4,
  addr: 2,
  sys: 1,
});

/** One opcode row. */
export interface OpcodeSpec {
  /** Assembly mnemonic (upper case). */
  readonly mnemonic: string;
  /** The opcode byte. */
  readonly opcode: number;
  /** Operands in encoding order. */
  readonly operands: readonly OperandKind[];
  /** Register/state effect, e.g. `d = a + b`. */
  readonly effect: string;
  /** One line on what it does. */
  readonly doc: string;
  /** `seed` for the original encoding, `0.2` for the extension. */
  readonly since: "seed" | "0.2";
}

const op = (
  mnemonic: string,
  opcode: number,
  operands: OperandKind[],
  effect: string,
  doc: string,
  since: "seed" | "0.2" = "0.2",
): OpcodeSpec => ({ mnemonic, opcode, operands, effect, doc, since });

const R3: OperandKind[] = ["reg", "reg", "reg"];

/** The opcode table. */
export const OPCODES: readonly OpcodeSpec[] = Object.freeze([
  op("HALT", 0x00, [], "stop", "Stop the program with exit code 0.", "seed"),
  op("NOP", 0x01, [], "—", "Do nothing.", "seed"),
  op("IMM8", 0x10, ["reg", "u8"], "d = u8", "Load an unsigned byte into a register.", "seed"),
  op("IMM32", 0x11, ["reg", "i32"], "d = i32", "Load a 32-bit constant into a register.", "seed"),
  op("MOV", 0x20, ["reg", "reg"], "d = s", "Copy a register.", "seed"),
  op("ADD", 0x30, R3, "d = a + b", "Add, wrapping at 32 bits.", "seed"),
  op("SUB", 0x31, R3, "d = a - b", "Subtract, wrapping at 32 bits.", "seed"),
  op("MUL", 0x32, R3, "d = a * b", "Multiply, low 32 bits."),
  op("DIV", 0x33, R3, "d = a / b", "Signed divide, rounding toward zero; b = 0 is a fault."),
  op("MOD", 0x34, R3, "d = a % b", "Signed remainder (sign of a); b = 0 is a fault."),
  op("AND", 0x35, R3, "d = a & b", "Bitwise and."),
  op("OR", 0x36, R3, "d = a | b", "Bitwise or."),
  op("XOR", 0x37, R3, "d = a ^ b", "Bitwise exclusive or."),
  op("SHL", 0x38, R3, "d = a << (b & 31)", "Shift left."),
  op("SHR", 0x39, R3, "d = a >>> (b & 31)", "Logical shift right."),
  op("SAR", 0x3a, R3, "d = a >> (b & 31)", "Arithmetic shift right."),
  op("NOT", 0x3b, ["reg", "reg"], "d = ~s", "Bitwise not."),
  op("ADDI", 0x3c, ["reg", "i32"], "d = d + i32", "Add a constant in place, wrapping."),
  op("CMP", 0x40, ["reg", "reg"], "flag = sign(a - b)", "Signed compare; sets the flag."),
  op("CMPU", 0x41, ["reg", "reg"], "flag = sign(a - b)", "Unsigned compare; sets the flag."),
  op("JMP", 0x50, ["addr"], "pc = addr", "Jump."),
  op("JEQ", 0x51, ["addr"], "if flag == 0", "Jump when the last compare was equal."),
  op("JNE", 0x52, ["addr"], "if flag != 0", "Jump when not equal."),
  op("JLT", 0x53, ["addr"], "if flag < 0", "Jump when less."),
  op("JLE", 0x54, ["addr"], "if flag <= 0", "Jump when less or equal."),
  op("JGT", 0x55, ["addr"], "if flag > 0", "Jump when greater."),
  op("JGE", 0x56, ["addr"], "if flag >= 0", "Jump when greater or equal."),
  op("JZ", 0x57, ["reg", "addr"], "if r == 0", "Jump when a register is zero."),
  op("JNZ", 0x58, ["reg", "addr"], "if r != 0", "Jump when a register is not zero."),
  op("CALL", 0x59, ["addr"], "push pc'; pc = addr", "Call: push the return address (4 bytes)."),
  op("RET", 0x5a, [], "pc = pop", "Return to the address on the stack."),
  op("PUSH", 0x5b, ["reg"], "sp -= 4; [sp] = r", "Push a register (32-bit)."),
  op("POP", 0x5c, ["reg"], "r = [sp]; sp += 4", "Pop into a register."),
  op("LOAD8", 0x60, ["reg", "reg"], "d = u8 [a]", "Load an unsigned byte from memory."),
  op("LOAD16", 0x61, ["reg", "reg"], "d = u16 [a]", "Load an unsigned 16-bit value."),
  op("LOAD32", 0x62, ["reg", "reg"], "d = i32 [a]", "Load a 32-bit value."),
  op("STORE8", 0x63, ["reg", "reg"], "u8 [a] = s", "Store the low byte of a register."),
  op("STORE16", 0x64, ["reg", "reg"], "u16 [a] = s", "Store the low 16 bits of a register."),
  op("STORE32", 0x65, ["reg", "reg"], "i32 [a] = s", "Store a register."),
  op(
    "SYSCALL",
    0xf0,
    ["sys"],
    "R0 = num; call",
    "System call: R0 is set to num, arguments in R1–R7, a result (if any) in R0.",
    "seed",
  ),
]);

/** Opcode rows by opcode byte (undefined for free bytes). */
export const OPCODE_BY_BYTE: readonly (OpcodeSpec | undefined)[] = (() => {
  const table: (OpcodeSpec | undefined)[] = new Array(256).fill(undefined);
  for (const row of OPCODES) table[row.opcode] = row;
  return table;
})();

/** Opcode rows by mnemonic. */
export const OPCODE_BY_NAME: ReadonlyMap<string, OpcodeSpec> = new Map(
  OPCODES.map((row) => [row.mnemonic, row]),
);

/** Encoded length of an instruction (opcode byte + operands). */
export function instructionLength(spec: OpcodeSpec): number {
  return 1 + spec.operands.reduce((n, k) => n + OPERAND_SIZE[k], 0);
}

/** One syscall row. */
export interface SyscallSpec {
  /** The number given to `SYSCALL`. */
  readonly num: number;
  /** Assembly name (`SYSCALL RECT_ID`). */
  readonly name: string;
  /** Arguments by register, in order (R1, R2, …). */
  readonly args: readonly string[];
  /** The shared host call it maps onto, or `null` when it is handled inside the VM. */
  readonly hostCall: string | null;
  /** One line on what it does. */
  readonly doc: string;
  /** `seed`, `0.2`, or `play` (the frame loop and input, issue 15). */
  readonly since: "seed" | "0.2" | "play";
}

const sys = (
  num: number,
  name: string,
  args: string[],
  hostCall: string | null,
  doc: string,
  since: "seed" | "0.2" | "play" = "0.2",
): SyscallSpec => ({ num, name, args, hostCall, doc, since });

/** The syscall table. Strings are (address, length) pairs of UTF-8 bytes in memory. */
export const SYSCALLS: readonly SyscallSpec[] = Object.freeze([
  sys(1, "PRINT_ID", ["msg id"], "console.write", "Print a seed message and a newline.", "seed"),
  sys(
    2,
    "RECT_ID",
    ["x", "y", "w", "h", "color id"],
    "gfx.rect",
    "Fill a rectangle with a seed colour.",
    "seed",
  ),
  sys(
    3,
    "TEXT_ID",
    ["x", "y", "color id", "msg id"],
    "gfx.text",
    "Draw a seed message in a seed colour.",
    "seed",
  ),
  sys(4, "LAYER_USE_ID", ["layer id"], "gfx.layerUse", "Draw on a seed layer.", "seed"),
  sys(16, "PRINT", ["addr", "len"], "console.write", "Print UTF-8 text from memory."),
  sys(17, "PRINT_INT", ["value"], "console.write", "Print a signed integer and a newline."),
  sys(18, "RECT", ["x", "y", "w", "h", "rgba"], "gfx.rect", "Fill a rectangle (0xRRGGBBAA)."),
  sys(19, "PIXEL", ["x", "y", "rgba"], "gfx.pixel", "Set one pixel."),
  sys(20, "LINE", ["x0", "y0", "x1", "y1", "rgba"], "gfx.line", "Draw a line."),
  sys(21, "CLEAR", ["rgba"], "gfx.clear", "Fill the current layer."),
  sys(
    22,
    "TEXT",
    ["x", "y", "rgba", "addr", "len"],
    "gfx.text",
    "Draw UTF-8 text from memory.",
  ),
  sys(23, "CIRCLE", ["cx", "cy", "r", "rgba", "filled"], "gfx.circle", "Draw a circle."),
  sys(24, "LAYER_NEW", ["addr", "len", "z"], "gfx.layerNew", "Create a named layer."),
  sys(25, "LAYER_USE", ["addr", "len"], "gfx.layerUse", "Draw on a named layer."),
  sys(26, "LAYER_DELETE", ["addr", "len"], "gfx.layerDelete", "Delete a named layer."),
  sys(27, "PRESENT", [], "gfx.present", "End the frame (the renderer writes it)."),
  sys(28, "CLOCK", [], "clock.monotonic", "R0 = milliseconds since start (virtual without grant)."),
  sys(29, "EXIT", ["code"], null, "End the program with exit code R1 & 255."),
  sys(30, "CANVAS", ["w", "h"], "gfx.canvas", "Set the canvas size."),
  sys(
    31,
    "ON_UPDATE",
    ["addr"],
    null,
    "Declare the update routine (`IMM32 R1, label` right before it): after HALT ends the main " +
      "part, the host runs it once per frame, each run ending at its HALT.",
    "play",
  ),
  sys(32, "GAMEPAD", ["player"], "input.gamepad", "R0 = buttons of player R1 (0–3).", "play"),
  sys(
    33,
    "MOUSE",
    [],
    "input.mouseX",
    "R0 = mouse x, R1 = mouse y, R2 = mouse buttons (input.mouseY, input.mouseButtons too).",
    "play",
  ),
  sys(34, "FRAME", [], "frame.count", "R0 = frames completed so far.", "play"),
  sys(
    35,
    "KEYS",
    ["addr", "cap"],
    "input.keys",
    "Copy this frame's typed text (UTF-8, at most cap bytes) to memory; R0 = bytes copied.",
    "play",
  ),
  sys(
    36,
    "TONE",
    ["frequency", "duration", "volume", "flags"],
    "sound.tone",
    "Play a tone (WASM-4 packing, see HOST_CALLS.md).",
    "play",
  ),
]);

/** Syscall rows by number. */
export const SYSCALL_BY_NUM: ReadonlyMap<number, SyscallSpec> = new Map(
  SYSCALLS.map((row) => [row.num, row]),
);

/** Syscall rows by name. */
export const SYSCALL_BY_NAME: ReadonlyMap<string, SyscallSpec> = new Map(
  SYSCALLS.map((row) => [row.name, row]),
);

/** The seed's message table (ids 1–6). */
export const SEED_MESSAGES: ReadonlyMap<number, string> = new Map([
  [1, "PXVM booting..."],
  [2, "PXVM ready."],
  [3, "Task complete."],
  [4, "Kernel init done."],
  [5, "Process started."],
  [6, "Process terminated."],
]);

/** The seed's colour table (ids 1–5) as packed 0xRRGGBBAA. */
export const SEED_COLORS: ReadonlyMap<number, { rgba: number; name: string }> = new Map([
  [1, { rgba: 0x282864ff, name: "window frame" }],
  [2, { rgba: 0x14143cff, name: "title bar" }],
  [3, { rgba: 0x000028ff, name: "background" }],
  [4, { rgba: 0xffffffff, name: "white" }],
  [5, { rgba: 0xc8c8ffff, name: "light blue" }],
]);

/** The safe default for an unknown colour id: opaque magenta. */
export const UNKNOWN_COLOR = 0xff00ffff;

/** The seed's layer table (ids 1–4): name and z-order. */
export const SEED_LAYERS: ReadonlyMap<number, { name: string; z: number }> = new Map([
  [1, { name: "background", z: 0 }],
  [2, { name: "ui", z: 1 }],
  [3, { name: "vm", z: 2 }],
  [4, { name: "overlay", z: 3 }],
]);

/** Memory size in bytes. */
export const MEMORY_SIZE = 65536;

/** Number of guest-visible registers. */
export const REGISTER_COUNT = 8;

/** Optional file header: magic `PXVM`, u16 version, u16 entry address (8 bytes, LE). */
export const HEADER_MAGIC: readonly number[] = [0x50, 0x58, 0x56, 0x4d];

/** Header length in bytes. */
export const HEADER_SIZE = 8;

/** The header version this build writes and reads. */
export const HEADER_VERSION = 2;

/**
 * The header version with a debug section: the 8 bytes above (version 3), a u32 LE image length,
 * the image, then the debug section (a source map, `src/engines/source_map.ts`) to the end.
 */
export const HEADER_VERSION_DEBUG = 3;

/** Header length in bytes when it carries a debug section. */
export const DEBUG_HEADER_SIZE = 12;
