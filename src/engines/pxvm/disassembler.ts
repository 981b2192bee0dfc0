/**
 * pxVM disassembler: bytes → assembly text that `assemble()` turns back into the same bytes.
 * Bytes that are no valid instruction (unknown opcodes, a truncated tail, a register above R7)
 * come out as `.byte` lines, so the round trip holds for any input.
 *
 * @module
 */
import { type DecodedInstruction, decodeInstructions, hex2, hex4, readHeader } from "./decode.ts";
import { SYSCALL_BY_NUM } from "./isa.ts";

/**
 * One instruction as assembly text (no label, no indentation).
 *
 * @param ins the decoded instruction
 * @param labelFor names a jump target address, or `undefined` to print it as a number
 */
export function formatInstruction(
  ins: DecodedInstruction,
  labelFor: ((addr: number) => string | undefined) | undefined,
): string {
  if (!ins.spec || ins.problem) return byteLine(ins);
  const parts = ins.spec.operands.map((kind, i) => {
    const v = ins.operands[i];
    switch (kind) {
      case "reg":
        return `R${v}`;
      case "addr":
        return labelFor?.(v) ?? `0x${hex4(v)}`;
      case "sys":
        return SYSCALL_BY_NUM.get(v)?.name ?? String(v);
      default:
        return String(v);
    }
  });
  return parts.length ? `${ins.spec.mnemonic} ${parts.join(", ")}` : ins.spec.mnemonic;
}

/** The raw bytes of an instruction the assembler could not express otherwise. */
function byteLine(ins: DecodedInstruction): string {
  const bytes = ins.spec && !ins.problem ? [] : rawBytes(ins);
  return `.byte ${bytes.map((b) => `0x${hex2(b)}`).join(", ")}`;
}

function rawBytes(ins: DecodedInstruction): number[] {
  if (!ins.spec) return [...ins.operands];
  const out = [ins.spec.opcode];
  ins.spec.operands.forEach((kind, i) => {
    const v = ins.operands[i];
    if (kind === "i32") out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    else if (kind === "addr") out.push(v & 0xff, (v >>> 8) & 0xff);
    else out.push(v);
  });
  return out;
}

/**
 * Disassembles a `.pxvm` file (with or without header). Never throws: a bad header is shown as
 * `.byte` data of a bare program.
 *
 * @example
 * ```ts
 * import { assemblePxvm, disassemblePxvm } from "@pxos/core";
 * const bytes = assemblePxvm("IMM8 R1, 1\nSYSCALL PRINT_ID\nHALT\n");
 * console.log(disassemblePxvm(bytes));
 * ```
 */
export function disassemblePxvm(bytes: Uint8Array): string {
  let image = bytes;
  let entry: number | undefined;
  try {
    const h = readHeader(bytes, "");
    image = h.image;
    if (h.hasHeader) entry = h.entry;
  } catch {
    image = bytes;
  }
  const instructions = decodeInstructions(image);
  const boundaries = new Set(instructions.map((i) => i.pc));
  boundaries.add(image.length);
  const targets = new Set<number>();
  for (const ins of instructions) {
    if (!ins.spec || ins.problem) continue;
    ins.spec.operands.forEach((kind, i) => {
      if (kind === "addr" && boundaries.has(ins.operands[i])) targets.add(ins.operands[i]);
    });
  }
  if (entry !== undefined && boundaries.has(entry)) targets.add(entry);
  const labelFor = (addr: number) => (targets.has(addr) ? `L_${hex4(addr)}` : undefined);
  const lines = [`; pxVM disassembly: ${image.length} bytes`];
  if (entry !== undefined) lines.push(`.header ${labelFor(entry) ?? `0x${hex4(entry)}`}`);
  for (const ins of instructions) {
    const label = labelFor(ins.pc);
    if (label) lines.push(`${label}:`);
    lines.push(`    ${formatInstruction(ins, labelFor).padEnd(28)} ; ${hex4(ins.pc)}`);
  }
  const endLabel = labelFor(image.length);
  if (endLabel) lines.push(`${endLabel}:`);
  return lines.join("\n") + "\n";
}
