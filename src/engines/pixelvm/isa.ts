/**
 * The PixelVM instruction set: ONE table that drives the assembler, the disassembler, the
 * verifier, the pre-decoder and the generated ISA page (`docs/engines/pixelvm.md`).
 *
 * Encoding: one opcode byte, then the operands, little-endian. Opcodes marked `seed` keep the
 * original PixelVM's bytes and meaning, so its programs run unchanged; the rest are extensions in
 * opcode space the seed left unused.
 *
 * @module
 */

/**
 * Operand kinds, in encoding order:
 * - `i32`: signed 32-bit value (4 bytes).
 * - `addr`: absolute code byte offset (4 bytes); a jump/call target, checked by the verifier.
 * - `u8`: unsigned byte (1 byte): a local index, a frame size, a value count.
 * - `host`: host-call id (1 byte), see {@link PIXELVM_HOST_CALLS}.
 * - `str`: i32 byte length, then that many UTF-8 bytes.
 */
export type PixelOperandKind = "i32" | "addr" | "u8" | "host" | "str";

/** One row of the PixelVM instruction table. */
export interface PixelOpSpec {
  /** The opcode byte. */
  readonly code: number;
  /** Mnemonic, upper case. */
  readonly name: string;
  /** Operands in encoding order. */
  readonly operands: readonly PixelOperandKind[];
  /** Stack effect in Forth notation (before -- after). */
  readonly stack: string;
  /** Whether the opcode comes from the seed PixelVM (else a documented extension). */
  readonly seed: boolean;
  /** One line on what it does. */
  readonly doc: string;
}

const row = (
  code: number,
  name: string,
  operands: readonly PixelOperandKind[],
  stack: string,
  seed: boolean,
  doc: string,
): PixelOpSpec => Object.freeze({ code, name, operands, stack, seed, doc });

/** The instruction table, ordered by opcode byte. */
export const PIXELVM_ISA: readonly PixelOpSpec[] = Object.freeze([
  row(0x01, "PUSH", ["i32"], "( -- v)", true, "Push the immediate value."),
  row(0x02, "POP", [], "(a -- )", true, "Drop the top of the stack."),
  row(0x03, "ADD", [], "(a b -- a+b)", true, "Add, i32 wrap-around."),
  row(0x04, "SUB", [], "(a b -- a-b)", true, "Subtract, i32 wrap-around."),
  row(0x05, "MUL", [], "(a b -- a*b)", true, "Multiply, low 32 bits of the product."),
  row(0x06, "DIV", [], "(a b -- a/b)", true, "Divide, truncating toward zero; b = 0 traps."),
  row(0x07, "MOD", [], "(a b -- a%b)", true, "Remainder with the sign of a; b = 0 traps."),
  row(0x08, "NEG", [], "(a -- -a)", false, "Negate, i32 wrap-around."),
  row(0x09, "AND", [], "(a b -- a&b)", false, "Bitwise and."),
  row(0x0a, "OR", [], "(a b -- a|b)", false, "Bitwise or."),
  row(0x0b, "XOR", [], "(a b -- a^b)", false, "Bitwise exclusive or."),
  row(0x0c, "NOT", [], "(a -- ~a)", false, "Bitwise complement."),
  row(0x0d, "SHL", [], "(a b -- a<<b)", false, "Shift left by b mod 32."),
  row(0x0e, "SHR", [], "(a b -- a>>b)", false, "Arithmetic shift right by b mod 32."),
  row(0x0f, "SHRU", [], "(a b -- a>>>b)", false, "Logical shift right by b mod 32."),
  row(0x10, "PRINT", [], "(a -- )", true, "Print a as decimal and a newline."),
  row(0x11, "DUP", [], "(a -- a a)", true, "Duplicate the top."),
  row(0x12, "SWAP", [], "(a b -- b a)", true, "Swap the top two."),
  row(0x13, "PRINT_STR", ["str"], "( -- )", true, "Print the string literal and a newline."),
  row(0x14, "OVER", [], "(a b -- a b a)", false, "Copy the second value to the top."),
  row(0x15, "ROT", [], "(a b c -- b c a)", false, "Rotate the third value to the top."),
  row(0x20, "EQ", [], "(a b -- a=b)", true, "1 if a equals b, else 0."),
  row(0x21, "LT", [], "(a b -- a<b)", true, "1 if a < b (signed), else 0."),
  row(0x22, "GT", [], "(a b -- a>b)", true, "1 if a > b (signed), else 0."),
  row(0x23, "NE", [], "(a b -- a≠b)", false, "1 if a differs from b, else 0."),
  row(0x24, "LE", [], "(a b -- a≤b)", false, "1 if a ≤ b (signed), else 0."),
  row(0x25, "GE", [], "(a b -- a≥b)", false, "1 if a ≥ b (signed), else 0."),
  row(0x30, "JMP", ["addr"], "( -- )", true, "Jump to the code byte offset."),
  row(0x31, "JZ", ["addr"], "(a -- )", true, "Jump if a is zero."),
  row(0x32, "JNZ", ["addr"], "(a -- )", true, "Jump if a is not zero."),
  row(
    0x33,
    "CALL",
    ["addr"],
    "( -- )",
    true,
    "Push the return address (seed: on the data stack; else with the frame on the call stack), jump.",
  ),
  row(
    0x34,
    "RET",
    [],
    "( -- )",
    true,
    "Return (seed: pop the address from the data stack); a bad address or no caller traps.",
  ),
  row(
    0x35,
    "ENTER",
    ["u8"],
    "( -- )",
    false,
    "Open a frame: the top n values (the arguments) become locals 0..n-1.",
  ),
  row(0x36, "LGET", ["u8"], "( -- v)", false, "Push local i (a frame slot above the base)."),
  row(0x37, "LSET", ["u8"], "(v -- )", false, "Pop into local i."),
  row(
    0x38,
    "RETN",
    ["u8"],
    "(frame.. r1..rk -- r1..rk)",
    false,
    "Keep the top k values, drop the rest of the frame, return.",
  ),
  row(0x40, "LOAD", [], "(w -- v)", true, "Push memory word w (word index: bytes 4w..4w+3)."),
  row(0x41, "STORE", [], "(v w -- )", true, "Store v into memory word w."),
  row(0x42, "LOADB", [], "(a -- b)", false, "Push the unsigned byte at byte address a."),
  row(0x43, "STOREB", [], "(v a -- )", false, "Store the low 8 bits of v at byte address a."),
  row(0x50, "HOST_CALL", ["host"], "(args -- results)", true, "Call host function id."),
  row(0xfe, "NOP", [], "( -- )", true, "Do nothing."),
  row(0xff, "HALT", [], "( -- )", true, "Stop with exit code 0."),
]);

/** Opcode bytes by mnemonic, for code that names opcodes (the VM, the pre-decoder). */
export const OP = Object.freeze(
  Object.fromEntries(PIXELVM_ISA.map((s) => [s.name, s.code])) as Record<string, number>,
);

const BY_CODE: (PixelOpSpec | undefined)[] = new Array(256);
for (const spec of PIXELVM_ISA) BY_CODE[spec.code] = spec;
const BY_NAME = new Map(PIXELVM_ISA.map((s) => [s.name, s]));

/** The table row for an opcode byte, or `undefined` when the byte is not an opcode. */
export function opByCode(code: number): PixelOpSpec | undefined {
  return BY_CODE[code];
}

/** The table row for a mnemonic (case-insensitive), or `undefined`. */
export function opByName(name: string): PixelOpSpec | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** Encoded size in bytes of a fixed-size operand kind (`str` is 4 plus its length). */
export function operandSize(kind: PixelOperandKind): number {
  return kind === "u8" || kind === "host" ? 1 : 4;
}

/** One row of the PixelVM host-call id table (the `HOST_CALL` operand). */
export interface PixelHostCallSpec {
  /** The `HOST_CALL` operand byte. */
  readonly id: number;
  /** Name usable in assembly instead of the number (`HOST_CALL write_str`). */
  readonly name: string;
  /** The shared host call (`src/host/calls.ts`) it maps onto. */
  readonly hostCall: string;
  /** How many values it pops. */
  readonly pops: number;
  /** How many values it pushes (1 for calls that can fail: the result, or a negative error). */
  readonly pushes: number;
  /** Stack effect in Forth notation. */
  readonly stack: string;
  /** What it does, including its error results. */
  readonly doc: string;
}

const hostRow = (
  id: number,
  name: string,
  hostCall: string,
  pops: number,
  pushes: number,
  stack: string,
  doc: string,
): PixelHostCallSpec => Object.freeze({ id, name, hostCall, pops, pushes, stack, doc });

/**
 * PixelVM host-call ids. Calls that can be denied or fail push one result; a denial
 * (`E_PERMISSION`) pushes -1, a missing file or other file error (`E_IO`, `E_PATH`) -2 and a
 * network failure (`E_NET`) -3, so the guest can handle it.
 */
export const PIXELVM_HOST_CALLS: readonly PixelHostCallSpec[] = Object.freeze([
  hostRow(
    0,
    "print_top",
    "console.write",
    0,
    0,
    "(a -- a)",
    "Print the top of the stack as decimal + newline without popping it (the seed's print_stack).",
  ),
  hostRow(
    1,
    "write_str",
    "console.write",
    2,
    0,
    "(addr len -- )",
    "Write len bytes of memory from byte address addr as UTF-8 (no newline).",
  ),
  hostRow(
    2,
    "write_err",
    "console.error",
    2,
    0,
    "(addr len -- )",
    "Like write_str, to standard error.",
  ),
  hostRow(3, "write_int", "console.write", 1, 0, "(a -- )", "Write a as decimal, no newline."),
  hostRow(
    4,
    "write_char",
    "console.write",
    1,
    0,
    "(c -- )",
    "Write Unicode code point c (U+FFFD when c is not a code point).",
  ),
  hostRow(
    5,
    "read_line",
    "console.readLine",
    2,
    1,
    "(addr max -- n)",
    "Read a line into memory (UTF-8, cut at max bytes); n = bytes stored, -1 at end of input.",
  ),
  hostRow(
    6,
    "cart_read",
    "cart.read",
    4,
    1,
    "(path len dst max -- n)",
    "Read the cartridge file named by memory[path..path+len) into memory at dst (cut at max " +
      "bytes); n = bytes stored, -1 denied, -2 no such file.",
  ),
  hostRow(
    7,
    "time",
    "clock.now",
    0,
    1,
    "( -- s)",
    "Seconds since the Unix epoch (virtual, from 2000-01-01, unless clock is granted).",
  ),
  hostRow(
    8,
    "clock_ms",
    "clock.monotonic",
    0,
    1,
    "( -- ms)",
    "Milliseconds since the run started (virtual, +1 per read, unless clock is granted).",
  ),
  hostRow(
    9,
    "random",
    "random.bytes",
    0,
    1,
    "( -- r)",
    "A random i32 (a seeded, reproducible sequence unless random is granted).",
  ),
  hostRow(10, "exit", "process.exit", 1, 0, "(code -- )", "End the program with exit code & 255."),
  hostRow(
    11,
    "fs_read",
    "fs.readBytes",
    4,
    1,
    "(path len dst max -- n)",
    "Read the host file named by memory[path..path+len) into memory at dst (cut at max bytes); " +
      "n = bytes stored, -1 denied, -2 not found or other file error.",
  ),
  hostRow(
    12,
    "fs_write",
    "fs.writeBytes",
    4,
    1,
    "(path len src n -- r)",
    "Create or replace the host file named by memory[path..path+len) with memory[src..src+n); " +
      "r = 0 done, -1 denied, -2 file error.",
  ),
  hostRow(
    13,
    "fs_exists",
    "fs.exists",
    2,
    1,
    "(path len -- r)",
    "Whether the host file named by memory[path..path+len) exists: 1 yes, 0 no, -1 denied, " +
      "-2 path refused or other file error.",
  ),
  hostRow(
    14,
    "http_get",
    "net.fetch",
    4,
    1,
    "(url len dst max -- n)",
    "HTTP GET of the URL in memory[url..url+len); the host's answer (status line, headers, " +
      "blank line, body) is stored at dst (cut at max bytes); n = bytes stored, -1 denied, " +
      "-3 network error.",
  ),
  hostRow(
    15,
    "gamepad",
    "input.gamepad",
    1,
    1,
    "(player -- buttons)",
    "Buttons held by player 0–3 this frame (1 X, 2 Z, 16 left, 32 right, 64 up, 128 down).",
  ),
  hostRow(
    16,
    "mouse",
    "input.mouseX",
    0,
    3,
    "( -- x y buttons)",
    "The mouse this frame (input.mouseX, input.mouseY, input.mouseButtons).",
  ),
  hostRow(17, "frame", "frame.count", 0, 1, "( -- n)", "Frames completed so far."),
  hostRow(
    18,
    "tone",
    "sound.tone",
    4,
    0,
    "(frequency duration volume flags -- )",
    "Play a tone (WASM-4 packing, see HOST_CALLS.md).",
  ),
]);

/** The host-call row for an id or name, or `undefined`. */
export function pixelHostCall(key: number | string): PixelHostCallSpec | undefined {
  return PIXELVM_HOST_CALLS.find((h) => (typeof key === "number" ? h.id === key : h.name === key));
}
