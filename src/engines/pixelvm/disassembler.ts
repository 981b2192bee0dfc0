/**
 * The disassembler: `.pxi` → Pixel Assembly that assembles back to the same bytes. Jump targets
 * get labels (export names, else `L_<offset>`), data addresses get `D_<address>` labels, strings
 * are shown as literals. Bytes are verified first: nothing unverified is printed as code.
 *
 * @module
 */
import { opByCode, pixelHostCall } from "./isa.ts";
import { quoteBytes } from "./lexer.ts";
import { decodeModule, isValidName, type PixelModule } from "./module.ts";
import { locationDirectives } from "../source_map.ts";
import { readI32, verifyModule } from "./verifier.ts";

const INDENT = "        ";

/**
 * Disassembles `.pxi` bytes. Throws `E_VERIFY` for bytes the verifier refuses.
 *
 * @example
 * ```ts
 * import { disassemblePxi } from "@pxos/core";
 * console.log(disassemblePxi(new Uint8Array([0x01, 42, 0, 0, 0, 0x10, 0xff])));
 * ```
 */
export function disassemblePxi(bytes: Uint8Array, file?: string): string {
  const m = decodeModule(bytes, file);
  return disassembleModule(m, file);
}

/** Disassembles a decoded module (see {@link disassemblePxi}). */
export function disassembleModule(m: PixelModule, file?: string): string {
  const layout = verifyModule(m, file);
  const code = m.code;
  const used = new Set<string>();
  const codeLabels = new Map<number, string[]>();
  const addLabel = (map: Map<number, string[]>, at: number, name: string) => {
    const list = map.get(at) ?? [];
    list.push(name);
    map.set(at, list);
    used.add(name);
  };
  // The user's labels (the debug section's, in their order), then exports not among them.
  for (const l of m.debug?.labels ?? []) {
    if (isValidName(l.name) && layout.isStart[l.offset] && !used.has(l.name)) {
      addLabel(codeLabels, l.offset, l.name);
    }
  }
  for (const e of m.exports) if (!used.has(e.name)) addLabel(codeLabels, e.offset, e.name);
  const importAt = new Map<number, string>();
  for (const imp of m.imports) {
    for (const s of imp.sites) importAt.set(s, `${imp.module}.${imp.name}`);
  }
  const unique = (base: string) => {
    let name = base;
    while (used.has(name)) name += "_";
    return name;
  };
  // The first label at an address, else a new `<prefix><address>` one.
  const namer = (map: Map<number, string[]>, prefix: string) => (at: number): string => {
    const existing = map.get(at);
    if (existing) return existing[0];
    const name = unique(`${prefix}${at}`);
    addLabel(map, at, name);
    return name;
  };
  const targetName = namer(codeLabels, "L_");
  const relocs = new Set(m.relocs);
  const dataLabels = new Map<number, string[]>();
  const dataName = namer(dataLabels, "D_");

  const lines: string[] = [];
  for (const pc of layout.starts) {
    const spec = opByCode(code[pc])!;
    let text = spec.name;
    const kind = spec.operands[0];
    if (kind === "i32") {
      const v = readI32(code, pc + 1);
      text += ` ${relocs.has(pc) ? dataName(v) : String(v)}`;
    } else if (kind === "addr") {
      text += ` ${importAt.get(pc) ?? targetName(readI32(code, pc + 1))}`;
    } else if (kind === "u8") text += ` ${code[pc + 1]}`;
    else if (kind === "host") text += ` ${pixelHostCall(code[pc + 1])!.name}`;
    else if (kind === "str") {
      const len = readI32(code, pc + 1);
      text += ` ${quoteBytes(code.subarray(pc + 5, pc + 5 + len))}`;
    }
    lines.push(text);
  }

  const out: string[] = [];
  const convention = layout.callStack === "single"
    ? "the seed's single stack (CALL pushes the return address on the data stack)"
    : "the separate call stack";
  if (m.headerless) {
    out.push(`; PixelVM plain program, ${code.length} bytes; calls use ${convention}`);
  } else {
    out.push(`; PixelVM module ${m.name}, ${code.length} bytes of code, ${m.data.length} of data`);
    out.push(`; calls use ${convention}${m.callStack ? "" : " (inferred: not declared)"}`);
    out.push(`.module ${m.name}`, `.memory ${m.memoryBytes}`);
    if (m.callStack) out.push(`.callstack ${m.callStack}`);
    for (const e of m.exports) out.push(`.export ${e.name}`);
    for (const imp of m.imports) out.push(`.import ${imp.module}.${imp.name}`);
  }
  const where = m.headerless ? new Map<number, string[]>() : locationDirectives(m.debug);
  layout.starts.forEach((pc, k) => {
    for (const label of codeLabels.get(pc) ?? []) out.push(`${label}:`);
    for (const directive of where.get(pc) ?? []) out.push(INDENT + directive);
    out.push(INDENT + lines[k]);
  });
  if (m.data.length > 0 || dataLabels.size > 0) {
    out.push(".data");
    out.push(...dataLines(m.data, dataLabels));
  }
  return out.join("\n") + "\n";
}

/** Data as directives, split at labels: printable runs as `.string`, zero runs as `.zero`. */
function dataLines(data: Uint8Array, labels: Map<number, string[]>): string[] {
  const out: string[] = [];
  const cuts = [...labels.keys()].filter((a) => a > 0 && a < data.length).sort((a, b) => a - b);
  const bounds = [0, ...cuts, data.length];
  for (let s = 0; s < bounds.length - 1; s++) {
    const start = bounds[s], end = bounds[s + 1];
    for (const label of labels.get(start) ?? []) out.push(`${label}:`);
    let i = start;
    while (i < end) {
      let j = i;
      while (j < end && data[j] === 0) j++;
      if (j - i >= 8) {
        out.push(`${INDENT}.zero ${j - i}`);
        i = j;
        continue;
      }
      j = i;
      while (j < end && isText(data[j])) j++;
      if (j - i >= 3) {
        out.push(`${INDENT}.string ${quoteBytes(data.subarray(i, j))}`);
        i = j;
        continue;
      }
      const row: number[] = [];
      while (i < end && row.length < 16) {
        row.push(data[i++]);
        if (i < end && isText(data[i]) && isText(data[i + 1]) && isText(data[i + 2])) break;
      }
      out.push(`${INDENT}.byte ${row.join(", ")}`);
    }
  }
  // Labels just past the data (an "end" address); with no data the loop printed them.
  if (data.length > 0) { for (const label of labels.get(data.length) ?? []) out.push(`${label}:`); }
  return out;
}

function isText(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x20 && b < 0x7f) || b === 10 || b === 9);
}
