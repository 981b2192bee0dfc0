/**
 * The PohLang bytecode instruction set: ONE table that drives the compiler's emitter, the
 * disassembler, the verifier and the generated page `docs/engines/poh_isa.md`.
 *
 * Code is a sequence of signed 32-bit words: an opcode word followed by its operand words.
 * Jump targets are word offsets inside the same function.
 *
 * @module
 */

/** What an operand word means, for checking and printing it. */
export type OperandKind =
  | "const" // index into the constant pool
  | "local" // local slot of the function
  | "upval" // captured-variable index of the function
  | "global" // global slot
  | "func" // function index in the module
  | "target" // code offset (jump target)
  | "count" // a small non-negative count
  | "builtin"; // index into the built-in table

/** One instruction: mnemonic, opcode, operands, stack effect, one-line doc. */
export interface OpSpec {
  readonly name: string;
  readonly code: number;
  readonly operands: readonly OperandKind[];
  /** Values popped; `"n"` = the count operand, `"n+1"` = count plus one, `"2n"` = twice it. */
  readonly pop: number | "n" | "n+1" | "2n";
  readonly push: number;
  /** True when execution never falls through to the next instruction. */
  readonly ends?: boolean;
  readonly doc: string;
}

/** The instruction table. Opcodes are stable: append new rows, never renumber. */
export const OPS: readonly OpSpec[] = [
  { name: "CONST", code: 1, operands: ["const"], pop: 0, push: 1, doc: "push a constant" },
  { name: "NULL", code: 2, operands: [], pop: 0, push: 1, doc: "push nothing (None)" },
  { name: "TRUE", code: 3, operands: [], pop: 0, push: 1, doc: "push True" },
  { name: "FALSE", code: 4, operands: [], pop: 0, push: 1, doc: "push False" },
  { name: "POP", code: 5, operands: [], pop: 1, push: 0, doc: "drop the top value" },
  {
    name: "LOAD_LOCAL",
    code: 7,
    operands: ["local"],
    pop: 0,
    push: 1,
    doc: "push a local (NameError when it has no value yet)",
  },
  { name: "STORE_LOCAL", code: 8, operands: ["local"], pop: 1, push: 0, doc: "pop into a local" },
  {
    name: "LOAD_CELL",
    code: 9,
    operands: ["local"],
    pop: 0,
    push: 1,
    doc: "push the value in a local's shared cell",
  },
  {
    name: "STORE_CELL",
    code: 10,
    operands: ["local"],
    pop: 1,
    push: 0,
    doc: "pop into a local's shared cell",
  },
  {
    name: "MAKE_CELL",
    code: 11,
    operands: ["local"],
    pop: 0,
    push: 0,
    doc: "move a local into a new shared cell (captured variables)",
  },
  {
    name: "LOAD_UPVAL",
    code: 12,
    operands: ["upval"],
    pop: 0,
    push: 1,
    doc: "push a captured variable",
  },
  {
    name: "STORE_UPVAL",
    code: 13,
    operands: ["upval"],
    pop: 1,
    push: 0,
    doc: "pop into a captured variable",
  },
  {
    name: "LOAD_GLOBAL",
    code: 14,
    operands: ["global"],
    pop: 0,
    push: 1,
    doc: "push a global (NameError when unset)",
  },
  {
    name: "STORE_GLOBAL",
    code: 15,
    operands: ["global"],
    pop: 1,
    push: 0,
    doc: "pop into a global",
  },
  {
    name: "ADD",
    code: 16,
    operands: [],
    pop: 2,
    push: 1,
    doc: "a plus b (numbers add, text joins, lists concatenate)",
  },
  { name: "SUB", code: 17, operands: [], pop: 2, push: 1, doc: "a minus b" },
  { name: "MUL", code: 18, operands: [], pop: 2, push: 1, doc: "a times b" },
  {
    name: "DIV",
    code: 19,
    operands: [],
    pop: 2,
    push: 1,
    doc: "a divided by b (MathError on zero)",
  },
  { name: "MOD", code: 20, operands: [], pop: 2, push: 1, doc: "a modulo b (MathError on zero)" },
  { name: "NEG", code: 21, operands: [], pop: 1, push: 1, doc: "minus a" },
  { name: "NOT", code: 22, operands: [], pop: 1, push: 1, doc: "not a (truthiness)" },
  { name: "TO_BOOL", code: 23, operands: [], pop: 1, push: 1, doc: "a's truthiness as True/False" },
  { name: "EQ", code: 24, operands: [], pop: 2, push: 1, doc: "a is b (structural)" },
  { name: "NE", code: 25, operands: [], pop: 2, push: 1, doc: "a is not b" },
  { name: "LT", code: 26, operands: [], pop: 2, push: 1, doc: "a < b (numbers or texts)" },
  { name: "LE", code: 27, operands: [], pop: 2, push: 1, doc: "a <= b" },
  { name: "GT", code: 28, operands: [], pop: 2, push: 1, doc: "a > b" },
  { name: "GE", code: 29, operands: [], pop: 2, push: 1, doc: "a >= b" },
  { name: "JUMP", code: 30, operands: ["target"], pop: 0, push: 0, ends: true, doc: "jump" },
  {
    name: "JUMP_IF_FALSE",
    code: 31,
    operands: ["target"],
    pop: 1,
    push: 0,
    doc: "pop; jump when falsy",
  },
  {
    name: "JUMP_IF_TRUE",
    code: 32,
    operands: ["target"],
    pop: 1,
    push: 0,
    doc: "pop; jump when truthy",
  },
  {
    name: "JUMP_IF_NOT_LT",
    code: 33,
    operands: ["target"],
    pop: 2,
    push: 0,
    doc: "pop a, b; jump unless a < b",
  },
  {
    name: "JUMP_IF_NOT_LE",
    code: 34,
    operands: ["target"],
    pop: 2,
    push: 0,
    doc: "pop a, b; jump unless a <= b",
  },
  {
    name: "JUMP_IF_NOT_GT",
    code: 35,
    operands: ["target"],
    pop: 2,
    push: 0,
    doc: "pop a, b; jump unless a > b",
  },
  {
    name: "JUMP_IF_NOT_GE",
    code: 36,
    operands: ["target"],
    pop: 2,
    push: 0,
    doc: "pop a, b; jump unless a >= b",
  },
  {
    name: "JUMP_IF_NOT_EQ",
    code: 37,
    operands: ["target"],
    pop: 2,
    push: 0,
    doc: "pop a, b; jump unless a is b",
  },
  {
    name: "JUMP_IF_NOT_NE",
    code: 38,
    operands: ["target"],
    pop: 2,
    push: 0,
    doc: "pop a, b; jump unless a is not b",
  },
  { name: "ADD_CONST", code: 39, operands: ["const"], pop: 1, push: 1, doc: "a plus a constant" },
  { name: "SUB_CONST", code: 40, operands: ["const"], pop: 1, push: 1, doc: "a minus a constant" },
  {
    name: "INC_LOCAL",
    code: 41,
    operands: ["local", "const"],
    pop: 0,
    push: 0,
    doc: "local plus a constant, in place (Increase x by k)",
  },
  {
    name: "CALL",
    code: 42,
    operands: ["count"],
    pop: "n+1",
    push: 1,
    doc: "call the function below n arguments",
  },
  {
    name: "CALL_GLOBAL",
    code: 43,
    operands: ["global", "count"],
    pop: "n",
    push: 1,
    doc: "call the function in a global with n arguments",
  },
  {
    name: "RETURN",
    code: 44,
    operands: [],
    pop: 1,
    push: 0,
    ends: true,
    doc: "return the top value",
  },
  {
    name: "RETURN_NULL",
    code: 45,
    operands: [],
    pop: 0,
    push: 0,
    ends: true,
    doc: "return nothing",
  },
  {
    name: "CLOSURE",
    code: 46,
    operands: ["func"],
    pop: 0,
    push: 1,
    doc: "make a function value, capturing its upvalues",
  },
  {
    name: "MAKE_LIST",
    code: 47,
    operands: ["count"],
    pop: "n",
    push: 1,
    doc: "pop n values into a new list",
  },
  {
    name: "MAKE_DICT",
    code: 48,
    operands: ["count"],
    pop: "2n",
    push: 1,
    doc: "pop n key/value pairs into a new dictionary",
  },
  { name: "INDEX", code: 49, operands: [], pop: 2, push: 1, doc: "target[index]" },
  {
    name: "SET_INDEX",
    code: 50,
    operands: [],
    pop: 3,
    push: 0,
    doc: "pop target, index, value; target[index] = value",
  },
  {
    name: "BUILTIN",
    code: 51,
    operands: ["builtin", "count"],
    pop: "n",
    push: 1,
    doc: "call a built-in with n arguments",
  },
  {
    name: "WRITE",
    code: 52,
    operands: [],
    pop: 1,
    push: 0,
    doc: "print a value and a newline (console.write)",
  },
  {
    name: "WRITE_RESULT",
    code: 53,
    operands: [],
    pop: 1,
    push: 0,
    doc: "print a value unless it is nothing (Use)",
  },
  {
    name: "CALL0_IF_FUNC",
    code: 54,
    operands: [],
    pop: 1,
    push: 1,
    doc: "call the top value with no arguments when it is a function (Write f)",
  },
  {
    name: "TRY_BEGIN",
    code: 55,
    operands: ["target"],
    pop: 0,
    push: 0,
    doc: "install a handler: a guest error resets the stack, pushes the error, jumps",
  },
  { name: "TRY_END", code: 56, operands: [], pop: 0, push: 0, doc: "remove the innermost handler" },
  {
    name: "THROW",
    code: 57,
    operands: [],
    pop: 1,
    push: 0,
    ends: true,
    doc: "throw the top value (text becomes a RuntimeError)",
  },
  {
    name: "ERROR_IS_TYPE",
    code: 58,
    operands: ["const"],
    pop: 1,
    push: 1,
    doc: "is the error of this type (case-insensitive)?",
  },
  {
    name: "TO_COUNT",
    code: 59,
    operands: [],
    pop: 1,
    push: 1,
    doc: "a repeat count: a number, rounded down (TypeError otherwise)",
  },
  {
    name: "JUMP_IF_SET",
    code: 60,
    operands: ["local", "target"],
    pop: 0,
    push: 0,
    doc: "jump when the local has a value (skips a default parameter)",
  },
  {
    name: "JUMP_IF_NOT_LT_LK",
    code: 61,
    operands: ["local", "const", "target"],
    pop: 0,
    push: 0,
    doc: "jump unless local < constant",
  },
  {
    name: "JUMP_IF_NOT_LE_LK",
    code: 62,
    operands: ["local", "const", "target"],
    pop: 0,
    push: 0,
    doc: "jump unless local <= constant",
  },
  {
    name: "JUMP_IF_NOT_GT_LK",
    code: 63,
    operands: ["local", "const", "target"],
    pop: 0,
    push: 0,
    doc: "jump unless local > constant",
  },
  {
    name: "JUMP_IF_NOT_GE_LK",
    code: 64,
    operands: ["local", "const", "target"],
    pop: 0,
    push: 0,
    doc: "jump unless local >= constant",
  },
  {
    name: "JUMP_IF_NOT_EQ_LK",
    code: 65,
    operands: ["local", "const", "target"],
    pop: 0,
    push: 0,
    doc: "jump unless local is constant",
  },
  {
    name: "JUMP_IF_NOT_NE_LK",
    code: 66,
    operands: ["local", "const", "target"],
    pop: 0,
    push: 0,
    doc: "jump unless local is not constant",
  },
  {
    name: "RETURN_LOCAL",
    code: 67,
    operands: ["local"],
    pop: 0,
    push: 0,
    ends: true,
    doc: "return a local",
  },
  {
    name: "LOCAL_ADD_CONST",
    code: 68,
    operands: ["local", "const"],
    pop: 0,
    push: 1,
    doc: "push local plus a constant",
  },
  {
    name: "LOCAL_SUB_CONST",
    code: 69,
    operands: ["local", "const"],
    pop: 0,
    push: 1,
    doc: "push local minus a constant",
  },
  {
    name: "FOR_NEXT",
    code: 70,
    operands: ["local", "local", "target"],
    pop: 0,
    push: 1,
    doc: "push item b of the list in local a and advance b; when b is past the end, jump " +
      "(pushing nothing)",
  },
  {
    name: "IMPORT",
    code: 71,
    operands: ["func"],
    pop: 0,
    push: 1,
    doc: "run a module's function the first time this module is imported; push nothing (None)",
  },
];

/** Opcode constants by mnemonic, for the compiler and the VM's dispatch. */
export const Op = Object.freeze(Object.fromEntries(OPS.map((o) => [o.name, o.code]))) as Readonly<
  Record<string, number>
>;

/** Specs by opcode (sparse array; `undefined` = not an opcode). */
export const OP_BY_CODE: readonly (OpSpec | undefined)[] = (() => {
  const table: (OpSpec | undefined)[] = [];
  for (const o of OPS) table[o.code] = o;
  return table;
})();

/** Words an instruction with this opcode takes (opcode plus operands). */
export function instructionWidth(spec: OpSpec): number {
  return 1 + spec.operands.length;
}

/**
 * Renders the ISA page, `docs/engines/poh_isa.md`; a test keeps the committed page equal to it.
 *
 * @returns the Markdown text
 */
export function generatePohIsaDoc(): string {
  const lines = [
    "# PohLang bytecode instruction set",
    "",
    "Generated from `src/engines/poh/isa.ts` by `generatePohIsaDoc()`; do not edit by hand.",
    "Each instruction is an opcode word followed by its operand words (signed 32-bit,",
    "little-endian in the `.pbc` file). Stack effect: values popped → values pushed.",
    "",
    "| opcode | mnemonic | operands | stack | description |",
    "|---:|---|---|---|---|",
  ];
  for (const o of OPS) {
    const operands = o.operands.length ? o.operands.join(", ") : "—";
    const end = o.ends ? " (no fall-through)" : "";
    lines.push(
      `| ${o.code} | \`${o.name}\` | ${operands} | ${o.pop} → ${o.push} | ${o.doc}${end} |`,
    );
  }
  return lines.join("\n") + "\n";
}
