/**
 * The shared opcode facts (`op_semantics.ts`): each binary operator's two forms agree, and the
 * stack effects read from the ISA table are the ones the region analysis relies on.
 */
import { INTERNAL_NAMES } from "../../../src/engines/pixelvm/decode.ts";
import { PIXELVM_ISA } from "../../../src/engines/pixelvm/isa.ts";
import {
  BINARY_OPS,
  DATA_FLOW_EFFECTS,
  flowTargets,
  parseStackEffect,
} from "../../../src/engines/pixelvm/op_semantics.ts";
import { assert, assertEquals } from "../../assert.ts";

const EDGES = [0, 1, -1, 2, 3, -7, 31, 32, 33, 65536, 2147483647, -2147483648];
const opcode = (name: string) => INTERNAL_NAMES.indexOf(name);

Deno.test("every binary operator's JS source computes what its function computes", () => {
  assertEquals(BINARY_OPS.size, 17);
  for (const [op, binary] of BINARY_OPS) {
    const compiled = new Function("a", "b", `return ${binary.source("a", "b")};`);
    for (const a of EDGES) {
      for (const b of EDGES) {
        if (b === 0 && binary.trapsOnZero) continue;
        const want = binary.apply(a, b);
        assertEquals(compiled(a, b), want, `${INTERNAL_NAMES[op]} ${a} ${b}`);
        assertEquals(want | 0, want, `${INTERNAL_NAMES[op]} gives an i32`);
      }
    }
  }
  const trapping = [...BINARY_OPS].filter(([, b]) => b.trapsOnZero).map(([op]) => op);
  assertEquals(trapping.map((op) => INTERNAL_NAMES[op]), ["DIV", "MOD"]);
  assertEquals(BINARY_OPS.get(opcode("SUB"))!.apply(7, 10), -3); // operand order: a - b
});

Deno.test("each comparison's fused test holds exactly when it computes 1", () => {
  const compared = [...BINARY_OPS].filter(([, b]) => b.test !== undefined);
  assertEquals(compared.map(([op]) => INTERNAL_NAMES[op]).sort(), [
    "EQ",
    "GE",
    "GT",
    "LE",
    "LT",
    "NE",
  ]);
  for (const [op, binary] of compared) {
    const test = new Function("a", "b", `return ${binary.test!("a", "b")};`);
    for (const a of EDGES) {
      for (const b of EDGES) {
        assertEquals(test(a, b) ? 1 : 0, binary.apply(a, b), `${INTERNAL_NAMES[op]} ${a} ${b}`);
      }
    }
  }
});

Deno.test("stack effects are read from the ISA table's Forth notation", () => {
  assertEquals(parseStackEffect("(a b -- a+b)"), [2, -1]);
  assertEquals(parseStackEffect("( -- v)"), [0, 1]);
  assertEquals(parseStackEffect("(a b -- a b a)"), [2, 1]);
  assertEquals(parseStackEffect("( -- )"), [0, 0]);
  for (const row of PIXELVM_ISA) parseStackEffect(row.stack); // every row is well formed
  let threw = false;
  try {
    parseStackEffect("a -- b");
  } catch {
    threw = true;
  }
  assert(threw, "notation without parentheses is refused");
  const effect = (name: string) => DATA_FLOW_EFFECTS.get(opcode(name));
  assertEquals(effect("OVER"), [2, 1]);
  assertEquals(effect("ROT"), [3, 0]);
  assertEquals(effect("STOREB"), [2, -2]);
  assertEquals(effect("JNZ"), [1, -1]);
  assertEquals(effect("GE"), [2, -1]);
  // Frames, calls, returns and host operations are the region analysis's own business.
  for (const name of ["LGET", "LSET", "ENTER", "CALL", "RET", "RETN", "HOST_CALL", "PRINT"]) {
    assertEquals(effect(name), undefined, name);
  }
  assertEquals(DATA_FLOW_EFFECTS.size, 16 + BINARY_OPS.size);
});

Deno.test("flowTargets: jumps, conditional jumps, returns and straight code", () => {
  assertEquals(flowTargets(opcode("JMP"), 9, 4), [9]);
  assertEquals(flowTargets(opcode("JZ"), 9, 4), [9, 5]);
  assertEquals(flowTargets(opcode("JNZ"), 2, 4), [2, 5]);
  assertEquals(flowTargets(opcode("RETN"), 1, 4), []);
  assertEquals(flowTargets(opcode("ADD"), 0, 4), [5]);
  assertEquals(flowTargets(opcode("CALL"), 9, 4), [5]);
});
