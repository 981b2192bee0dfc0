/**
 * pxVM disassembler: bytes → assembly text that `assemble()` turns back into the same bytes.
 * Bytes that are no valid instruction (unknown opcodes, a truncated tail, a register above R7)
 * come out as `.byte` lines, so the round trip holds for any input.
 *
 * @module
 */
import { locationDirectives, type SourceMap } from "../source_map.ts";
import { type DecodedInstruction, decodeReachable, hex2, hex4, readHeader } from "./decode.ts";
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

/** Data bytes as `.string` (runs of printable ASCII) and `.byte` lines (16 per line). */
function dataLines(bytes: Uint8Array, pc: number): { pc: number; text: string }[] {
  const out: { pc: number; text: string }[] = [];
  let i = 0;
  const printable = (b: number) => (b >= 0x20 && b <= 0x7e) || b === 0x0a;
  while (i < bytes.length) {
    let run = i;
    while (run < bytes.length && printable(bytes[run])) run++;
    if (run - i >= 4) {
      const text = String.fromCharCode(...bytes.subarray(i, run));
      out.push({ pc: pc + i, text: `.string ${JSON.stringify(text)}` });
      i = run;
      continue;
    }
    const end = Math.min(bytes.length, i + 16, run > i ? run : bytes.length);
    let stop = i + 1;
    // Stop a .byte line where a printable run of 4+ starts.
    while (stop < end) {
      let r = stop;
      while (r < bytes.length && printable(bytes[r])) r++;
      if (r - stop >= 4) break;
      stop++;
    }
    const part = Array.from(bytes.subarray(i, stop), (b) => `0x${hex2(b)}`).join(", ");
    out.push({ pc: pc + i, text: `.byte ${part}` });
    i = stop;
  }
  return out;
}

/**
 * Disassembles a `.pxvm` file (with or without header): the code reachable from the entry as
 * instructions, everything else as data. Never throws: a program that fails verification comes
 * out as data only, which still assembles back to the same bytes.
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
  let sourceMap: SourceMap | undefined;
  try {
    const h = readHeader(bytes, "");
    image = h.image;
    if (h.hasHeader) entry = h.entry;
    sourceMap = h.sourceMap;
  } catch {
    image = bytes;
  }
  let instructions: DecodedInstruction[] = [];
  try {
    instructions = decodeReachable(image, entry ?? 0);
  } catch {
    instructions = [];
  }
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
  // The user's labels (a debug section's) where rows start; generated ones at other targets.
  const userLabels = new Map<number, string[]>();
  for (const l of sourceMap?.labels ?? []) {
    if (l.offset > image.length || (!boundaries.has(l.offset) && isInside(l.offset))) {
      continue;
    }
    userLabels.set(l.offset, [...userLabels.get(l.offset) ?? [], l.name]);
  }
  function isInside(addr: number): boolean {
    return instructions.some((i) => addr > i.pc && addr < i.pc + i.length);
  }
  const labelFor = (addr: number) =>
    userLabels.get(addr)?.[0] ?? (targets.has(addr) ? `L_${hex4(addr)}` : undefined);
  const where = locationDirectives(sourceMap);
  // Data runs split where a label or a source line starts, so both can be restated there.
  const cuts = [...new Set([...userLabels.keys(), ...where.keys()])].sort((a, b) => a - b);
  const data = (from: number, to: number) => {
    const out: { pc: number; text: string }[] = [];
    for (const cut of [...cuts.filter((c) => c > from && c < to), to]) {
      out.push(...dataLines(image.subarray(from, cut), from));
      from = cut;
    }
    return out;
  };
  const rows: { pc: number; text: string }[] = [];
  let at = 0;
  for (const ins of instructions) {
    if (ins.pc > at) rows.push(...data(at, ins.pc));
    rows.push({ pc: ins.pc, text: formatInstruction(ins, labelFor) });
    at = ins.pc + ins.length;
  }
  if (at < image.length) rows.push(...data(at, image.length));
  const lines = [`; pxVM disassembly: ${image.length} bytes`];
  if (entry !== undefined) lines.push(`.header ${labelFor(entry) ?? `0x${hex4(entry)}`}`);
  const labelsAt = (pc: number) => userLabels.get(pc) ?? (targets.has(pc) ? [`L_${hex4(pc)}`] : []);
  for (const row of rows) {
    for (const label of labelsAt(row.pc)) lines.push(`${label}:`);
    for (const directive of where.get(row.pc) ?? []) lines.push(`    ${directive}`);
    where.delete(row.pc); // once per offset, before the first row there
    lines.push(`    ${row.text.padEnd(28)} ; ${hex4(row.pc)}`);
  }
  for (const label of labelsAt(image.length)) lines.push(`${label}:`);
  return lines.join("\n") + "\n";
}
