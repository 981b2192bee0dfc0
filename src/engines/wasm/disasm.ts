/**
 * A readable listing of a module: its outline (imports, exports, memory) — the text format
 * printer comes with the disassembler issue-item.
 *
 * @module
 */
import { readWasmOutline } from "./module.ts";

/** Lists a module's imports, exports and memory. */
export function disassembleWasm(bytes: Uint8Array, path: string): string {
  const o = readWasmOutline(bytes, path);
  const lines = [`;; ${path}`];
  for (const i of o.imports) lines.push(`(import "${i.module}" "${i.name}" (${i.kind}))`);
  for (const e of o.exports) lines.push(`(export "${e.name}" (${e.kind} ${e.index}))`);
  return lines.join("\n") + "\n";
}
