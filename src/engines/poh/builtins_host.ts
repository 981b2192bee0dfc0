/**
 * The PohLang built-ins that reach outside the VM: input, the clock and files. Each goes through
 * a host call, so the host's permission checks apply; a denial becomes a catchable Poh error.
 *
 * @module
 */
import { isPxosError } from "../../errors.ts";
import type { BuiltinContext, BuiltinSpec } from "./builtins.ts";
import {
  describeType,
  pohError,
  PohErrorValue,
  PohThrow,
  toText,
  truthy,
  type Value,
} from "./values.ts";

const decoder = new TextDecoder();

function str(v: Value, what: string): string {
  if (typeof v !== "string") {
    pohError("TypeError", `${what} expects text, found ${describeType(v)}`);
  }
  return v;
}

/** Runs a host call, turning a denial or failure into a catchable guest error. */
async function hostCall(
  ctx: BuiltinContext,
  name: string,
  args: (string | null)[],
): Promise<Value> {
  try {
    const r = await ctx.host.invoke(name, args);
    return r instanceof Uint8Array ? decoder.decode(r) : (r as Value);
  } catch (e) {
    if (isPxosError(e, "E_PERMISSION")) {
      throw new PohThrow(new PohErrorValue("PermissionError", e.message), e);
    }
    if (isPxosError(e, "E_IO") || isPxosError(e, "E_PATH")) {
      throw new PohThrow(new PohErrorValue("FileError", e.message), e);
    }
    throw e;
  }
}

/** Host-backed built-ins (appended to the table in `builtins.ts`; order is part of `.pbc`). */
export const HOST_BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "ask",
    min: 0,
    max: 1,
    doc: "Ask for x: one line of input (a number when it reads as one)",
    fn: async (_a, ctx) => {
      const line = await hostCall(ctx, "console.readLine", []);
      if (line === null) return "";
      const s = toText(line);
      return s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : s;
    },
  },
  {
    name: "now",
    min: 0,
    max: 0,
    doc: "now(): milliseconds since the epoch (virtual without the clock grant)",
    fn: (_a, ctx) => hostCall(ctx, "clock.now", []),
  },
  {
    name: "readFile",
    min: 1,
    max: 1,
    doc: "read file at p: a cartridge file, else a host file (read permission)",
    fn: async ([p], ctx) => {
      const path = str(p, "read file");
      try {
        return await hostCall(ctx, "cart.read", [path]);
      } catch (e) {
        if (!(e instanceof PohThrow && e.value.type === "FileError")) throw e;
        return await hostCall(ctx, "fs.readText", [path]);
      }
    },
  },
  {
    name: "writeFile",
    min: 2,
    max: 2,
    doc: "write x to file at p (write permission)",
    fn: async ([p, x], ctx) => {
      await hostCall(ctx, "fs.writeText", [str(p, "write to file"), toText(x)]);
      return true;
    },
  },
  {
    name: "appendFile",
    min: 2,
    max: 2,
    doc: "append x to file at p (write permission)",
    fn: async ([p, x], ctx) => {
      await hostCall(ctx, "fs.appendText", [str(p, "append to file"), toText(x)]);
      return true;
    },
  },
  {
    name: "fileExists",
    min: 1,
    max: 1,
    doc: "file exists at p (read permission)",
    fn: async ([p], ctx) => {
      return truthy(await hostCall(ctx, "fs.exists", [str(p, "file exists")]));
    },
  },
];
