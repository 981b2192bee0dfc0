/**
 * `ProgramBuilder`: pxVM programs written in TypeScript. It writes assembly statements and
 * assembles them, so the builder, the text assembler and the disassembler can never disagree.
 *
 * @module
 */
import { assemblePxvm } from "./assembler.ts";
import { OPCODE_BY_NAME, SYSCALL_BY_NAME } from "./isa.ts";

/** A register index 0–7. */
export type Register = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A jump target: a label name or an address. */
export type Target = string | number;

/**
 * Builds a pxVM program.
 *
 * @example
 * ```ts
 * import { ProgramBuilder } from "@pxos/core";
 * const bytes = new ProgramBuilder()
 *   .sysPrint(1)                 // "PXVM booting..."
 *   .sysLayer(3)                 // the seed's vm layer
 *   .sysRect(100, 100, 400, 300, 1)
 *   .halt()
 *   .build();
 * console.log(bytes.length > 0);
 * ```
 */
export class ProgramBuilder {
  #lines: string[] = [];
  #header: string | undefined;

  /** Writes an 8-byte header whose entry is `entry` (a label or address). */
  header(entry: Target): this {
    this.#header = String(entry);
    return this;
  }

  /** Places a label at the current address. */
  label(name: string): this {
    if (!/^[A-Za-z_.$][\w.$]*$/.test(name)) throw new TypeError(`bad label name ${name}`);
    this.#lines.push(`${name}:`);
    return this;
  }

  /** Any instruction by mnemonic; operands are registers (numbers), values or labels. */
  op(mnemonic: string, ...operands: (number | string)[]): this {
    const spec = OPCODE_BY_NAME.get(mnemonic.toUpperCase());
    if (!spec) throw new TypeError(`unknown mnemonic ${mnemonic}`);
    const text = operands.map((v, i) => (spec.operands[i] === "reg" ? `R${v}` : String(v)));
    this.#lines.push(`    ${spec.mnemonic} ${text.join(", ")}`.trimEnd());
    return this;
  }

  /** `HALT`. */
  halt(): this {
    return this.op("HALT");
  }

  /** `IMM8 reg, value`. */
  imm8(reg: Register, value: number): this {
    return this.op("IMM8", reg, value);
  }

  /** `IMM32 reg, value` (a number or a label's address). */
  imm32(reg: Register, value: number | string): this {
    return this.op("IMM32", reg, value);
  }

  /** `MOV dst, src`. */
  mov(dst: Register, src: Register): this {
    return this.op("MOV", dst, src);
  }

  /** `ADD d, a, b`. */
  add(d: Register, a: Register, b: Register): this {
    return this.op("ADD", d, a, b);
  }

  /** `SUB d, a, b`. */
  sub(d: Register, a: Register, b: Register): this {
    return this.op("SUB", d, a, b);
  }

  /** `ADDI d, value`. */
  addi(d: Register, value: number): this {
    return this.op("ADDI", d, value);
  }

  /** `CMP a, b`. */
  cmp(a: Register, b: Register): this {
    return this.op("CMP", a, b);
  }

  /** `JMP target`. */
  jmp(target: Target): this {
    return this.op("JMP", target);
  }

  /** `JNZ reg, target`. */
  jnz(reg: Register, target: Target): this {
    return this.op("JNZ", reg, target);
  }

  /** `JZ reg, target`. */
  jz(reg: Register, target: Target): this {
    return this.op("JZ", reg, target);
  }

  /** `CALL target`. */
  call(target: Target): this {
    return this.op("CALL", target);
  }

  /** `RET`. */
  ret(): this {
    return this.op("RET");
  }

  /** `SYSCALL n` by number or name (`"RECT_ID"`). */
  syscall(num: number | string): this {
    if (typeof num === "string" && !SYSCALL_BY_NAME.has(num.toUpperCase())) {
      throw new TypeError(`unknown syscall ${num}`);
    }
    return this.op("SYSCALL", num);
  }

  /** Seed `PRINT_ID`: prints seed message `id`. */
  sysPrint(id: number): this {
    return this.imm32(1, id).syscall("PRINT_ID");
  }

  /** Seed `LAYER_USE_ID`: draw on seed layer `id` (1 background … 4 overlay). */
  sysLayer(id: number): this {
    return this.imm32(1, id).syscall("LAYER_USE_ID");
  }

  /** Seed `RECT_ID`: a filled rectangle in seed colour `colorId`. */
  sysRect(x: number, y: number, w: number, h: number, colorId: number): this {
    return this.imm32(1, x).imm32(2, y).imm32(3, w).imm32(4, h).imm32(5, colorId)
      .syscall("RECT_ID");
  }

  /** Seed `TEXT_ID`: seed message `msgId` at (x, y) in seed colour `colorId`. */
  sysText(x: number, y: number, colorId: number, msgId: number): this {
    return this.imm32(1, x).imm32(2, y).imm32(3, colorId).imm32(4, msgId).syscall("TEXT_ID");
  }

  /** v0.2 `RECT` with a packed 0xRRGGBBAA colour. */
  sysRectRgba(x: number, y: number, w: number, h: number, rgba: number): this {
    return this.imm32(1, x).imm32(2, y).imm32(3, w).imm32(4, h).imm32(5, rgba | 0)
      .syscall("RECT");
  }

  /** v0.2 `PRESENT`: end the frame. */
  present(): this {
    return this.syscall("PRESENT");
  }

  /** UTF-8 bytes at a label (place data after the code, e.g. after `halt()`). */
  string(label: string, text: string): this {
    this.label(label);
    this.#lines.push(`    .string ${JSON.stringify(text)}`);
    return this;
  }

  /** Raw bytes. */
  bytes(values: readonly number[]): this {
    if (values.length > 0) this.#lines.push(`    .byte ${values.join(", ")}`);
    return this;
  }

  /** The program as assembly text. */
  toAssembly(): string {
    const head = this.#header === undefined ? [] : [`.header ${this.#header}`];
    return [...head, ...this.#lines].join("\n") + "\n";
  }

  /** Assembles the program; throws `PxosError` `E_ASSEMBLE` on a bad operand or label. */
  build(): Uint8Array {
    return assemblePxvm(this.toAssembly(), "<ProgramBuilder>");
  }
}
