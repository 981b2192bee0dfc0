/**
 * Appends a backend's runtime routines (PXI text) to a user program, so they are checked and
 * laid out with it. The user program is checked first on its own, so it cannot use the
 * reserved `__pxi_` names.
 *
 * @module
 */
import type { PlacedProgram } from "./ast.ts";
import { type CheckedProgram, checkPxi } from "./check.ts";
import { parsePxs } from "./parse_text.ts";

/** The syscall names a program uses. */
export function syscallsUsed(placed: PlacedProgram): Set<string> {
  return new Set(
    placed.program.instructions.filter((i) => i.op === "SYSCALL").map((i) => i.operands.name),
  );
}

/** Checks `placed`, then the program with `runtimeText` appended (runtime code after user code). */
export function checkWithRuntime(
  placed: PlacedProgram,
  runtimeText: string,
): { checked: CheckedProgram; userCount: number } {
  checkPxi(placed);
  const runtime = parsePxs(runtimeText, "<pxi runtime>");
  const merged: PlacedProgram = {
    program: {
      ...placed.program,
      instructions: [...placed.program.instructions, ...runtime.program.instructions],
      data: [...placed.program.data, ...runtime.program.data],
    },
    places: [...placed.places, ...runtime.places],
    dataPlaces: [...placed.dataPlaces, ...runtime.dataPlaces],
  };
  return { checked: checkPxi(merged, true), userCount: placed.program.instructions.length };
}
