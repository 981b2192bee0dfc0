/**
 * PohLang's further file phrases: `read lines from file at p`, `copy file from a to b` and
 * `move file from a to b`. Each is made of the `fs.*` host calls the other file built-ins use,
 * so the same `read`/`write` grants decide them.
 *
 * @module
 */
import type { BuiltinContext, BuiltinSpec } from "./builtins.ts";
import { str } from "./builtin_args.ts";
import { readText } from "./builtins_host.ts";
import { hostCall } from "./host_call.ts";
import { toText } from "./values.ts";

/** Copies host file `from` to `to` (read, then write). */
async function copy(from: string, to: string, ctx: BuiltinContext): Promise<void> {
  const text = await hostCall(ctx, "fs.readText", [from]);
  await hostCall(ctx, "fs.writeText", [to, toText(text)]);
}

/** The file rows (appended to `BUILTINS`; the order is part of `.pbc`). */
export const FILE_BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "readLines",
    min: 1,
    max: 1,
    doc: "read lines from file at p: its lines without line ends (read permission)",
    fn: async ([p], ctx) => {
      const text = toText(await readText(str(p, "read lines"), ctx));
      const lines = text.split(/\r?\n/);
      if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      return lines;
    },
  },
  {
    name: "copyFile",
    min: 2,
    max: 2,
    doc: "copy file from a to b (read and write permission)",
    fn: async ([from, to], ctx) => {
      await copy(str(from, "copy file"), str(to, "copy file"), ctx);
      return true;
    },
  },
  {
    name: "moveFile",
    min: 2,
    max: 2,
    doc: "move file from a to b (read and write permission)",
    fn: async ([from, to], ctx) => {
      const source = str(from, "move file");
      await copy(source, str(to, "move file"), ctx);
      await hostCall(ctx, "fs.remove", [source]);
      return true;
    },
  },
];

/** The file rows' names: they call the host. */
export const FILE_HOST_NAMES: readonly string[] = FILE_BUILTINS.map((b) => b.name);
