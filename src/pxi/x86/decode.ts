/**
 * The x86 decoder for `pxos disasm --x86`: the forms the encoder emits, back to PXI text. The
 * mnemonics come from the instruction table (the row whose encoding has that digit, condition
 * code or fixed byte), so the encoder, the decoder and the docs share one source of truth.
 *
 * @module
 */
import {
  INSTRUCTIONS,
  type InstructionSpec,
  PREFIXES,
  REGISTERS,
  type X86Encoding,
} from "../isa.ts";

/** One decoded instruction. */
export interface DecodedX86 {
  /** Its length in bytes. */
  length: number;
  /** PXI text (`MOV AX, [BX+4]`), or `BYTE 0x..` for a byte that starts no known form. */
  text: string;
  /** Where a relative jump or call goes, when it is one. */
  target?: number;
}

const R16 = REGISTERS.filter((r) => r.size === 16 && !r.segment).map((r) => r.name);
const R8 = REGISTERS.filter((r) => r.size === 8).map((r) => r.name);
const SEG = REGISTERS.filter((r) => r.segment).map((r) => r.name);
const RM = ["BX+SI", "BX+DI", "BP+SI", "BP+DI", "SI", "DI", "BP", "BX"];

/** The first table row matching an encoding (JE before its alias JZ). */
function rowWhere(test: (x: X86Encoding) => boolean): InstructionSpec | undefined {
  return INSTRUCTIONS.find((r) => test(r.x86));
}
const byDigit = (kind: X86Encoding["kind"], digit: number) =>
  rowWhere((x) => x.kind === kind && "digit" in x && x.digit === digit)?.op;
const FIXED = new Map<number, string>();
for (const r of INSTRUCTIONS) if (r.x86.kind === "fixed") FIXED.set(r.x86.bytes[0], r.op);
const REPEATABLE = new Set(INSTRUCTIONS.filter((r) => r.repeatable).map((r) => r.op));
const PREFIX_NAME = new Map<number, string>([[PREFIXES.get("REP")!, "REP"], [
  PREFIXES.get("REPNE")!,
  "REPNE",
]]);

const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;
/** An immediate as text: small values in decimal, addresses and masks in hex. */
const imm = (n: number) => (n >= -256 && n < 256 ? String(n) : hex(n & 0xffff));
const s8 = (b: number) => (b << 24) >> 24;
const s16 = (w: number) => (w << 16) >> 16;

/**
 * Decodes the instruction at `offset` of `bytes` loaded at `origin`.
 *
 * @example
 * ```ts
 * import { decodeX86 } from "@pxos/core";
 * console.log(decodeX86(new Uint8Array([0x8b, 0x46, 0x04]), 0, 0).text); // "MOV AX, [BP+4]"
 * ```
 */
export function decodeX86(bytes: Uint8Array, offset: number, origin: number): DecodedX86 {
  let at = offset;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new RangeError("truncated");
  };
  const u8 = () => (need(1), bytes[at++]);
  const u16 = () => (need(2), at += 2, bytes[at - 2] | (bytes[at - 1] << 8));
  /** A ModRM byte: the reg field and the r/m operand text (`size` 8/16 for registers). */
  const modrm = (size: 8 | 16, sized: boolean) => {
    const m = u8();
    const mod = m >> 6;
    const reg = (m >> 3) & 7;
    const rm = m & 7;
    if (mod === 3) return { reg, text: (size === 8 ? R8 : R16)[rm], mem: false };
    let inner: string;
    if (mod === 0 && rm === 6) inner = hex(u16());
    else {
      const disp = mod === 1 ? s8(u8()) : mod === 2 ? s16(u16()) : 0;
      inner = RM[rm] + (disp === 0 && mod === 0 ? "" : disp < 0 ? `-${-disp}` : `+${disp}`);
    }
    const prefix = sized ? (size === 8 ? "BYTE " : "WORD ") : "";
    return { reg, text: `${prefix}[${inner}]`, mem: true };
  };
  const done = (text: string, target?: number): DecodedX86 => ({
    length: at - offset,
    text,
    ...(target !== undefined ? { target } : {}),
  });
  const jump = (op: string, rel: number) => {
    const target = (origin + at + rel) & 0xffff;
    return done(`${op} ${hex(target)}`, target);
  };
  try {
    let b = u8();
    let prefix = "";
    if (PREFIX_NAME.has(b) && REPEATABLE.has(FIXED.get(bytes[at]) ?? "")) {
      prefix = `${PREFIX_NAME.get(b)} `;
      b = u8();
    }
    if (b < 0x40 && (b & 7) < 6) {
      const op = byDigit("alu", b >> 3)!;
      const w = b & 1;
      const size = w ? 16 : 8;
      const regs = w ? R16 : R8;
      switch ((b >> 1) & 3) {
        case 0: {
          const m = modrm(size, false);
          return done(`${op} ${m.text}, ${regs[m.reg]}`);
        }
        case 1: {
          const m = modrm(size, false);
          return done(`${op} ${regs[m.reg]}, ${m.text}`);
        }
        default:
          return done(`${op} ${w ? "AX" : "AL"}, ${imm(w ? u16() : u8())}`);
      }
    }
    const seg = [0x06, 0x0e, 0x16, 0x1e, 0x07, 0x17, 0x1f].indexOf(b);
    if (seg >= 0) return done(`${b & 1 ? "POP" : "PUSH"} ${SEG[(b >> 3) & 3]}`);
    if (b >= 0x40 && b < 0x60) {
      return done(`${["INC", "DEC", "PUSH", "POP"][(b - 0x40) >> 3]} ${R16[b & 7]}`);
    }
    if (b === 0x68) return done(`PUSH ${imm(u16())}`);
    if (b === 0x6a) return done(`PUSH ${s8(u8())}`);
    if (b >= 0x70 && b < 0x80) {
      return jump(rowWhere((x) => x.kind === "jcc" && x.cc === (b & 15))?.op ?? "J?", s8(u8()));
    }
    if (b === 0x0f) {
      const c = u8();
      if (c >= 0x80 && c < 0x90) {
        return jump(rowWhere((x) => x.kind === "jcc" && x.cc === (c & 15))?.op ?? "J?", s16(u16()));
      }
      return { length: 1, text: `BYTE ${hex(0x0f)}` };
    }
    if (b >= 0x80 && b <= 0x83 && b !== 0x82) {
      const size = b === 0x80 ? 8 : 16;
      const m = modrm(size, true);
      const v = b === 0x81 ? u16() : b === 0x83 ? s8(u8()) : u8();
      return done(`${byDigit("alu", m.reg)} ${m.text}, ${imm(v)}`);
    }
    if (b === 0x84 || b === 0x85) {
      const m = modrm(b === 0x85 ? 16 : 8, false);
      return done(`TEST ${m.text}, ${(b === 0x85 ? R16 : R8)[m.reg]}`);
    }
    if (b >= 0x88 && b <= 0x8b) {
      const size = b & 1 ? 16 : 8;
      const m = modrm(size, false);
      const r = (size === 16 ? R16 : R8)[m.reg];
      return done(b & 2 ? `MOV ${r}, ${m.text}` : `MOV ${m.text}, ${r}`);
    }
    if (b === 0x8c || b === 0x8e) {
      const m = modrm(16, false);
      return done(
        b === 0x8e ? `MOV ${SEG[m.reg & 3]}, ${m.text}` : `MOV ${m.text}, ${SEG[m.reg & 3]}`,
      );
    }
    if (b === 0x8d) {
      const m = modrm(16, false);
      return done(`LEA ${R16[m.reg]}, ${m.text}`);
    }
    if (b === 0x8f) return done(`POP ${modrm(16, true).text}`);
    if (b >= 0xa0 && b <= 0xa3) {
      const acc = b & 1 ? "AX" : "AL";
      const mem = `[${hex(u16())}]`;
      return done(b & 2 ? `MOV ${mem}, ${acc}` : `MOV ${acc}, ${mem}`);
    }
    if (b === 0xa8) return done(`TEST AL, ${u8()}`);
    if (b === 0xa9) return done(`TEST AX, ${imm(u16())}`);
    if (b >= 0xb0 && b < 0xc0) {
      return done(b < 0xb8 ? `MOV ${R8[b & 7]}, ${u8()}` : `MOV ${R16[b & 7]}, ${imm(u16())}`);
    }
    if (b === 0xc0 || b === 0xc1 || (b >= 0xd0 && b <= 0xd3)) {
      const m = modrm(b & 1 ? 16 : 8, true);
      const count = b <= 0xc1 ? String(u8()) : b <= 0xd1 ? "1" : "CL";
      return done(`${byDigit("shift", m.reg) ?? "SH?"} ${m.text}, ${count}`);
    }
    if (b === 0xc2) return done(`RET ${imm(u16())}`);
    if (b === 0xc3) return done("RET");
    if (b === 0xc6 || b === 0xc7) {
      const m = modrm(b === 0xc7 ? 16 : 8, true);
      return done(`MOV ${m.text}, ${imm(b === 0xc7 ? u16() : u8())}`);
    }
    if (b === 0xcd) return done(`INT ${hex(u8())}`);
    if (b === 0xe2 || b === 0xe3) {
      return jump(rowWhere((x) => x.kind === "short" && x.opcode === b)!.op, s8(u8()));
    }
    if (b >= 0xe4 && b <= 0xe7) {
      const acc = b & 1 ? "AX" : "AL";
      const port = hex(u8());
      return done(b & 2 ? `OUT ${port}, ${acc}` : `IN ${acc}, ${port}`);
    }
    if (b >= 0xec && b <= 0xef) {
      const acc = b & 1 ? "AX" : "AL";
      return done(b & 2 ? `OUT DX, ${acc}` : `IN ${acc}, DX`);
    }
    if (b === 0xe8) return jump("CALL", s16(u16()));
    if (b === 0xe9) return jump("JMP", s16(u16()));
    if (b === 0xeb) return jump("JMP", s8(u8()));
    if (b === 0xf6 || b === 0xf7) {
      const size = b === 0xf7 ? 16 : 8;
      const m = modrm(size, true);
      if (m.reg === 0) return done(`TEST ${m.text}, ${imm(size === 16 ? u16() : u8())}`);
      return done(`${byDigit("unary", m.reg) ?? "F6?"} ${m.text}`);
    }
    if (b === 0xfe || b === 0xff) {
      const m = modrm(b === 0xff ? 16 : 8, true);
      if (m.reg <= 1) return done(`${byDigit("incdec", m.reg)} ${m.text}`);
      if (b === 0xff && m.reg === 6) return done(`PUSH ${m.text}`);
      return { length: 1, text: `BYTE ${hex(b)}` };
    }
    const fixed = FIXED.get(b);
    if (fixed !== undefined) return done(`${prefix}${fixed}`);
    return { length: 1, text: `BYTE ${hex(b)}` };
  } catch (e) {
    if (e instanceof RangeError) return { length: 1, text: `BYTE ${hex(bytes[offset])}` };
    throw e;
  }
}

/**
 * Decodes a whole range (a linear sweep), naming jump targets inside it `L_<addr>` so the text
 * assembles back.
 *
 * @example
 * ```ts
 * import { decodeX86Range } from "@pxos/core";
 * console.log(decodeX86Range(new Uint8Array([0xeb, 0xfe]), 0x7c00, 0, 2)[0].text); // "L_7C00: JMP L_7C00"
 * ```
 */
export function decodeX86Range(
  bytes: Uint8Array,
  origin: number,
  start: number,
  end: number,
): { offset: number; length: number; text: string }[] {
  const out: { offset: number; length: number; text: string; target?: number }[] = [];
  for (let at = start; at < end;) {
    const d = decodeX86(bytes.subarray(0, end), at, origin);
    out.push({ offset: at, ...d });
    at += d.length;
  }
  const starts = new Set(out.map((d) => origin + d.offset));
  const targets = new Set(
    out.filter((d) => d.target !== undefined && starts.has(d.target)).map((d) => d.target!),
  );
  const name = (addr: number) => `L_${addr.toString(16).toUpperCase()}`;
  return out.map((d) => {
    let text = d.text;
    if (d.target !== undefined && targets.has(d.target)) {
      text = text.replace(/0x[0-9A-F]+$/, name(d.target));
    }
    if (targets.has(origin + d.offset)) text = `${name(origin + d.offset)}: ${text}`;
    return { offset: d.offset, length: d.length, text };
  });
}
