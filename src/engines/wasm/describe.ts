/**
 * What `pxos inspect` shows about a wasm entry: imports, exports, memory limits, and which WASI
 * and `pxos` calls the module uses (its reach, before any code runs).
 *
 * @module
 */
import { PXOS_MODULE, WASI_MODULE } from "./loader.ts";
import { readWasmOutline } from "./module.ts";

/** A wasm module's facts for `pxos inspect`. */
export interface WasmDescription {
  /** Every import as `module.name (kind)`. */
  imports: string[];
  /** Every export as `name (kind)`. */
  exports: string[];
  /** Memory limits in pages (64 KiB), or `none`. */
  memory: string;
  /** The WASI preview 1 functions it imports. */
  wasiCalls: string[];
  /** The `pxos` host calls it imports. */
  pxosCalls: string[];
}

/**
 * Describes a module (throws `PxosError` `E_VERIFY` when its structure is broken).
 *
 * @example
 * ```ts
 * import { describeWasm } from "@pxos/core";
 * const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
 * console.log(describeWasm(empty, "empty.wasm").memory); // "none"
 * ```
 */
export function describeWasm(bytes: Uint8Array, path: string): WasmDescription {
  const o = readWasmOutline(bytes, path);
  // Names come from the module: control characters are shown escaped, never sent to a terminal.
  const safe = (name: string) =>
    // deno-lint-ignore no-control-regex -- matching control characters is the point
    name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
  const limits = o.memory ?? o.imports.find((i) => i.kind === "memory")?.memory;
  const pages = (n: number) => `${n} pages (${(n * 65536) / 1024} KiB)`;
  return {
    imports: o.imports.map((i) => `${safe(i.module)}.${safe(i.name)} (${i.kind})`),
    exports: o.exports.map((e) => `${safe(e.name)} (${e.kind})`),
    memory: limits
      ? `min ${pages(limits.min)}, max ${
        limits.max === undefined ? "none" : pages(limits.max)
      }; capped by the run's memory limit`
      : "none",
    wasiCalls: o.imports.filter((i) => i.module === WASI_MODULE).map((i) => safe(i.name)),
    pxosCalls: o.imports.filter((i) => i.module === PXOS_MODULE).map((i) => safe(i.name)),
  };
}
