/**
 * The WebAssembly engine: `.wasm` modules compiled by the runtime's own WebAssembly, with WASI
 * preview 1 (`wasi.ts`) and the host-call table as the `pxos` import module (`pxos_abi.ts`),
 * under the same grant, limits and audit as every engine. See `docs/engines/wasm.md`.
 *
 * @module
 */
import type { Engine } from "../engine.ts";
import { describeWasm } from "./describe.ts";
import { disassembleWasm } from "./disasm.ts";
import { loadWasm, type WasmProgram } from "./loader.ts";
import { runWasm } from "./run.ts";

/**
 * The WebAssembly engine.
 *
 * @example
 * ```ts
 * import { wasmEngine } from "@pxos/core";
 * console.log(wasmEngine.extensions); // [".wasm"]
 * ```
 */
export const wasmEngine: Engine<WasmProgram> = {
  id: "wasm",
  extensions: [".wasm"],
  load(bytes, source) {
    return loadWasm(bytes, source);
  },
  async run(program, host, limits, options) {
    if (program.profile !== "wasm4") return await runWasm(program, host, limits, options);
    // Loaded only for WASM-4 cartridges: a WASI module's start-up does not pay for it.
    const { runWasm4 } = await import("./wasm4_run.ts");
    return await runWasm4(program, host, limits, options);
  },
  disassemble(bytes, info) {
    return disassembleWasm(bytes, info.path);
  },
  describe(bytes, info) {
    return { ...describeWasm(bytes, info.path) };
  },
};
