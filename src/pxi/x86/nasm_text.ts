/**
 * A checked program as NASM source (`nasm -f bin`), runtime routines included. The NASM
 * comparison test assembles this text with NASM and compares the bytes with `assembleX86`.
 *
 * @module
 */
import type { IrOperand, PlacedProgram } from "../ast.ts";
import { pxiDataBytes } from "../data.ts";
import { checkWithRuntime, syscallsUsed } from "../merge.ts";
import { formatExpr } from "../operands.ts";
import { x86RuntimeFor } from "./runtime.ts";

function operandText(op: IrOperand): string {
  if (op.kind === "reg") return op.name.toLowerCase();
  if (op.kind === "imm") return formatExpr(op.value);
  const parts = [op.base, op.index].filter((p) => p !== undefined).map((p) => p!.toLowerCase());
  const disp = formatExpr(op.disp);
  let inner = parts.join("+");
  if (disp !== "0" || inner === "") {
    inner += inner === "" ? disp : disp.startsWith("-") ? disp : `+${disp}`;
  }
  const size = op.size === 8 ? "byte " : op.size === 16 ? "word " : "";
  return `${size}[${inner}]`;
}

/**
 * NASM source for a program (BITS 16, its ORG; data as `db` bytes).
 *
 * @example
 * ```ts
 * import { parsePxs, pxiToNasm } from "@pxos/core";
 * console.log(pxiToNasm(parsePxs("MOV AX, [BP+4]\n", "a.pxs")).includes("mov ax, [bp+4]")); // true
 * ```
 */
export function pxiToNasm(placed: PlacedProgram): string {
  const { checked } = checkWithRuntime(placed, x86RuntimeFor(syscallsUsed(placed)));
  const lines = ["bits 16", `org ${checked.origin}`];
  for (const s of checked.statements) {
    if (s.kind === "label") lines.push(`${s.name}:`);
    else if (s.kind === "syscall") lines.push(`    call __pxi_${s.name}`);
    else {
      const ops = s.operands.map(operandText).join(", ");
      lines.push(
        `    ${s.prefix ? `${s.prefix.toLowerCase()} ` : ""}${s.spec.op.toLowerCase()}${
          ops ? ` ${ops}` : ""
        }`,
      );
    }
  }
  for (const item of checked.data) {
    if (item.label !== null) lines.push(`${item.label}:`);
    // Words keep their labels (NASM resolves them); everything else is written as bytes.
    if (item.type === "WORD") {
      const words = (item.value as (number | string)[]).join(", ");
      lines.push(
        item.times !== undefined ? `    times ${item.times} dw ${words}` : `    dw ${words}`,
      );
    } else {
      const bytes = pxiDataBytes(item, () => 0);
      if (bytes.length > 0) lines.push(`    db ${bytes.join(", ")}`);
    }
  }
  return lines.join("\n") + "\n";
}
