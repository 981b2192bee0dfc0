/**
 * The fast tier: translates the pre-decoded table into one JavaScript function (basic blocks as
 * `switch` cases on the instruction index, registers in locals, self-loops as real loops), so a
 * register loop runs near plain-JS speed.
 *
 * Only numbers from the decoded table reach the generated source — never bytes or text from the
 * program — so the translation cannot inject code. Everything that can warn, trap or call out
 * (SYSCALL, bad bytes, bad registers, faults) "bails": the compiled code stores its state and
 * returns, the interpreter runs that instruction exactly, then the fast tier resumes at the next
 * block. Fuel is charged per block before the block runs; a block that does not fit the budget
 * also bails, and a bail in mid-block refunds the instructions not run. So fuel and results are
 * identical to the interpreter's, instruction for instruction.
 *
 * @module
 */
import { type PxvmProgram, STRIDE } from "./decode.ts";
import { MEMORY_SIZE, OPCODE_BY_NAME, OPCODES, type OpcodeSpec } from "./isa.ts";

/** State passed in and out of compiled code. */
export interface FastState {
  /** R0–R7 (and the null register, unused here). */
  regs: Int32Array;
  /** Current instruction index. */
  ip: number;
  /** Stack pointer. */
  sp: number;
  /** Compare flag. */
  flag: number;
  /** Instructions the compiled code may still run. */
  budget: number;
}

/** Why compiled code returned. */
export const EXIT_BAIL = 0;
/** Compiled code hit HALT. */
export const EXIT_HALT = 1;

/** A compiled program: runs until it must bail or halts. */
export type FastCode = (
  s: FastState,
  mem: Uint8Array,
  view: DataView,
  indexOf: Int32Array,
) => number;

/** The opcode bytes of the ISA table's rows that `test` accepts. */
function opcodesWhere(test: (row: OpcodeSpec) => boolean): ReadonlySet<number> {
  return new Set(OPCODES.filter(test).map((row) => row.opcode));
}

/** Opcodes the fast tier runs itself: all but `SYSCALL`, which bails to the interpreter. */
const SIMPLE = opcodesWhere((row) => row.mnemonic !== "SYSCALL");

/** Instructions that end a block (control leaves or may leave): jumps, calls, returns, HALT. */
const ENDS_BLOCK = opcodesWhere((row) =>
  row.operands.includes("addr") || row.mnemonic === "RET" || row.mnemonic === "HALT"
);

/** Marks block leaders: entry points the fast tier can be entered at. */
export function findLeaders(program: PxvmProgram): Uint8Array {
  const n = program.instructions.length;
  const code = program.code;
  const leaders = new Uint8Array(n + 1);
  leaders[program.indexOf[program.entry]] = 1;
  for (let i = 0; i < n; i++) {
    const h = code[i * STRIDE];
    if (!SIMPLE.has(h)) {
      leaders[i] = 1; // compiled code stops here and the interpreter runs it
      leaders[i + 1] = 1; // and resumes after it
      continue;
    }
    if (ENDS_BLOCK.has(h)) leaders[i + 1] = 1;
    for (const target of blockTargets(code, i)) leaders[target] = 1;
  }
  return leaders;
}

const r = (i: number) => `r${i}`;

/** The opcode byte of a mnemonic of the ISA table. */
const opcodeOf = (name: string): number => OPCODE_BY_NAME.get(name)!.opcode;

/** `d = a op b` for the three-register ALU rows, as JS over the operand registers. */
const ALU_ROWS: Record<string, (a: string, b: string) => string> = {
  ADD: (a, b) => `(${a} + ${b}) | 0`,
  SUB: (a, b) => `(${a} - ${b}) | 0`,
  MUL: (a, b) => `Math.imul(${a}, ${b})`,
  DIV: (a, b) => `(${a} / ${b}) | 0`,
  MOD: (a, b) => `(${a} % ${b}) | 0`,
  AND: (a, b) => `${a} & ${b}`,
  OR: (a, b) => `${a} | ${b}`,
  XOR: (a, b) => `${a} ^ ${b}`,
  SHL: (a, b) => `${a} << (${b} & 31)`,
  SHR: (a, b) => `(${a} >>> (${b} & 31)) | 0`,
  SAR: (a, b) => `${a} >> (${b} & 31)`,
};
const ALU = new Map(Object.entries(ALU_ROWS).map(([name, source]) => [opcodeOf(name), source]));
/** The ALU rows that fault on a zero divisor. */
const DIVIDES = new Set([opcodeOf("DIV"), opcodeOf("MOD")]);

/** A memory access of `size` bytes through the DataView's `get<type>`/`set<type>`. */
const viewAccess = (size: number, type: string) => ({
  size,
  read: (at: string) => `view.get${type}(${at}, true)`,
  write: (at: string, v: string) => `view.set${type}(${at}, ${v}, true);`,
});

/** Memory accesses of 1, 2 and 4 bytes (loads and stores): JS to read `at`, and to write it. */
const WIDTHS = [
  {
    size: 1,
    read: (at: string) => `mem[${at}]`,
    write: (at: string, v: string) => `mem[${at}] = ${v};`,
  },
  viewAccess(2, "Uint16"),
  viewAccess(4, "Int32"),
];

/** JS for one simple instruction; `bail` is the statement that leaves before it runs. */
function emit(h: number, a: number, b: number, c: number, bail: string, next: number): string {
  const alu = ALU.get(h);
  if (alu) {
    const guard = DIVIDES.has(h) ? `if (${r(c)} === 0) { ${bail} } ` : "";
    return `${guard}${r(a)} = ${alu(r(b), r(c))};`;
  }
  switch (h) {
    case 0x00:
      return "exit = 1; ip = " + (next - 1) + "; break out;";
    case 0x01:
      return "";
    case 0x10:
    case 0x11:
      return `${r(a)} = ${b | 0};`;
    case 0x20:
      return `${r(a)} = ${r(b)};`;
    case 0x3b:
      return `${r(a)} = ~${r(b)};`;
    case 0x3c:
      return `${r(a)} = (${r(a)} + ${b | 0}) | 0;`;
    case 0x40:
      return `flag = ${r(a)} < ${r(b)} ? -1 : ${r(a)} > ${r(b)} ? 1 : 0;`;
    case 0x41:
      return `flag = (${r(a)} >>> 0) < (${r(b)} >>> 0) ? -1 : ` +
        `(${r(a)} >>> 0) > (${r(b)} >>> 0) ? 1 : 0;`;
    case 0x5b:
      return `if (sp < 4) { ${bail} } sp -= 4; view.setInt32(sp, ${r(a)}, true);`;
    case 0x5c:
      return `if (sp > ${MEMORY_SIZE - 4}) { ${bail} } ${r(a)} = view.getInt32(sp, true); sp += 4;`;
    case 0x60:
    case 0x61:
    case 0x62:
    case 0x63:
    case 0x64:
    case 0x65: {
      const load = h <= 0x62, width = WIDTHS[(h - 0x60) % 3];
      const at = r(load ? b : a);
      const access = load ? `${r(a)} = ${width.read(at)};` : width.write(at, r(b));
      return `if (${at} < 0 || ${at} > ${MEMORY_SIZE - width.size}) { ${bail} } ${access}`;
    }
  }
  return bail;
}

/** The test each conditional jump on the flag makes (the flag is the last compare's sign). */
const FLAG_TESTS = new Map(
  Object.entries({
    JEQ: "flag === 0",
    JNE: "flag !== 0",
    JLT: "flag < 0",
    JLE: "flag <= 0",
    JGT: "flag > 0",
    JGE: "flag >= 0",
  }).map(([name, test]) => [opcodeOf(name), test]),
);

/** JS for a block's last instruction when it transfers control. */
function emitJump(h: number, a: number, b: number, next: number, bail: string, self: string) {
  const go = (target: number) =>
    self && target === Number(self) ? `continue b${self};` : `{ ip = ${target}; continue out; }`;
  const cond = (test: string, target: number) => `if (${test}) ${go(target)} ip = ${next};`;
  const flagTest = FLAG_TESTS.get(h);
  if (flagTest) return cond(flagTest, a);
  switch (h) {
    case 0x50:
      return go(a);
    case 0x57:
      return cond(`${r(a)} === 0`, b);
    case 0x58:
      return cond(`${r(a)} !== 0`, b);
    case 0x59:
      return `if (sp < 4) { ${bail} } sp -= 4; view.setUint32(sp, ${b}, true); ${go(a)}`;
    case 0x5a:
      return `if (sp > ${MEMORY_SIZE - 4}) { ${bail} } ` +
        `{ const t = view.getUint32(sp, true); const ti = t < indexOf.length ? indexOf[t] : -1; ` +
        `if (ti < 0) { ${bail} } sp += 4; ip = ti; continue out; }`;
  }
  return "";
}

/**
 * Compiles a program to its fast form, with the leader table it was built on.
 *
 * @param program a loaded program
 */
export function compileFast(program: PxvmProgram): { run: FastCode; leaders: Uint8Array } {
  const leaders = findLeaders(program);
  const code = program.code;
  const n = program.instructions.length;
  const parts: string[] = [];
  let i = 0;
  while (i <= n) {
    if (!leaders[i]) {
      i++;
      continue;
    }
    // A block: simple instructions from leader i up to a control transfer or the next leader.
    let end = i;
    while (end < n && SIMPLE.has(code[end * STRIDE])) {
      const h = code[end * STRIDE];
      end++;
      if (ENDS_BLOCK.has(h) || leaders[end]) break;
    }
    const len = end - i;
    if (len === 0) {
      parts.push(`case ${i}: exit = 0; ip = ${i}; break out;`);
      i++;
      continue;
    }
    const last = code[(end - 1) * STRIDE];
    const loops = ENDS_BLOCK.has(last) && blockTargets(code, end - 1).includes(i);
    const self = loops ? String(i) : "";
    const body: string[] = [
      `if (budget < ${len}) { exit = 0; ip = ${i}; break out; }`,
      `budget -= ${len};`,
    ];
    for (let k = i; k < end; k++) {
      const base = k * STRIDE;
      const h = code[base];
      const bail = `budget += ${end - k}; exit = 0; ip = ${k}; break out;`;
      body.push(
        ENDS_BLOCK.has(h) && h !== 0x00
          ? emitJump(h, code[base + 1], code[base + 2], k + 1, bail, self)
          : emit(h, code[base + 1], code[base + 2], code[base + 3], bail, k + 1),
      );
    }
    if (!ENDS_BLOCK.has(last)) body.push(`ip = ${end};`);
    if (loops) parts.push(`case ${i}: b${i}: for (;;) { ${body.join(" ")} break; }`);
    else parts.push(`case ${i}: ${body.join(" ")}`);
    i = end > i ? end : i + 1;
  }
  const regs = [0, 1, 2, 3, 4, 5, 6, 7];
  const source = `"use strict";
let ${regs.map((k) => `r${k} = s.regs[${k}]`).join(", ")};
let ip = s.ip, sp = s.sp, flag = s.flag, budget = s.budget, exit = 0;
out: for (;;) {
  switch (ip) {
    ${parts.join("\n    ")}
    default: exit = 0; break out;
  }
}
${regs.map((k) => `s.regs[${k}] = r${k};`).join(" ")}
s.ip = ip; s.sp = sp; s.flag = flag; s.budget = budget;
return exit;`;
  const run = new Function("s", "mem", "view", "indexOf", source) as FastCode;
  return { run, leaders };
}

/** Jump and call targets of instruction `k` (empty for anything else). */
function blockTargets(code: Int32Array, k: number): number[] {
  const h = code[k * STRIDE];
  if (h >= 0x50 && h <= 0x56) return [code[k * STRIDE + 1]];
  if (h === 0x57 || h === 0x58) return [code[k * STRIDE + 2]];
  if (h === 0x59) return [code[k * STRIDE + 1]];
  return [];
}
