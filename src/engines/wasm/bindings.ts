/**
 * Generates the guest-side bindings of the `pxos` import module — `pxos.h` for C and `pxos.rs`
 * for Rust — from the host-call table through `pxos_abi.ts`, so they cannot drift from the
 * engine. `deno task examples:wasm` writes them to `examples/wasm-include/`; a test checks the
 * committed files are current.
 *
 * @module
 */
import { type AbiType, PXOS_STATUS, type PxosImport, pxosImports } from "./pxos_abi.ts";

const HEADER_NOTE =
  "Generated from src/host/calls.ts by src/engines/wasm/bindings.ts: do not edit.";

function cType(t: AbiType | undefined): string {
  return t === undefined ? "void" : t === "f64" ? "double" : "int32_t";
}

function rustType(t: AbiType): string {
  return t === "f64" ? "f64" : "i32";
}

function summary(imp: PxosImport): string {
  const args = imp.call.args.map((a) => `${a.name}: ${a.type}`).join(", ");
  return `${imp.call.name}(${args}) -> ${imp.call.result}. ${imp.call.doc}`;
}

/**
 * The C header.
 *
 * @example
 * ```ts
 * import { generatePxosHeader } from "@pxos/core";
 * console.log(generatePxosHeader().includes("pxos_gfx_rect")); // true
 * ```
 */
export function generatePxosHeader(): string {
  const lines = [
    `/* pxos.h: the pxOS host calls for C programs compiled to wasm32-wasi. */`,
    `/* ${HEADER_NOTE} */`,
    "#ifndef PXOS_H",
    "#define PXOS_H",
    "#include <stdint.h>",
    "",
    "/* Negative statuses; success is >= 0 (for string/bytes results: the full length). */",
  ];
  for (const [name, { value, doc }] of Object.entries(PXOS_STATUS)) {
    lines.push(`#define PXOS_${name} (${value}) /* ${doc} */`);
  }
  lines.push("");
  for (const imp of pxosImports()) {
    const params = imp.params.map((p) =>
      p.name.endsWith("_ptr") ? `const void *${p.name}` : `${cType(p.type)} ${p.name}`
    );
    lines.push(
      `/* ${summary(imp)} */`,
      `__attribute__((import_module("pxos"), import_name("${imp.name}")))`,
      `${imp.result === undefined ? "_Noreturn void" : cType(imp.result)} pxos_${imp.name}(${
        params.join(", ") || "void"
      });`,
    );
  }
  lines.push("", "#endif", "");
  return lines.join("\n");
}

/**
 * The Rust module (raw `extern "C"` declarations; pointers as `*const u8`/`*mut u8`).
 *
 * @example
 * ```ts
 * import { generatePxosRust } from "@pxos/core";
 * console.log(generatePxosRust().includes("fn gfx_rect")); // true
 * ```
 */
export function generatePxosRust(): string {
  const lines = [
    "//! pxos.rs: the pxOS host calls for Rust programs compiled to wasm32-wasi.",
    `//! ${HEADER_NOTE}`,
    "#![allow(dead_code)]",
    "",
    "/// Negative statuses; success is >= 0 (for string/bytes results: the full length).",
  ];
  for (const [name, { value, doc }] of Object.entries(PXOS_STATUS)) {
    lines.push(`pub const ${name}: i32 = ${value}; // ${doc}`);
  }
  lines.push("", `#[link(wasm_import_module = "pxos")]`, `extern "C" {`);
  for (const imp of pxosImports()) {
    const params = imp.params.map((p) => {
      if (p.name === "out_ptr") return `${p.name}: *mut u8`;
      if (p.name.endsWith("_ptr")) return `${p.name}: *const u8`;
      return `${p.name}: ${rustType(p.type)}`;
    });
    const result = imp.result === undefined ? " -> !" : ` -> ${rustType(imp.result)}`;
    lines.push(`    /// ${summary(imp)}`, `    pub fn ${imp.name}(${params.join(", ")})${result};`);
  }
  lines.push("}", "");
  return lines.join("\n");
}
