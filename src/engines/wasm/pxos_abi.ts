/**
 * The `pxos` import module's calling convention, derived row by row from the host-call table, so
 * a new host call is a new wasm import with no code here. The same description generates
 * `pxos.h` and `pxos.rs` (`bindings.ts`).
 *
 * - Import name: the call's name with `.` → `_` (`gfx.rect` → `gfx_rect`).
 * - Arguments: `i32`/`bool` → one i32; `f64` → f64; `string`/`bytes` → two i32s (pointer, length
 *   in bytes; strings are UTF-8).
 * - Results: `f64` → f64; `never` → nothing; everything else returns an i32 status: ≥ 0 is
 *   success (for `bool` 0/1, for `string`/`bytes` the full length of the result, which is
 *   copied into two extra trailing arguments `out_ptr, out_cap` up to `out_cap` bytes — call
 *   again with a bigger buffer when the length is larger), < 0 is one of {@link PXOS_STATUS}.
 *
 * @module
 */
import { HOST_CALLS, type HostCallSpec, type HostValueType } from "../../host/calls.ts";

/** Negative statuses a `pxos` import returns, by name (stable; shared with `pxos.h`). */
export const PXOS_STATUS: Readonly<Record<string, { value: number; doc: string }>> = Object.freeze({
  PERMISSION: { value: -1, doc: "the grant does not allow this call (audited)" },
  IO: { value: -2, doc: "the file or request failed (missing file, refused connection, ...)" },
  INVALID: { value: -3, doc: "an argument was refused (bad colour, unknown layer, ...)" },
  MEMORY: { value: -4, doc: "a size limit would be exceeded" },
  END: { value: -5, doc: "end of input (console.readLine)" },
  FAILED: { value: -6, doc: "any other failure" },
});

/** A wasm value type of the ABI. */
export type AbiType = "i32" | "f64";

/** One `pxos` import: its name, wasm signature and the row it calls. */
export interface PxosImport {
  /** Import field name, e.g. `gfx_rect`. */
  name: string;
  /** The host-call row. */
  call: HostCallSpec;
  /** Parameters: names and wasm types, in order (strings expand to `name_ptr`, `name_len`). */
  params: { name: string; type: AbiType }[];
  /** Wasm result type; undefined for `never`. */
  result: AbiType | undefined;
  /** Whether the result is copied into `out_ptr`/`out_cap`. */
  buffered: boolean;
}

function paramsFor(name: string, type: HostValueType): { name: string; type: AbiType }[] {
  if (type === "string" || type === "bytes") {
    return [{ name: `${name}_ptr`, type: "i32" }, { name: `${name}_len`, type: "i32" }];
  }
  return [{ name, type: type === "f64" ? "f64" : "i32" }];
}

/** The import for one host-call row. */
export function pxosImportFor(call: HostCallSpec): PxosImport {
  const params = call.args.flatMap((a) => paramsFor(a.name, a.type));
  const buffered = call.result === "string" || call.result === "bytes";
  if (buffered) {
    params.push({ name: "out_ptr", type: "i32" }, { name: "out_cap", type: "i32" });
  }
  const result: AbiType | undefined = call.result === "never"
    ? undefined
    : call.result === "f64"
    ? "f64"
    : "i32";
  return { name: call.name.replaceAll(".", "_"), call, params, result, buffered };
}

/**
 * Every `pxos` import, one per host-call row.
 *
 * @example
 * ```ts
 * import { pxosImports } from "@pxos/core";
 * console.log(pxosImports().find((i) => i.name === "gfx_rect")?.params.length); // 5
 * ```
 */
export function pxosImports(): readonly PxosImport[] {
  // The table is fixed: worked out once (every run and every load asks).
  return pxosImportList ??= HOST_CALLS.map(pxosImportFor);
}

let pxosImportList: readonly PxosImport[] | undefined;
