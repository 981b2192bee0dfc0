/**
 * The x86 real-mode (16-bit) encoder: the only module that knows x86 opcodes. Each form is
 * encoded the way `nasm -f bin` (BITS 16, default optimisation) encodes it — the sign-extended
 * `83 /n ib` form when an immediate fits, the AL/AX short forms, `A0`–`A3` for the accumulator
 * with a direct address, disp8 when a displacement fits — which the NASM test checks form by
 * form.
 *
 * @module
 */
import type { IrExpr, IrOperand } from "../ast.ts";
import type { CheckedStatement } from "../check.ts";
import { PREFIXES, REGISTER_BY_NAME, type RegisterSpec } from "../isa.ts";

/** A form problem: the message and which operand (0-based) it is about. */
export class FormError extends Error {
  /** The operand the problem is about. */
  readonly operand?: number;
  constructor(message: string, operand?: number) {
    super(message);
    this.operand = operand;
  }
}

/** What the encoder needs to know about the layout. */
export interface EncodeContext {
  /** Address of this instruction. */
  address: number;
  /** A label's value, or undefined while the layout is not known yet. */
  value(label: string): number | undefined;
  /** True in the final pass: values are exact and ranges are enforced. */
  final: boolean;
  /** Use the long form of a relative jump (a jump once found long stays long: sizes only grow). */
  long?: boolean;
}

type Ins = Extract<CheckedStatement, { kind: "ins" }>;
type Mem = Extract<IrOperand, { kind: "mem" }>;

const RM_OF: Record<string, number> = {
  "BX+SI": 0,
  "BX+DI": 1,
  "BP+SI": 2,
  "BP+DI": 3,
  "+SI": 4,
  "+DI": 5,
  "BP+": 6,
  "BX+": 7,
};

const sext8 = (v: number) => ((v & 0xff) ^ 0x80) - 0x80;
const sext16 = (v: number) => ((v & 0xffff) ^ 0x8000) - 0x8000;
/**
 * NASM's choice of the sign-extended imm8 forms: a plain number (an expression with a label
 * always takes the full width) whose 16-bit value equals its low byte sign-extended.
 */
const short = (op: IrOperand, v: number) =>
  op.kind === "imm" && op.value.label === undefined && sext8(v) === sext16(v);
const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];

function regOf(op: IrOperand): RegisterSpec | undefined {
  return op.kind === "reg" ? REGISTER_BY_NAME.get(op.name) : undefined;
}

function evaluate(expr: IrExpr, ctx: EncodeContext): number {
  if (expr.label === undefined) return expr.offset;
  const base = expr.label === "$" ? ctx.address : ctx.value(expr.label);
  return (base ?? 0) + expr.offset;
}

/** Width of an operand in bits, when it has one. */
function sizeOf(op: IrOperand): 8 | 16 | undefined {
  if (op.kind === "reg") return regOf(op)!.size;
  if (op.kind === "mem") return op.size;
  return undefined;
}

/** The ModRM byte (+ displacement) for `reg` field `regField` and r/m operand `rm`. */
function modrm(regField: number, rm: IrOperand, ctx: EncodeContext): number[] {
  if (rm.kind === "reg") return [0xc0 | (regField << 3) | regOf(rm)!.code];
  if (rm.kind !== "mem") throw new FormError("expected a register or memory operand");
  const disp = evaluate(rm.disp, ctx);
  if (ctx.final && (disp < -0x8000 || disp > 0xffff)) {
    throw new FormError(`displacement ${disp} does not fit 16 bits`);
  }
  if (rm.base === undefined && rm.index === undefined) {
    return [0x06 | (regField << 3), ...le16(disp)];
  }
  const code = RM_OF[`${rm.base ?? ""}+${rm.index ?? ""}`];
  const s = sext16(disp);
  const bpAlone = rm.base === "BP" && rm.index === undefined;
  // Like NASM, a displacement that names a label always takes 16 bits (only numbers shrink).
  const constant = rm.disp.label === undefined;
  if (constant && s === 0 && !bpAlone) return [(regField << 3) | code];
  if (constant && s >= -128 && s <= 127) return [0x40 | (regField << 3) | code, s & 0xff];
  return [0x80 | (regField << 3) | code, ...le16(disp)];
}

function immediate(op: IrOperand, size: 8 | 16, ctx: EncodeContext, index: number): number {
  if (op.kind !== "imm") throw new FormError("expected a value", index);
  const v = evaluate(op.value, ctx);
  const [lo, hi] = size === 8 ? [-128, 255] : [-32768, 65535];
  if (ctx.final && (v < lo || v > hi)) {
    throw new FormError(`value ${v} does not fit ${size} bits (${lo}..${hi})`, index);
  }
  return v;
}

const imm8 = (v: number) => [v & 0xff];
const imm16 = (v: number) => le16(v);

/** The size both operands agree on; a size mismatch or an unknown size is an error. */
function operationSize(ops: IrOperand[], mnemonic: string): 8 | 16 {
  const sizes = ops.map(sizeOf);
  const known = sizes.filter((s) => s !== undefined);
  if (known.length === 2 && known[0] !== known[1]) {
    throw new FormError(
      `size mismatch: ${mnemonic} of ${known[0] === 8 ? "an" : "a"} ${known[0]}-bit and ${
        known[1] === 8 ? "an" : "a"
      } ${known[1]}-bit operand`,
      1,
    );
  }
  if (known.length === 0) {
    throw new FormError(`${mnemonic}: operand size not given; write BYTE [..] or WORD [..]`, 0);
  }
  return known[0]!;
}

function noSegment(ops: IrOperand[], mnemonic: string): void {
  ops.forEach((op, i) => {
    if (regOf(op)?.segment) {
      throw new FormError(
        `${mnemonic} does not take a segment register (only MOV, PUSH, POP do)`,
        i,
      );
    }
  });
}

function notMemMem(a: IrOperand, b: IrOperand, mnemonic: string): void {
  if (a.kind === "mem" && b.kind === "mem") {
    throw new FormError(`${mnemonic} cannot take two memory operands`, 1);
  }
}

function isDirect(op: IrOperand): op is Mem {
  return op.kind === "mem" && op.base === undefined && op.index === undefined;
}

function rel(target: number, end: number): number {
  return ((target - end) << 16) >> 16;
}

/**
 * Encodes one checked instruction at `ctx.address`. Throws {@link FormError} for forms x86
 * does not have.
 */
export function encodeX86(ins: Ins, ctx: EncodeContext): number[] {
  const prefix = ins.prefix !== undefined ? [PREFIXES.get(ins.prefix)!] : [];
  return [...prefix, ...encodeBody(ins, { ...ctx, address: ctx.address + prefix.length })];
}

function encodeBody(ins: Ins, ctx: EncodeContext): number[] {
  const x86 = ins.spec.x86;
  const ops = ins.operands;
  const m = ins.spec.op;
  const [a, b] = ops;
  switch (x86.kind) {
    case "fixed":
      return [...x86.bytes];
    case "mov":
      return encodeMov(a, b, ctx);
    case "alu": {
      noSegment(ops, m);
      notMemMem(a, b, m);
      if (a.kind === "imm") throw new FormError(`${m} cannot write to a value`, 0);
      const size = operationSize(ops, m);
      const w = size === 16 ? 1 : 0;
      const base = x86.digit * 8;
      if (b.kind === "reg") return [base + w, ...modrm(regOf(b)!.code, a, ctx)];
      if (b.kind === "mem") return [base + 2 + w, ...modrm(regOf(a)!.code, b, ctx)];
      const v = immediate(b, size, ctx, 1);
      const acc = regOf(a)?.code === 0;
      if (size === 8) {
        return acc ? [base + 4, ...imm8(v)] : [0x80, ...modrm(x86.digit, a, ctx), ...imm8(v)];
      }
      if (short(b, v)) return [0x83, ...modrm(x86.digit, a, ctx), ...imm8(v)];
      return acc ? [base + 5, ...imm16(v)] : [0x81, ...modrm(x86.digit, a, ctx), ...imm16(v)];
    }
    case "test": {
      noSegment(ops, m);
      notMemMem(a, b, m);
      if (a.kind === "imm") throw new FormError("TEST takes the value second", 0);
      const size = operationSize(ops, m);
      const w = size === 16 ? 1 : 0;
      if (b.kind === "reg") return [0x84 + w, ...modrm(regOf(b)!.code, a, ctx)];
      if (b.kind === "mem") return [0x84 + w, ...modrm(regOf(a)!.code, b, ctx)];
      const v = immediate(b, size, ctx, 1);
      const put = size === 8 ? imm8(v) : imm16(v);
      if (regOf(a)?.code === 0) return [0xa8 + w, ...put];
      return [0xf6 + w, ...modrm(0, a, ctx), ...put];
    }
    case "lea":
      if (regOf(a)?.size !== 16 || regOf(a)!.segment) {
        throw new FormError("LEA needs a 16-bit register first", 0);
      }
      if (b.kind !== "mem") throw new FormError("LEA needs a memory operand second", 1);
      return [0x8d, ...modrm(regOf(a)!.code, b, ctx)];
    case "incdec": {
      noSegment(ops, m);
      if (a.kind === "imm") throw new FormError(`${m} needs a register or memory operand`, 0);
      const size = operationSize(ops, m);
      if (a.kind === "reg" && size === 16) return [0x40 + x86.digit * 8 + regOf(a)!.code];
      return [size === 16 ? 0xff : 0xfe, ...modrm(x86.digit, a, ctx)];
    }
    case "unary": {
      noSegment(ops, m);
      if (a.kind === "imm") {
        throw new FormError(`${m} needs a register or memory operand, not a value`, 0);
      }
      return [operationSize(ops, m) === 16 ? 0xf7 : 0xf6, ...modrm(x86.digit, a, ctx)];
    }
    case "shift": {
      noSegment([a], m);
      if (a.kind === "imm") throw new FormError(`${m} needs a register or memory operand`, 0);
      const w = operationSize([a], m) === 16 ? 1 : 0;
      if (b.kind === "reg") {
        if (b.name !== "CL") {
          throw new FormError(`${m} counts by 1, CL or a number, not ${b.name}`, 1);
        }
        return [0xd2 + w, ...modrm(x86.digit, a, ctx)];
      }
      if (b.kind !== "imm") throw new FormError(`${m} counts by 1, CL or a number`, 1);
      const n = immediate(b, 8, ctx, 1);
      if (n === 1 && b.value.label === undefined) return [0xd0 + w, ...modrm(x86.digit, a, ctx)];
      return [0xc0 + w, ...modrm(x86.digit, a, ctx), ...imm8(n)];
    }
    case "push":
    case "pop":
      return encodeStack(x86.kind, a, ctx);
    case "jmp":
    case "jcc":
    case "short":
    case "call":
      return encodeJump(ins, ctx);
    case "ret":
      return a === undefined ? [0xc3] : [0xc2, ...imm16(immediate(a, 16, ctx, 0))];
    case "int":
      return [0xcd, ...imm8(immediate(a, 8, ctx, 0))];
    case "in":
    case "out": {
      const [port, acc, accIndex] = x86.kind === "in" ? [b, a, 0] : [a, b, 1];
      const accReg = regOf(acc);
      if (!accReg || accReg.code !== 0 || accReg.segment) {
        throw new FormError(`${m} moves AL or AX`, accIndex);
      }
      const w = accReg.size === 16 ? 1 : 0;
      const base = x86.kind === "in" ? 0xe4 : 0xe6;
      if (port.kind === "reg" && port.name === "DX") return [base + 8 + w];
      if (port.kind !== "imm") {
        throw new FormError(`${m} port is a number 0..255 or DX`, 1 - accIndex);
      }
      const p = evaluate(port.value, ctx);
      if (p < 0 || p > 255) {
        throw new FormError(`port ${p} is above 255: put it in DX`, 1 - accIndex);
      }
      return [base + w, p];
    }
  }
}

function encodeMov(a: IrOperand, b: IrOperand, ctx: EncodeContext): number[] {
  notMemMem(a, b, "MOV");
  const ra = regOf(a);
  const rb = regOf(b);
  if (ra?.segment || rb?.segment) {
    if (ra?.segment && rb?.segment) {
      throw new FormError("MOV between two segment registers is not an x86 form", 1);
    }
    const [seg, other, otherIndex] = ra?.segment ? [ra, b, 1] : [rb!, a, 0];
    if (other.kind === "imm") {
      throw new FormError(
        "a segment register is loaded from a register or memory, not a value",
        otherIndex,
      );
    }
    if (sizeOf(other) === 8) {
      throw new FormError("size mismatch: segment registers are 16-bit", otherIndex);
    }
    if (ra?.segment && ra.name === "CS") throw new FormError("MOV cannot load CS", 0);
    return [ra?.segment ? 0x8e : 0x8c, ...modrm(seg.code, other, ctx)];
  }
  if (a.kind === "imm") throw new FormError("MOV cannot write to a value", 0);
  const size = operationSize([a, b], "MOV");
  const w = size === 16 ? 1 : 0;
  if (rb) {
    if (ra === undefined && rb.code === 0 && isDirect(a)) {
      return [0xa2 + w, ...le16(evaluate(a.disp, ctx))];
    }
    return [0x88 + w, ...modrm(rb.code, a, ctx)];
  }
  if (b.kind === "mem") {
    if (ra!.code === 0 && isDirect(b)) return [0xa0 + w, ...le16(evaluate(b.disp, ctx))];
    return [0x8a + w, ...modrm(ra!.code, b, ctx)];
  }
  const v = immediate(b, size, ctx, 1);
  const put = size === 8 ? imm8(v) : imm16(v);
  if (ra) return [(size === 8 ? 0xb0 : 0xb8) + ra.code, ...put];
  return [0xc6 + w, ...modrm(0, a, ctx), ...put];
}

const PUSH_SEG: Record<string, number> = { ES: 0x06, CS: 0x0e, SS: 0x16, DS: 0x1e };
const POP_SEG: Record<string, number> = { ES: 0x07, SS: 0x17, DS: 0x1f };

function encodeStack(kind: "push" | "pop", a: IrOperand, ctx: EncodeContext): number[] {
  const name = kind.toUpperCase();
  const r = regOf(a);
  if (r?.segment) {
    const byte = (kind === "push" ? PUSH_SEG : POP_SEG)[r.name];
    if (byte === undefined) throw new FormError("POP CS is not an x86 form", 0);
    return [byte];
  }
  if (r) {
    if (r.size !== 16) throw new FormError(`${name} takes a 16-bit operand, not ${r.name}`, 0);
    return [(kind === "push" ? 0x50 : 0x58) + r.code];
  }
  if (a.kind === "mem") {
    if (a.size === 8) throw new FormError(`${name} takes a 16-bit operand, not BYTE [..]`, 0);
    return kind === "push" ? [0xff, ...modrm(6, a, ctx)] : [0x8f, ...modrm(0, a, ctx)];
  }
  if (kind === "pop") throw new FormError("POP needs a register or memory operand", 0);
  const v = immediate(a, 16, ctx, 0);
  return short(a, v) ? [0x6a, ...imm8(v)] : [0x68, ...imm16(v)];
}

function encodeJump(ins: Ins, ctx: EncodeContext): number[] {
  const x86 = ins.spec.x86;
  const [t] = ins.operands;
  if (t.kind !== "imm") {
    throw new FormError(`${ins.spec.op} takes a label (indirect jumps are not supported)`, 0);
  }
  const target = evaluate(t.value, ctx);
  const known = t.value.label === undefined || t.value.label === "$" ||
    ctx.value(t.value.label) !== undefined;
  const short = rel(target, ctx.address + 2);
  const reaches = known && short >= -128 && short <= 127 && target - (ctx.address + 2) === short;
  if (x86.kind === "call") return [0xe8, ...le16(rel(target, ctx.address + 3))];
  if (x86.kind === "short") {
    if (ctx.final && !reaches) {
      throw new FormError(
        `${ins.spec.op} reaches -128..127 bytes; the target is ${
          target - (ctx.address + 2)
        } bytes away`,
        0,
      );
    }
    return [x86.opcode, short & 0xff];
  }
  // Optimistic until the layout is known: short first, long where the final layout needs it.
  const cc = x86.kind === "jcc" ? x86.cc : -1;
  if (!ctx.long && (reaches || !known)) {
    return cc < 0 ? [0xeb, short & 0xff] : [0x70 + cc, short & 0xff];
  }
  if (cc < 0) return [0xe9, ...le16(rel(target, ctx.address + 3))];
  return [0x0f, 0x80 + cc, ...le16(rel(target, ctx.address + 4))];
}

/** Checks an instruction's operand form; returns the problem, or undefined when x86 has it. */
export function validateX86Form(ins: CheckedStatement): FormError | undefined {
  if (ins.kind !== "ins") return undefined;
  try {
    encodeX86(ins, { address: 0, value: () => 0, final: false });
    return undefined;
  } catch (e) {
    if (e instanceof FormError) return e;
    throw e;
  }
}
