/**
 * A seeded generator of function-heavy Pixel Assembly for differential tests of the compiled tier:
 * frames of every size, calls between functions with 0/1 (sometimes 2) results, bounded recursion
 * (sometimes deeper than the native frame limit), loops, host operations, memory, division, and
 * now and then code whose stack use is not provable (a local outside the frame, a pop below it).
 */
import type { Rng } from "./corpus.ts";

interface Fn {
  name: string;
  args: number;
  results: number;
}

/** Pixel Assembly for one random program. */
export function generateFunctionSource(rng: Rng): string {
  const fns: Fn[] = Array.from({ length: 1 + rng.int(4) }, (_, i) => ({
    name: `f${i}`,
    args: 1 + rng.int(3),
    results: rng.int(8) === 0 ? rng.pick([0, 2]) : 1,
  }));
  const out: string[] = [".memory 256"];
  // main: a frame of its own (a region entered by fall-through), calls, prints.
  out.push("PUSH 3", "PUSH 9", "ENTER 2");
  let labels = 0;
  const label = () => `L${labels++}`;
  for (let i = 0; i < 2 + rng.int(3); i++) {
    const f = rng.pick(fns);
    const depthArg = rng.int(10) === 0 ? 250 + rng.int(400) : rng.int(8);
    out.push(`PUSH ${depthArg}`);
    for (let a = 1; a < f.args; a++) out.push(`PUSH ${rng.i32()}`);
    out.push(`CALL ${f.name}`);
    for (let r = 0; r < f.results; r++) out.push(rng.pick(["PRINT", "POP", "HOST_CALL write_int"]));
  }
  if (rng.int(2) === 0) {
    const head = label();
    out.push("PUSH 20", `${head}:`, "LGET 2", "LGET 0", "ADD", "LSET 0");
    out.push("LGET 2", "PUSH 1", "SUB", "LSET 2", "LGET 2", `JNZ ${head}`, "POP");
  }
  out.push("LGET 0", "PRINT", "HALT");
  for (const f of fns) out.push(...functionBody(rng, f, fns, label));
  return out.join("\n");
}

function functionBody(rng: Rng, f: Fn, fns: Fn[], label: () => string): string[] {
  const out = [`${f.name}: ENTER ${f.args}`];
  let d = f.args;
  // Local 0 is the recursion budget: at 0 or below, return right away.
  const body = label();
  out.push("LGET 0", "PUSH 0", "GT", `JNZ ${body}`);
  for (let r = 0; r < f.results; r++) out.push(`PUSH ${r + 7}`);
  out.push(`RETN ${f.results}`, `${body}:`);
  const steps = 3 + rng.int(12);
  for (let i = 0; i < steps; i++) {
    const k = rng.int(21);
    if (k < 3) {
      out.push(`PUSH ${rng.i32()}`);
      d++;
    } else if (k < 6 && d >= 2) {
      out.push(
        rng.pick(["ADD", "SUB", "MUL", "AND", "OR", "XOR", "SHL", "SHR", "SHRU", "LT", "EQ"]),
      );
      d--;
    } else if (k === 6 && d >= 2 && rng.int(3) === 0) {
      out.push(rng.pick(["DIV", "MOD"]));
      d--;
    } else if (k === 7) {
      out.push(`LGET ${rng.int(25) === 0 || d === 0 ? d + rng.int(3) : rng.int(d)}`);
      d++;
    } else if (k === 8 && d >= 3) {
      out.push(`LSET ${1 + rng.int(d - 2)}`); // never the budget in local 0
      d--;
    } else if (k === 9 && d >= 1) {
      out.push(rng.pick(["DUP", "NEG", "NOT", "PRINT", "HOST_CALL write_int", "POP"]));
      d += { DUP: 1, NEG: 0, NOT: 0 }[out[out.length - 1]] ?? -1;
    } else if (k === 10 && d >= 3) {
      out.push(rng.pick(["SWAP", "OVER", "ROT"]));
      if (out[out.length - 1] === "OVER") d++;
    } else if (k < 14) {
      // A call with a smaller budget: bounded recursion, sometimes deep.
      const g = rng.pick(fns);
      out.push("LGET 0", `PUSH ${rng.int(4) === 0 ? 1 : 1 + rng.int(3)}`, "SUB");
      for (let a = 1; a < g.args; a++) out.push(`PUSH ${rng.int(100) - 20}`);
      out.push(`CALL ${g.name}`);
      d += g.results;
    } else if (k === 14) {
      out.push(`PUSH ${rng.int(70) - 2}`, rng.pick(["LOAD", "LOADB"]));
      d++;
    } else if (k === 15 && d >= 1) {
      out.push(`PUSH ${rng.int(70) - 2}`, rng.pick(["STORE", "STOREB"]));
      d--;
    } else if (k === 16) {
      // A counted loop over a temporary slot.
      const head = label();
      out.push(`PUSH ${1 + rng.int(5)}`, `${head}:`, `LGET ${d}`, "PUSH 1", "SUB", `LSET ${d}`);
      out.push(`LGET ${d}`, "PUSH 3", "MUL", "POP", `LGET ${d}`, `JNZ ${head}`, "POP");
    } else if (k === 17 && d >= 1 && rng.int(2) === 0) {
      // A forward branch over a balanced piece.
      const skip = label();
      out.push(`LGET ${rng.int(d)}`, `PUSH ${rng.int(5)}`, "LT", `JZ ${skip}`);
      out.push(`PUSH ${rng.int(9)}`, "POP", `${skip}:`);
    } else if (k === 18 && rng.int(4) === 0) {
      out.push(rng.pick(["POP", "ADD", "RET", "HOST_CALL print_top"])); // maybe below the frame
      d = Math.max(d - 1, 0);
    } else if (k === 19) {
      // A loop whose latch is shared by two branches (the shape copied into each way in).
      const [head, latch, exit] = [label(), label(), label()];
      out.push(`PUSH ${rng.int(6)}`, `${head}:`, `LGET ${d}`, `JZ ${exit}`, `LGET ${d}`, "PUSH 2");
      out.push("MOD", `JZ ${latch}`, `LGET ${d}`, "PUSH 3", "MUL", rng.pick(["POP", "PRINT"]));
      out.push(`JMP ${latch}`, `${latch}:`, `LGET ${d}`, "PUSH 1", "SUB", `LSET ${d}`);
      out.push(`JMP ${head}`, `${exit}:`, "POP");
    } else {
      out.push("NOP");
    }
  }
  for (let r = 0; r < f.results; r++) out.push(`PUSH ${r}`);
  out.push(`RETN ${f.results}`);
  return out;
}
