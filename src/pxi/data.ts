/**
 * The bytes of a data item — the same on every backend (only label values differ).
 *
 * @module
 */
import type { IrData } from "./ast.ts";

const encoder = new TextEncoder();

/**
 * Encodes one data item; `value(label)` gives a label's address for `WORD label`.
 *
 * @example
 * ```ts
 * import { pxiDataBytes } from "@pxos/core";
 * console.log(pxiDataBytes({ label: "m", type: "STRING", value: "hi" }, () => 0)); // [104, 105, 0]
 * ```
 */
export function pxiDataBytes(item: IrData, value: (label: string) => number): number[] {
  const once: number[] = [];
  if (item.type === "STRING") {
    for (const b of encoder.encode(String(item.value))) once.push(b);
    once.push(0);
  } else if (item.type === "RESB") return new Array(Number(item.value)).fill(0);
  else {
    for (const v of item.value as (number | string)[]) {
      if (item.type === "BYTE") {
        if (typeof v === "string") { for (const b of encoder.encode(v)) once.push(b); }
        else once.push(v & 0xff);
      } else {
        const w = typeof v === "string" ? value(v) : v;
        once.push(w & 0xff, (w >> 8) & 0xff);
      }
    }
  }
  const times = item.times ?? 1;
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(...once);
  return out;
}

/** The size in bytes of a data item, computed without building it (to refuse huge items first). */
export function pxiDataSize(item: IrData): number {
  if (item.type === "STRING") return encoder.encode(String(item.value)).length + 1;
  if (item.type === "RESB") return Number(item.value);
  let once = 0;
  for (const v of item.value as (number | string)[]) {
    once += item.type === "WORD" ? 2 : typeof v === "string" ? encoder.encode(v).length : 1;
  }
  return once * (item.times ?? 1);
}
