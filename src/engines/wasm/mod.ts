/**
 * The WebAssembly engine: `.wasm` modules with WASI preview 1 and the host-call table as the
 * `pxos` import module, under pxOS's grants, limits and audit. See `docs/engines/wasm.md`.
 *
 * @module
 */
export { wasmEngine } from "./engine.ts";
export { loadWasm, type WasmProgram } from "./loader.ts";
export {
  type ExternKind,
  type MemoryLimits,
  readWasmOutline,
  type SectionSpan,
  type WasmExport,
  type WasmImport,
  type WasmOutline,
} from "./module.ts";
export { describeWasm, type WasmDescription } from "./describe.ts";
export { disassembleWasm } from "./disasm.ts";
export { type AbiType, PXOS_STATUS, type PxosImport, pxosImports } from "./pxos_abi.ts";
export { generatePxosHeader, generatePxosRust } from "./bindings.ts";
