/**
 * Where a pxVM program is, for messages: the source file and line (and the label it is under)
 * when the program carries a source map, else the bytecode file; the address in hex either way.
 *
 * @module
 */
import type { GuestPlace } from "../limit_errors.ts";
import { enclosingLabel, sourceLineAt } from "../source_map.ts";
import { hex4, type PxvmProgram } from "./decode.ts";

/** The place of address `pc` of `program`: `doing` reads `0x0010` or `0x0010 in loop`. */
export function pxvmPlace(program: PxvmProgram, pc: number): GuestPlace {
  const source = sourceLineAt(program.sourceMap, pc);
  const label = enclosingLabel(program.sourceMap, pc);
  return {
    file: source?.file ?? program.path,
    line: source?.line,
    doing: `0x${hex4(pc)}${label ? ` in ${label}` : ""}`,
  };
}
