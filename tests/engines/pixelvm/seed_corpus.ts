/**
 * A seeded generator of seed-convention programs (one stack: CALL pushes the return address, RET
 * pops it) for differential tests of the compiled tier: functions of one or two arguments that
 * SWAP/ROT around the return address, single and double recursion (sometimes deeper than the
 * native frame limit), mutual calls, printing, division that may trap, and now and then a return
 * that pops something other than the return address.
 */
import type { Rng } from "./corpus.ts";

/** Pixel Assembly for one random seed-style program. */
export function generateSeedSource(rng: Rng): string {
  const fns = Array.from({ length: 1 + rng.int(3) }, (_, i) => ({
    name: `f${i}`,
    args: rng.int(4) === 0 ? 2 : 1,
  }));
  const out: string[] = [];
  for (let i = 0; i < 1 + rng.int(3); i++) {
    const f = rng.pick(fns);
    if (f.args === 2) out.push(`PUSH ${rng.i32()}`);
    out.push(`PUSH ${rng.int(10) === 0 ? 250 + rng.int(400) : rng.int(12)}`, `CALL ${f.name}`);
    out.push(rng.pick(["PRINT", "POP", "HOST_CALL write_int"]));
  }
  out.push("HALT");
  for (const f of fns) {
    const callee = () => rng.pick(fns);
    const call = (g: { name: string; args: number }) =>
      g.args === 2 ? ["PUSH 3", "SWAP", `CALL ${g.name}`] : [`CALL ${g.name}`];
    // (x budget ret) or (budget ret) → (ret budget), printing x.
    out.push(`${f.name}:`, ...(f.args === 2 ? ["ROT", "ROT", "SWAP", "PRINT"] : ["SWAP"]));
    out.push("DUP", "PUSH 0", "GT", `JNZ ${f.name}_body`, "SWAP", "RET");
    out.push(`${f.name}_body:`, "DUP", "PUSH 1", "SUB", ...call(callee())); // (ret n r)
    if (rng.int(3) === 0) {
      // A second recursive call on n-2: (ret n r) → (ret r n-2) → (ret r r2) → (ret r+r2).
      out.push("SWAP", "PUSH 2", "SUB", ...call(callee()), "ADD");
    } else {
      out.push(rng.pick(["ADD", "SUB", "MUL", "XOR", "SWAP\nPOP", "POP", "DIV", "MOD"]));
    }
    if (rng.int(3) === 0) out.push("DUP", "PRINT");
    if (rng.int(25) === 0) out.push("SWAP", "POP", "PUSH 1"); // returns to offset 1: a trap
    out.push("SWAP", "RET");
  }
  return out.join("\n");
}
