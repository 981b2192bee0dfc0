/**
 * The `.pbc` disassembler: constants first, then each function's header (parameters, locals,
 * upvalues) and its code with offsets, source lines and the names operands refer to.
 *
 * @module
 */
import { BUILTINS } from "./builtins.ts";
import { OP_BY_CODE } from "./isa.ts";
import { lineAt, type PohConst, type PohModule } from "./module.ts";

function showConst(c: PohConst): string {
  if (c === null) return "None";
  if (typeof c === "string") return JSON.stringify(c);
  if (typeof c === "boolean") return c ? "True" : "False";
  return String(c);
}

/**
 * Renders a module as text.
 *
 * @param module a module (verified, or at least structurally read)
 * @returns the listing
 */
export function disassembleModule(module: PohModule): string {
  const out: string[] = [`; PohLang bytecode (POHC) — ${module.file}`, "", "constants:"];
  module.consts.forEach((c, i) =>
    out.push(
      `  #${i} ${
        typeof c === "number"
          ? "number"
          : typeof c === "string"
          ? "string"
          : c === null
          ? "null"
          : "boolean"
      } ${showConst(c)}`,
    )
  );
  out.push("", "globals:");
  module.globals.forEach((g, i) => out.push(`  @${i} ${g}`));
  module.functions.forEach((f, fi) => {
    out.push("");
    out.push(
      `function ${fi} ${f.name} (${f.file}:${f.line}) params=${f.paramCount} required=${f.requiredCount}`,
    );
    out.push(`  locals: ${f.localNames.map((n, i) => `${i}=${n}`).join(", ") || "(none)"}`);
    if (f.upvalues.length > 0) {
      out.push(
        `  upvalues: ${
          f.upvalues.map((u, i) =>
            `${i}=${u.name} (${u.fromParentLocal ? "local" : "upval"} ${u.index})`
          ).join(
            ", ",
          )
        }`,
      );
    }
    let lastLine = -1;
    for (let pc = 0; pc < f.code.length;) {
      const spec = OP_BY_CODE[f.code[pc]];
      const where = lineAt(f, pc);
      const lineCol = where.line !== lastLine ? `L${where.line}`.padStart(6) : "      ";
      lastLine = where.line;
      if (!spec) {
        out.push(`  ${String(pc).padStart(5, "0")} ${lineCol}  .word ${f.code[pc]}`);
        pc++;
        continue;
      }
      const parts: string[] = [];
      spec.operands.forEach((kind, k) => {
        const v = f.code[pc + 1 + k];
        let note = "";
        if (kind === "const") note = ` (${showConst(module.consts[v])})`;
        else if (kind === "local") note = ` (${f.localNames[v] ?? "?"})`;
        else if (kind === "global") note = ` (${module.globals[v] ?? "?"})`;
        else if (kind === "func") note = ` (${module.functions[v]?.name ?? "?"})`;
        else if (kind === "builtin") note = ` (${BUILTINS[v]?.name ?? "?"})`;
        else if (kind === "target") note = ` (→ ${String(v).padStart(5, "0")})`;
        parts.push(`${v}${note}`);
      });
      out.push(
        `  ${String(pc).padStart(5, "0")} ${lineCol}  ${spec.name}${
          parts.length ? " " + parts.join(", ") : ""
        }`,
      );
      pc += 1 + spec.operands.length;
    }
  });
  return out.join("\n") + "\n";
}
