/**
 * The pxVM backend: a checked PXI program → pxVM bytecode (assembled by pxVM's own assembler
 * from the text this backend writes) and a source map. x86 forms pxVM cannot express are named
 * at compile time with their place.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { assemblePxvm } from "../../engines/pxvm/assembler.ts";
import type { PlacedProgram } from "../ast.ts";
import { checkPxi } from "../check.ts";
import { pxiDataBytes } from "../data.ts";
import { syscallsUsed } from "../merge.ts";
import { assembleError } from "../operands.ts";
import { mapEntryFor, type SourceMap, type SourceMapEntry } from "../sourcemap.ts";
import { IMAGE_LIMIT, INITIAL_SP, PxvmEmitter, registerAddress, userLabel } from "./emitter.ts";
import { FlagSource, lowerInstruction, NotOnPxvm, printAl } from "./lower.ts";

/** A pxVM build. */
export interface PxvmBuild {
  /** The `.pxvm` bytes (no header: the program starts at address 0). */
  bytes: Uint8Array;
  /** Byte ranges → IR. */
  map: SourceMap;
  /** The pxVM assembly the backend wrote (for `--emit-asm` and debugging). */
  asm: string;
}

const NEWLINE = "__pxi_newline_byte";

/** SYSCALLs: each a few pxVM instructions, or a call of the routine below. */
function lowerSyscall(e: PxvmEmitter, name: string): void {
  switch (name) {
    case "print_char":
      printAl(e);
      return;
    case "print_string":
      e.ins("CALL", "__pxi_print_string");
      return;
    case "newline":
      e.ins("IMM32", "R1", NEWLINE);
      e.ins("IMM8", "R2", 1);
      e.ins("SYSCALL", "PRINT");
      return;
    case "clear_screen":
      e.ins("NOP"); // console output cannot be taken back
      return;
    case "halt":
      e.loadRegister("R1", "AL");
      e.ins("SYSCALL", "EXIT");
      return;
  }
}

/** The print_string routine: the bytes from SI up to the NUL, in one PRINT. */
function emitRuntime(e: PxvmEmitter, used: Set<string>): void {
  if (used.has("print_string")) {
    e.label("__pxi_print_string");
    e.ins("IMM32", "R3", registerAddress("SI"));
    e.ins("LOAD16", "R1", "R3");
    e.ins("MOV", "R2", "R1");
    e.label("__pxi_ps_scan");
    e.ins("LOAD8", "R4", "R2");
    e.ins("JZ", "R4", "__pxi_ps_done");
    e.ins("ADDI", "R2", 1);
    e.ins("JMP", "__pxi_ps_scan");
    e.label("__pxi_ps_done");
    e.ins("SUB", "R2", "R2", "R1");
    e.ins("SYSCALL", "PRINT");
    e.ins("RET");
  }
  if (used.has("newline")) {
    e.label(NEWLINE);
    e.bytes([10]);
  }
}

/**
 * Compiles a parsed program to pxVM bytecode.
 *
 * @example
 * ```ts
 * import { compilePxiToPxvm, parsePxs } from "@pxos/core";
 * const { bytes } = compilePxiToPxvm(parsePxs("MOV AL, 'A'\nSYSCALL print_char\n", "a.pxs"));
 * console.log(bytes.length > 0); // true
 * ```
 */
export function compilePxiToPxvm(placed: PlacedProgram): PxvmBuild {
  const checked = checkPxi(placed);
  const file = placed.program.source;
  const e = new PxvmEmitter();
  const entries: SourceMapEntry[] = [];
  const mapEntry = (start: number, kind: "code" | "data", index: number) => {
    entries.push(mapEntryFor(placed, kind, index, start, e.address));
  };
  // Prologue: SP below the register file, flags "equal".
  e.ins("IMM32", "R1", INITIAL_SP);
  e.storeRegister("SP", "R1", "R2");
  e.ins("IMM8", "R6", 0);
  e.ins("IMM8", "R7", 0);
  const flags = new FlagSource();
  for (const s of checked.statements) {
    const start = e.address;
    if (s.kind === "label") {
      flags.unknown();
      e.label(userLabel(s.name));
      continue;
    }
    if (s.kind === "syscall") {
      flags.unknown();
      lowerSyscall(e, s.name);
    } else {
      const here = `__pxi_i${s.index}`;
      e.label(here);
      try {
        flags.check(s.spec.op);
        lowerInstruction(e, s, here);
      } catch (err) {
        if (err instanceof NotOnPxvm) assembleError(s.place, err.message);
        throw err;
      }
    }
    mapEntry(start, "code", s.index);
  }
  e.ins("HALT"); // falling off the end of the code ends the program
  emitRuntime(e, syscallsUsed(placed));
  // Data: addresses first (sizes do not depend on values), then the bytes.
  const dataLabels = new Map<string, number>();
  let address = e.address;
  for (const item of checked.data) {
    if (item.label !== null) dataLabels.set(item.label, address);
    address += pxiDataBytes(item, () => 0).length;
  }
  const valueOf = (label: string) => dataLabels.get(label) ?? e.labels.get(userLabel(label)) ?? 0;
  checked.data.forEach((item, i) => {
    const start = e.address;
    if (item.label !== null) e.label(userLabel(item.label));
    e.bytes(pxiDataBytes(item, valueOf));
    mapEntry(start, "data", i);
  });
  if (e.address > IMAGE_LIMIT) {
    throw new PxosError(
      "E_ASSEMBLE",
      `the pxVM build is ${e.address} bytes; pxVM code and data must end below 0x${
        IMAGE_LIMIT.toString(16)
      } (the x86 stack and register file live above)`,
      { file },
    );
  }
  const asm = e.lines.join("\n") + "\n";
  const bytes = assemblePxvm(asm, `${file} (pxVM backend)`);
  if (bytes.length !== e.address) {
    throw new PxosError(
      "E_ASSEMBLE",
      `internal: pxVM layout ${e.address} bytes, assembled ${bytes.length}`,
      { file },
    );
  }
  return { bytes, map: { version: 1, target: "pxvm", ir: file, origin: 0, entries }, asm };
}
