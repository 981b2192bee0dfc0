/**
 * pxVM assembly emission for the pxVM backend: the x86 register file and operand access.
 *
 * x86 registers live in a small register file in pxVM memory (little-endian, so AL and AH are
 * the two bytes of AX exactly as on x86); pxVM's R0–R5 are working registers, R6 and R7 hold the
 * two values the last flag-setting instruction compared (sign-extended to 32 bits, so a signed
 * pxVM `CMP` gives x86's signed conditions and `CMPU` its unsigned ones).
 *
 * @module
 */
import type { IrExpr, IrOperand } from "../ast.ts";
import { REGISTER_BY_NAME } from "../isa.ts";
import { instructionLength, OPCODE_BY_NAME } from "../../engines/pxvm/isa.ts";

/** Address of the x86 register file in pxVM memory (AX, CX, DX, BX, SP, BP, SI, DI, ES, CS, SS, DS). */
export const REGISTER_FILE = 0xefe0;
/** Where x86's SP starts (just below the register file; pxVM's own stack is at the top). */
export const INITIAL_SP = REGISTER_FILE;
/** Where pxVM code and data must end: below the x86 stack's reach. */
export const IMAGE_LIMIT = 0xe000;

/** pxVM address of an x86 register (8-bit high halves are the byte after the low half). */
export function registerAddress(name: string): number {
  const r = REGISTER_BY_NAME.get(name)!;
  if (r.segment) return REGISTER_FILE + 16 + 2 * r.code;
  if (r.size === 16) return REGISTER_FILE + 2 * r.code;
  return REGISTER_FILE + 2 * (r.code & 3) + (r.code >> 2);
}

/** A pxVM register operand. */
export type R = "R0" | "R1" | "R2" | "R3" | "R4" | "R5" | "R6" | "R7";

/** Collects pxVM assembly lines and tracks the address of each. */
export class PxvmEmitter {
  /** The assembly text lines. */
  readonly lines: string[] = [];
  /** Bytes emitted so far (the next address). */
  address = 0;
  /** Addresses of labels defined so far. */
  readonly labels: Map<string, number> = new Map();
  #temp = 0;

  /** Emits one instruction. */
  ins(mnemonic: string, ...operands: (string | number)[]): void {
    this.lines.push(`    ${mnemonic}${operands.length ? ` ${operands.join(", ")}` : ""}`);
    this.address += instructionLength(OPCODE_BY_NAME.get(mnemonic)!);
  }

  /** Defines a label here. */
  label(name: string): void {
    this.lines.push(`${name}:`);
    this.labels.set(name, this.address);
  }

  /** Raw bytes. */
  bytes(values: readonly number[]): void {
    for (let i = 0; i < values.length; i += 32) {
      this.lines.push(`    .byte ${values.slice(i, i + 32).join(", ")}`);
    }
    this.address += values.length;
  }

  /** A fresh internal label. */
  temp(): string {
    return `__pxi_t${this.#temp++}`;
  }

  /** `d = value of expr` (a label address plus offset, or a number). */
  constant(d: R, expr: IrExpr, here: string): void {
    if (expr.label === undefined) {
      this.ins("IMM32", d, expr.offset | 0);
      return;
    }
    this.ins("IMM32", d, expr.label === "$" ? here : userLabel(expr.label));
    if (expr.offset !== 0) this.ins("ADDI", d, expr.offset);
  }

  /** `d = sign-extend(s) from size bits`. */
  signExtend(d: R, s: R, size: 8 | 16): void {
    this.ins("IMM8", "R0", 32 - size);
    this.ins("SHL", d, s, "R0");
    this.ins("SAR", d, d, "R0");
  }

  /** `d = d & 0xFFFF` (addresses wrap at 64 KiB like x86 offsets). */
  wrap16(d: R): void {
    this.ins("IMM32", "R0", 0xffff);
    this.ins("AND", d, d, "R0");
  }

  /** `d = the effective address of a memory operand` (uses `t` as scratch). */
  address16(d: R, t: R, op: Extract<IrOperand, { kind: "mem" }>, here: string): void {
    if (op.base === undefined && op.index === undefined) {
      this.constant(d, op.disp, here);
      return;
    }
    this.loadRegister(d, op.base ?? op.index!);
    if (op.base !== undefined && op.index !== undefined) {
      this.loadRegister(t, op.index);
      this.ins("ADD", d, d, t);
    }
    if (op.disp.label !== undefined) {
      this.constant(t, op.disp, here);
      this.ins("ADD", d, d, t);
    } else if (op.disp.offset !== 0) this.ins("ADDI", d, op.disp.offset);
    this.wrap16(d);
  }

  /** `d = x86 register` (zero-extended). */
  loadRegister(d: R, name: string): void {
    this.ins("IMM32", d, registerAddress(name));
    this.ins(REGISTER_BY_NAME.get(name)!.size === 8 ? "LOAD8" : "LOAD16", d, d);
  }

  /** `x86 register = low bits of s` (uses `t` as scratch). */
  storeRegister(name: string, s: R, t: R): void {
    this.ins("IMM32", t, registerAddress(name));
    this.ins(REGISTER_BY_NAME.get(name)!.size === 8 ? "STORE8" : "STORE16", t, s);
  }

  /** `d = operand` (size bits, zero-extended); `t` is scratch for addresses. */
  load(d: R, t: R, op: IrOperand, size: 8 | 16, here: string): void {
    if (op.kind === "reg") this.loadRegister(d, op.name);
    else if (op.kind === "imm") {
      if (op.value.label !== undefined) this.constant(d, op.value, here);
      else this.ins("IMM32", d, op.value.offset & (size === 8 ? 0xff : 0xffff));
    } else {
      this.address16(d, t, op, here);
      this.ins(size === 8 ? "LOAD8" : "LOAD16", d, d);
    }
  }

  /** `operand = low bits of s`; `t` and `u` are scratch. */
  store(op: IrOperand, s: R, size: 8 | 16, t: R, u: R, here: string): void {
    if (op.kind === "reg") this.storeRegister(op.name, s, t);
    else if (op.kind === "mem") {
      this.address16(t, u, op, here);
      this.ins(size === 8 ? "STORE8" : "STORE16", t, s);
    }
  }

  /** Flags from a comparison of a with b (CMP, SUB). */
  flagsCompare(a: R, b: R, size: 8 | 16): void {
    this.signExtend("R6", a, size);
    this.signExtend("R7", b, size);
  }

  /** Flags from a result (compared with 0). */
  flagsResult(r: R, size: 8 | 16): void {
    this.signExtend("R6", r, size);
    this.ins("IMM8", "R7", 0);
  }

  /** Adds `delta` to a 16-bit x86 register, wrapping. */
  bump(name: string, delta: number): void {
    this.loadRegister("R4", name);
    this.ins("ADDI", "R4", delta);
    this.storeRegister(name, "R4", "R5");
  }
}

/** The pxVM label for a user label (a prefix keeps them apart from internal names). */
export function userLabel(name: string): string {
  return `u.${name}`;
}
