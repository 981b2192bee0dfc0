/**
 * The load-time verifier: nothing unverified is run. It walks the code once with the ISA table
 * and refuses (`E_VERIFY`, with the byte offset) unknown opcodes, operands running past the end,
 * bad string lengths, unknown host-call ids, jump targets that are outside the code or not on an
 * instruction boundary, and header entries (exports, imports, relocations) that do not fit the
 * code.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { opByCode, opByName, operandSize, pixelHostCall } from "./isa.ts";
import type { CallConvention, PixelModule } from "./module.ts";

/** The largest code section the verifier accepts (pre-decoding takes ~20 bytes per code byte). */
export const MAX_CODE_BYTES = 4 * 1024 * 1024;

/** Reads a little-endian i32 at `at` (caller checked the bounds). */
export function readI32(code: Uint8Array, at: number): number {
  return code[at] | (code[at + 1] << 8) | (code[at + 2] << 16) | (code[at + 3] << 24);
}

/** Where each instruction starts, found by {@link verifyModule}. */
export interface CodeLayout {
  /** Byte offset of each instruction, ascending. */
  starts: number[];
  /** For each byte offset of the code (and one past the end): whether an instruction starts there. */
  isStart: Uint8Array;
}

/** A verified module's layout and the call convention it runs with. */
export interface ModuleLayout extends CodeLayout {
  /** Declared in the header, else inferred from the code (see `CallConvention`). */
  callStack: CallConvention;
}

/** The frame instructions (`ENTER`, `LGET`, `LSET`, `RETN`): pxOS extensions that need frames. */
const FRAME_OPCODES = new Set(["ENTER", "LGET", "LSET", "RETN"].map((n) => opByName(n)!.code));

/**
 * The convention `m` runs with: its declaration, else the separate call stack when a frame
 * instruction appears (the seed had none), else the seed's single stack. A declared single stack
 * with a frame instruction is refused (`E_VERIFY` at that instruction).
 */
export function callConvention(m: PixelModule, layout: CodeLayout, file?: string): CallConvention {
  const frameAt = layout.starts.find((pc) => FRAME_OPCODES.has(m.code[pc]));
  if (m.callStack === "single" && frameAt !== undefined) {
    fail(
      file,
      frameAt,
      `${opByCode(m.code[frameAt])!.name} needs the separate call stack, but the program ` +
        "declares the seed's single stack (.callstack single)",
    );
  }
  return m.callStack ?? (frameAt === undefined ? "single" : "separate");
}

/**
 * Walks the instructions of `code`, checking opcodes and operand bounds; returns the layout.
 * Throws `E_VERIFY` with the offset of the first bad instruction.
 */
export function scanInstructions(code: Uint8Array, file?: string): CodeLayout {
  if (code.length > MAX_CODE_BYTES) {
    fail(file, 0, `code is ${code.length} bytes; the most PixelVM loads is ${MAX_CODE_BYTES}`);
  }
  const starts: number[] = [];
  const isStart = new Uint8Array(code.length + 1);
  let pc = 0;
  while (pc < code.length) {
    const spec = opByCode(code[pc]);
    if (!spec) {
      fail(file, pc, `unknown opcode 0x${hex2(code[pc])}`);
    }
    starts.push(pc);
    isStart[pc] = 1;
    let at = pc + 1;
    for (const kind of spec.operands) {
      const size = operandSize(kind);
      if (at + size > code.length) {
        fail(
          file,
          pc,
          `${spec.name}: expected a ${size}-byte ${kind} operand, found ${
            code.length - at
          } bytes before the end of the code`,
        );
      }
      if (kind === "host" && !pixelHostCall(code[at])) {
        fail(file, pc, `HOST_CALL: unknown host-call id ${code[at]}`);
      }
      if (kind === "str") {
        const len = readI32(code, at);
        if (len < 0 || at + 4 + len > code.length) {
          fail(
            file,
            pc,
            `${spec.name}: string length ${len} runs past the end of the code (${
              code.length - at - 4
            } bytes left)`,
          );
        }
        at += len;
      }
      at += size;
    }
    pc = at;
  }
  return { starts, isStart };
}

/**
 * Verifies a whole module: the code, every jump/call target, and the header's exports, imports
 * and relocations. Returns the code layout and call convention for the pre-decoder.
 */
export function verifyModule(m: PixelModule, file?: string): ModuleLayout {
  const { code } = m;
  const layout = scanInstructions(code, file);
  const { isStart } = layout;
  const importSites = new Set<number>();
  const importNames = new Set<string>();
  for (const imp of m.imports) {
    const key = `${imp.module}.${imp.name}`;
    if (importNames.has(key)) fail(file, imp.sites[0] ?? 0, `import ${key} appears twice`);
    importNames.add(key);
    let last = -1;
    for (const site of imp.sites) {
      if (site <= last) fail(file, site, `import ${imp.module}.${imp.name}: sites must ascend`);
      last = site;
      const spec = site < code.length && isStart[site] ? opByCode(code[site]) : undefined;
      if (!spec || spec.operands[0] !== "addr") {
        fail(file, site, `import ${imp.module}.${imp.name}: site is not a jump or call`);
      }
      if (readI32(code, site + 1) !== 0) {
        fail(file, site, `import ${imp.module}.${imp.name}: unlinked site must hold 0`);
      }
      if (importSites.has(site)) fail(file, site, "site belongs to two imports");
      importSites.add(site);
    }
  }
  for (const pc of layout.starts) {
    const spec = opByCode(code[pc])!;
    if (spec.operands[0] !== "addr" || importSites.has(pc)) continue;
    const target = readI32(code, pc + 1);
    if (target < 0 || target >= code.length) {
      fail(file, pc, `${spec.name}: target ${target} is outside the code (0–${code.length - 1})`);
    }
    if (!isStart[target]) {
      fail(file, pc, `${spec.name}: target ${target} is not on an instruction boundary`);
    }
  }
  let lastReloc = -1;
  for (const site of m.relocs) {
    if (site <= lastReloc) fail(file, site, "relocations must ascend");
    lastReloc = site;
    if (site >= code.length || !isStart[site] || code[site] !== 0x01) {
      fail(file, site, "relocation does not point at a PUSH");
    }
    const value = readI32(code, site + 1);
    if (value < 0 || value > m.data.length) {
      fail(file, site, `data address ${value} is outside the data (0–${m.data.length})`);
    }
  }
  const names = new Set<string>();
  for (const e of m.exports) {
    if (names.has(e.name)) fail(file, e.offset, `export ${e.name} appears twice`);
    names.add(e.name);
    if (e.offset >= code.length || !isStart[e.offset]) {
      fail(file, e.offset, `export ${e.name}: offset is not an instruction in the code`);
    }
  }
  return { ...layout, callStack: callConvention(m, layout, file) };
}

function fail(file: string | undefined, offset: number, message: string): never {
  throw new PxosError("E_VERIFY", message, { file, offset });
}

/** Two hex digits, upper case. */
export function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}
