/**
 * `pxos disasm prog.wasm`: the module in the WebAssembly text format, printed by `wabt` (the
 * WebAssembly Binary Toolkit's JavaScript build), with names from the name section. It is
 * imported only here, on demand, so booting a cartridge never loads it.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { readWasmOutline } from "./module.ts";

/**
 * The text format of `bytes` (after the same structural check the loader makes).
 *
 * @example
 * ```ts ignore
 * import { disassembleWasm } from "@pxos/core";
 * declare const bytes: Uint8Array; // a .wasm file
 * console.log(await disassembleWasm(bytes, "hello.wasm"));
 * ```
 */
export async function disassembleWasm(bytes: Uint8Array, path: string): Promise<string> {
  readWasmOutline(bytes, path);
  if (!WebAssembly.validate(bytes as BufferSource)) {
    throw new PxosError("E_VERIFY", `${path}: expected a valid WebAssembly module`, { file: path });
  }
  const { default: init } = await import("wabt");
  const wabt = await init();
  let module: ReturnType<typeof wabt.readWasm> | undefined;
  try {
    module = wabt.readWasm(bytes, { readDebugNames: true });
    module.applyNames();
    return module.toText({ foldExprs: false, inlineExport: false });
  } catch (e) {
    throw new PxosError("E_VERIFY", `${path}: wabt could not read it: ${(e as Error).message}`, {
      file: path,
    });
  } finally {
    module?.destroy();
  }
}
