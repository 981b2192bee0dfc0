/**
 * pxVM: the register machine that draws. One ISA table (`isa.ts`), a verifier that finds the
 * code by following execution, an interpreter with a fast tier, an assembler, a disassembler and
 * a `ProgramBuilder`.
 *
 * @module
 */
export { type PxvmEngine, pxvmEngine } from "./engine.ts";
export { assemblePxvm } from "./assembler.ts";
export { disassemblePxvm } from "./disassembler.ts";
export { ProgramBuilder, type Register, type Target } from "./builder.ts";
export {
  type DecodedInstruction as PxvmDecodedInstruction,
  loadProgram as loadPxvmProgram,
  type PxvmProgram,
} from "./decode.ts";
export {
  HEADER_MAGIC as PXVM_HEADER_MAGIC,
  HEADER_SIZE as PXVM_HEADER_SIZE,
  HEADER_VERSION as PXVM_HEADER_VERSION,
  OPCODES as PXVM_OPCODES,
  type OpcodeSpec as PxvmOpcodeSpec,
  type OperandKind as PxvmOperandKind,
  SEED_COLORS as PXVM_SEED_COLORS,
  SEED_LAYERS as PXVM_SEED_LAYERS,
  SEED_MESSAGES as PXVM_SEED_MESSAGES,
  SYSCALLS as PXVM_SYSCALLS,
  type SyscallSpec as PxvmSyscallSpec,
} from "./isa.ts";
export { generatePxvmDoc } from "./doc.ts";
