/**
 * PXI Assembly: the portable IR (`.pxs` text, `.pxi.json` JSON), its checks, and its backends —
 * x86 real mode (flat binary or boot sector, byte-equal with NASM) and pxVM bytecode — plus the
 * Poh front end, cartridge builds and the generated reference.
 *
 * @module
 */
export type {
  IrData as PxiData,
  IrDataType as PxiDataType,
  IrExpr as PxiExpr,
  IrInstruction as PxiInstruction,
  IrNotes as PxiNotes,
  IrOperand as PxiOperand,
  IrPlace as PxiPlace,
  IrProgram as PxiProgram,
  PlacedProgram as PxiPlacedProgram,
} from "./ast.ts";
export { parsePxs } from "./parse_text.ts";
export { printPxs } from "./print_text.ts";
export { parsePxiJson, pxiToJson } from "./json.ts";
export {
  type CheckedProgram as PxiCheckedProgram,
  type CheckedStatement as PxiCheckedStatement,
  checkPxi,
} from "./check.ts";
export { parsePxiOperand, unescapePxi } from "./operands.ts";
export { pxiDataBytes } from "./data.ts";
export { assembleX86, type X86Build } from "./x86/assemble.ts";
export { pxiToNasm } from "./x86/nasm_text.ts";
export { listX86 } from "./x86/listing.ts";
export { type DecodedX86, decodeX86, decodeX86Range } from "./x86/decode.ts";
export { compilePxiToPxvm, type PxvmBuild } from "./pxvm/backend.ts";
export { buildPxi, PXI_TARGETS, type PxiTarget, readPxi } from "./build.ts";
export { addPxiBuilds, type PxiBuildIndex } from "./cartridge.ts";
export { pxiEngine } from "./engine.ts";
export { pohToPxi } from "./poh/frontend.ts";
export { generatePxiDoc } from "./doc.ts";
export { generatePxiSchema } from "./schema.ts";
export {
  INSTRUCTIONS as PXI_INSTRUCTIONS,
  type InstructionSpec as PxiInstructionSpec,
  IR_VERSION as PXI_IR_VERSION,
  type PxvmCondition as PxiPxvmCondition,
  type PxvmLowering as PxiPxvmLowering,
  REGISTERS as PXI_REGISTERS,
  type RegisterSpec as PxiRegisterSpec,
  SYSCALLS as PXI_SYSCALLS,
  type SyscallSpec as PxiSyscallSpec,
  type X86Encoding as PxiX86Encoding,
} from "./isa.ts";
export type {
  SourceMap as PxiSourceMap,
  SourceMapEntry as PxiSourceMapEntry,
} from "./sourcemap.ts";
