/**
 * The AST → canonical `.pxs` text. Parsing the output gives the same AST, which is what makes
 * text ↔ JSON round-trip.
 *
 * @module
 */
import type { IrData, IrInstruction, IrProgram } from "./ast.ts";
import { quotePxi } from "./operands.ts";

/** `;comment` or `;@file:line comment` (the higher-level source place). */
function noteOf(node: IrInstruction | IrData): string {
  const place = node.source_line !== undefined
    ? `@${node.source_file ?? ""}:${node.source_line}`
    : "";
  const text = [place, node.comment ?? ""].filter((s) => s !== "").join(" ");
  return text === "" ? "" : ` ; ${text}`;
}

/** One code statement as text (no indentation, no comment). */
export function formatInstruction(ins: IrInstruction): string {
  switch (ins.op) {
    case "LABEL":
      return `${ins.operands.name}:`;
    case "FUNC":
      return `FUNC ${ins.operands.name}`;
    case "ENDFUNC":
      return "ENDFUNC";
    case "SYSCALL":
      return `SYSCALL ${ins.operands.name}`;
  }
  const operands = Object.values(ins.operands).join(", ");
  return `${ins.prefix ? `${ins.prefix} ` : ""}${ins.op}${operands ? ` ${operands}` : ""}`;
}

/** One data item as text (no label). */
export function formatData(item: IrData): string {
  const value = (
    v: number | string,
  ) => (typeof v === "number" ? String(v) : item.type === "WORD" ? v : quotePxi(v));
  const times = item.times !== undefined ? `TIMES ${item.times} ` : "";
  if (item.type === "STRING") return `${times}STRING ${quotePxi(String(item.value))}`;
  if (item.type === "RESB") return `RESB ${item.value}`;
  const values = Array.isArray(item.value) ? item.value : [item.value];
  return `${times}${item.type} ${values.map(value).join(", ")}`;
}

/**
 * Prints a program as `.pxs` text.
 *
 * @example
 * ```ts
 * import { parsePxs, printPxs } from "@pxos/core";
 * const text = printPxs(parsePxs("MOV AL, 1\n", "a.pxs").program);
 * console.log(text.includes("MOV AL, 1")); // true
 * ```
 */
export function printPxs(program: IrProgram): string {
  const lines: string[] = [];
  if (program.origin !== 0) lines.push(`ORG 0x${program.origin.toString(16).toUpperCase()}`);
  for (const ins of program.instructions) {
    const indent = ins.op === "LABEL" || ins.op === "FUNC" || ins.op === "ENDFUNC" ? "" : "    ";
    lines.push(`${indent}${formatInstruction(ins)}${noteOf(ins)}`);
  }
  for (const item of program.data) {
    lines.push(
      `${item.label !== null ? `${item.label}: ` : "    "}${formatData(item)}${noteOf(item)}`,
    );
  }
  return lines.join("\n") + "\n";
}
