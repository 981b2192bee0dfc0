/**
 * Small builders for rows of the host-call table, shared by the modules that contribute rows
 * (`calls.ts`' serving rows, `play_calls.ts`): each row is written as one call naming id, name,
 * arguments, result and doc; the permission is fixed per group.
 *
 * @module
 */
import type { HostCallSpec, HostValueType } from "./calls.ts";

/** An argument of a row: its name and type (`i32` unless said). */
export function callArg(name: string, type: HostValueType = "i32"): HostCallSpec["args"][number] {
  return { name, type };
}

/** A row builder for a group of calls that share `permission`. */
export function callRows(
  permission: HostCallSpec["permission"],
): (
  id: number,
  name: string,
  args: HostCallSpec["args"],
  result: HostValueType,
  doc: string,
) => HostCallSpec {
  return (id, name, args, result, doc) => ({ id, name, args, result, permission, doc });
}
