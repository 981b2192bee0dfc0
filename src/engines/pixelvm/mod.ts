/**
 * PixelVM: pxOS's own stack-machine bytecode (`.pxi`), its assembly language (`.pxasm`), the
 * toolchain (assembler, disassembler, linker, verifier) and the engine that runs it.
 *
 * @module
 */
export { type AssembleOptions, assemblePxasm } from "./assembler.ts";
export { disassemblePxi } from "./disassembler.ts";
export { type LinkInput, linkPxi } from "./linker.ts";
export {
  loadPixelProgram,
  type PixelLoadOptions,
  type PixelProgram,
  pixelvmEngine,
} from "./engine.ts";
export {
  type PixelHostCallSpec,
  type PixelOperandKind,
  type PixelOpSpec,
  PIXELVM_HOST_CALLS,
  PIXELVM_ISA,
} from "./isa.ts";
export { generatePixelvmDoc } from "./doc.ts";
