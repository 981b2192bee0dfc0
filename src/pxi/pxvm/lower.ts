/**
 * Lowers one checked PXI instruction to pxVM assembly (see `emitter.ts` for the machine model).
 * Convention inside one instruction: R1 = the destination's value, R2 = the source's, R3–R5 are
 * scratch, R0 is the count/mask register of the emitter helpers.
 *
 * @module
 */
import type { IrOperand } from "../ast.ts";
import type { CheckedStatement } from "../check.ts";
import { INSTRUCTION_BY_OP, REGISTER_BY_NAME } from "../isa.ts";
import { type PxvmEmitter, type R, registerAddress, userLabel } from "./emitter.ts";

type Ins = Extract<CheckedStatement, { kind: "ins" }>;

/** Raised for an x86 form pxVM cannot express; the backend reports it with the place. */
export class NotOnPxvm extends Error {}

/** The width an instruction works on (forms were checked already, so one is known or 16). */
function widthOf(ops: readonly IrOperand[]): 8 | 16 {
  for (const op of ops) {
    if (op.kind === "reg") return REGISTER_BY_NAME.get(op.name)!.size;
    if (op.kind === "mem" && op.size !== undefined) return op.size;
  }
  return 16;
}

const ALU: Record<string, string> = { ADD: "ADD", SUB: "SUB", AND: "AND", OR: "OR", XOR: "XOR" };

/** Instructions after which R6/R7 give the carry exactly: compares, and logic (CF = 0). */
const CARRY_EXACT = new Set(["CMP", "SUB", "AND", "OR", "XOR", "TEST"]);
/** Flag-setting instructions whose carry pxVM does not model. */
const CARRY_INEXACT = new Set(["ADD", "INC", "DEC", "NEG", "SHL", "SHR", "SAR"]);

/**
 * Which instruction last set the flags in straight-line code, so a carry condition after one
 * whose carry pxVM does not model is refused at compile time rather than run wrong. After a
 * label or a call the source is unknown and the condition is allowed (the docs say so).
 */
export class FlagSource {
  #last: string | undefined;

  /** Forgets the source (a label can be reached from elsewhere; a call may change flags). */
  unknown(): void {
    this.#last = undefined;
  }

  /** Checks a conditional jump against the last flag-setter, then records `op` if it sets flags. */
  check(op: string): void {
    if (
      INSTRUCTION_BY_OP.get(op)?.condition?.compare === "CMPU" && this.#last !== undefined &&
      CARRY_INEXACT.has(this.#last)
    ) {
      throw new NotOnPxvm(
        `${op} after ${this.#last} cannot be expressed on pxVM: it models the carry only after CMP, SUB and logic; compare first (CMP)`,
      );
    }
    if (CARRY_EXACT.has(op) || CARRY_INEXACT.has(op)) this.#last = op;
    else if (op === "CALL" || op === "INT") this.unknown();
  }
}

/** Prints the byte in AL through pxVM's PRINT syscall (AL is the first byte of the register file). */
export function printAl(e: PxvmEmitter): void {
  e.ins("IMM32", "R1", registerAddress("AL"));
  e.ins("IMM8", "R2", 1);
  e.ins("SYSCALL", "PRINT");
}

/** Emits the pxVM code of one instruction. `here` labels its first byte (for `$`). */
export function lowerInstruction(e: PxvmEmitter, ins: Ins, here: string): void {
  const { spec, operands: ops } = ins;
  if (!spec.pxvm.supported) {
    throw new NotOnPxvm(`${spec.op} cannot be expressed on pxVM: ${spec.pxvm.reason}`);
  }
  const [a, b] = ops;
  const size = widthOf(ops);
  const op = spec.op;
  if (ins.prefix !== undefined) {
    // REP: while CX != 0 { body; CX -= 1 }
    const top = e.temp();
    const end = e.temp();
    e.label(top);
    e.loadRegister("R1", "CX");
    e.ins("JZ", "R1", end);
    lowerString(e, op);
    e.bump("CX", -1);
    e.ins("JMP", top);
    e.label(end);
    return;
  }
  if (op in ALU || op === "CMP" || op === "TEST") {
    e.load("R1", "R3", a, size, here);
    e.load("R2", "R3", b, size, here);
    if (op === "CMP" || op === "SUB") e.flagsCompare("R1", "R2", size);
    if (op === "CMP") return;
    e.ins(op === "TEST" ? "AND" : ALU[op], "R1", "R1", "R2");
    if (op !== "SUB") e.flagsResult("R1", size);
    if (op !== "TEST") e.store(a, "R1", size, "R3", "R4", here);
    return;
  }
  if (spec.condition) {
    const { compare, jump } = spec.condition;
    if (compare === "SIGN") {
      e.ins("IMM8", "R5", 0);
      e.ins("CMP", "R6", "R5");
    } else e.ins(compare, "R6", "R7");
    e.ins(jump, target(a, here));
    return;
  }
  switch (op) {
    case "MOV":
      e.load("R2", "R3", b, size, here);
      e.store(a, "R2", size, "R3", "R4", here);
      return;
    case "LEA":
      if (b.kind !== "mem") return;
      e.address16("R2", "R3", b, here);
      e.store(a, "R2", 16, "R3", "R4", here);
      return;
    case "INC":
    case "DEC":
      e.load("R1", "R3", a, size, here);
      e.ins("ADDI", "R1", op === "INC" ? 1 : -1);
      e.flagsResult("R1", size);
      e.store(a, "R1", size, "R3", "R4", here);
      return;
    case "NOT":
    case "NEG":
      e.load("R1", "R3", a, size, here);
      if (op === "NOT") e.ins("NOT", "R1", "R1");
      else {
        e.ins("IMM8", "R2", 0);
        e.ins("SUB", "R1", "R2", "R1");
        e.flagsResult("R1", size);
      }
      e.store(a, "R1", size, "R3", "R4", here);
      return;
    case "MUL":
    case "IMUL":
      lowerMultiply(e, a, size, op === "IMUL", here);
      return;
    case "DIV":
    case "IDIV":
      lowerDivide(e, a, size, op === "IDIV", here);
      return;
    case "CBW":
    case "CWD":
      e.loadRegister("R1", op === "CBW" ? "AL" : "AX");
      e.signExtend("R1", "R1", op === "CBW" ? 8 : 16);
      if (op === "CWD") {
        e.ins("IMM8", "R0", 16);
        e.ins("SAR", "R1", "R1", "R0");
      }
      e.storeRegister(op === "CBW" ? "AX" : "DX", "R1", "R3");
      return;
    case "SHL":
    case "SHR":
    case "SAR": {
      e.load("R1", "R3", a, size, here);
      if (b.kind === "imm") e.ins("IMM8", "R2", b.value.offset & 31);
      else {
        e.loadRegister("R2", "CL");
        e.ins("IMM8", "R0", 31);
        e.ins("AND", "R2", "R2", "R0");
      }
      if (op === "SAR") e.signExtend("R1", "R1", size);
      e.ins(op, "R1", "R1", "R2");
      e.flagsResult("R1", size);
      e.store(a, "R1", size, "R3", "R4", here);
      return;
    }
    case "JMP":
      e.ins("JMP", target(a, here));
      return;
    case "LOOP":
      e.bump("CX", -1);
      e.loadRegister("R1", "CX");
      e.ins("JNZ", "R1", target(a, here));
      return;
    case "JCXZ":
      e.loadRegister("R1", "CX");
      e.ins("JZ", "R1", target(a, here));
      return;
    case "CALL":
      pushWord(e, "R2", true);
      e.ins("CALL", target(a, here));
      return;
    case "RET":
      e.bump("SP", 2 + (a?.kind === "imm" ? a.value.offset : 0));
      e.ins("RET");
      return;
    case "PUSH":
      e.load("R2", "R3", a, 16, here);
      pushWord(e, "R2", false);
      return;
    case "POP":
      e.loadRegister("R3", "SP");
      e.ins("LOAD16", "R2", "R3");
      e.bump("SP", 2);
      e.store(a, "R2", 16, "R3", "R4", here);
      return;
    case "INT": {
      if (a.kind !== "imm" || a.value.label !== undefined || a.value.offset !== 0x10) {
        throw new NotOnPxvm(
          `INT ${
            a.kind === "imm" ? a.value.offset : "?"
          } cannot be expressed on pxVM: only INT 0x10 (AH = 0x0E, teletype) is`,
        );
      }
      const skip = e.temp();
      e.loadRegister("R1", "AH");
      e.ins("IMM8", "R2", 0x0e);
      e.ins("CMP", "R1", "R2");
      e.ins("JNE", skip);
      printAl(e);
      e.label(skip);
      return;
    }
    case "OUT":
      if (a.kind !== "imm" || a.value.offset !== 0xf4 || b.kind !== "reg" || b.name !== "AL") {
        throw new NotOnPxvm("OUT cannot be expressed on pxVM except OUT 0xF4, AL (exit with AL)");
      }
      e.loadRegister("R1", "AL");
      e.ins("SYSCALL", "EXIT");
      return;
    case "HLT":
      e.ins("HALT");
      return;
    case "CLI":
    case "STI":
    case "CLD":
    case "NOP":
      e.ins("NOP");
      return;
    default:
      lowerString(e, op);
  }
}

function target(op: IrOperand, here: string): string {
  if (op.kind !== "imm" || op.value.label === undefined || op.value.offset !== 0) {
    throw new NotOnPxvm("a jump target on pxVM must be a label (without an offset)");
  }
  return op.value.label === "$" ? here : userLabel(op.value.label);
}

/** SP -= 2; [SP] = value (zero for a call's return slot: pxVM keeps the real return address). */
function pushWord(e: PxvmEmitter, value: R, zero: boolean): void {
  if (zero) e.ins("IMM8", value, 0);
  e.bump("SP", -2);
  e.loadRegister("R3", "SP");
  e.ins("STORE16", "R3", value);
}

function lowerMultiply(
  e: PxvmEmitter,
  src: IrOperand,
  size: 8 | 16,
  signed: boolean,
  here: string,
): void {
  e.loadRegister("R1", size === 8 ? "AL" : "AX");
  e.load("R2", "R3", src, size, here);
  if (signed) {
    e.signExtend("R1", "R1", size);
    e.signExtend("R2", "R2", size);
  }
  e.ins("MUL", "R1", "R1", "R2");
  e.storeRegister("AX", "R1", "R3");
  if (size === 16) {
    e.ins("IMM8", "R0", 16);
    e.ins("SHR", "R2", "R1", "R0");
    e.storeRegister("DX", "R2", "R3");
  }
}

function lowerDivide(
  e: PxvmEmitter,
  src: IrOperand,
  size: 8 | 16,
  signed: boolean,
  here: string,
): void {
  if (size === 8) {
    e.loadRegister("R1", "AX");
    if (signed) e.signExtend("R1", "R1", 16);
  } else {
    // DX:AX as one 32-bit value (signed for IDIV; DIV needs it below 2^31, as documented).
    e.loadRegister("R1", "DX");
    e.ins("IMM8", "R0", 16);
    e.ins("SHL", "R1", "R1", "R0");
    e.loadRegister("R3", "AX");
    e.ins("OR", "R1", "R1", "R3");
  }
  e.load("R2", "R3", src, size, here);
  if (signed) e.signExtend("R2", "R2", size);
  e.ins("DIV", "R3", "R1", "R2");
  e.ins("MOD", "R4", "R1", "R2");
  e.storeRegister(size === 8 ? "AL" : "AX", "R3", "R5");
  e.storeRegister(size === 8 ? "AH" : "DX", "R4", "R5");
}

/** LODS/STOS/MOVS once (the direction flag is always clear on pxVM). */
function lowerString(e: PxvmEmitter, op: string): void {
  const size = op.endsWith("W") ? 16 : 8;
  const acc = size === 8 ? "AL" : "AX";
  const load = size === 8 ? "LOAD8" : "LOAD16";
  const store = size === 8 ? "STORE8" : "STORE16";
  if (op.startsWith("LODS")) {
    e.loadRegister("R3", "SI");
    e.ins(load, "R1", "R3");
    e.storeRegister(acc, "R1", "R4");
    e.bump("SI", size / 8);
  } else if (op.startsWith("STOS")) {
    e.loadRegister("R1", acc);
    e.loadRegister("R3", "DI");
    e.ins(store, "R3", "R1");
    e.bump("DI", size / 8);
  } else if (op.startsWith("MOVS")) {
    e.loadRegister("R3", "SI");
    e.ins(load, "R1", "R3");
    e.loadRegister("R3", "DI");
    e.ins(store, "R3", "R1");
    e.bump("SI", size / 8);
    e.bump("DI", size / 8);
  } else throw new NotOnPxvm(`${op} has no pxVM lowering`);
}
