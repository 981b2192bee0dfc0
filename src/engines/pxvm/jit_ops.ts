/**
 * The fast tier's instruction emitters: the JavaScript each pxVM instruction compiles to, read
 * from the ISA table's opcode bytes. Only numbers from the decoded table reach the source.
 *
 * @module
 */
import { STRIDE } from "./decode.ts";
import { MEMORY_SIZE, OPCODE_BY_NAME, OPCODES, type OpcodeSpec } from "./isa.ts";

/** The opcode bytes of the ISA table's rows that `test` accepts. */
function opcodesWhere(test: (row: OpcodeSpec) => boolean): ReadonlySet<number> {
  return new Set(OPCODES.filter(test).map((row) => row.opcode));
}

/** Opcodes the fast tier runs itself: all but `SYSCALL`, which bails to the interpreter. */
export const SIMPLE = opcodesWhere((row) => row.mnemonic !== "SYSCALL");

/** Instructions that end a block (control leaves or may leave): jumps, calls, returns, HALT. */
export const ENDS_BLOCK = opcodesWhere((row) =>
  row.operands.includes("addr") || row.mnemonic === "RET" || row.mnemonic === "HALT"
);

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

/**
 * The register a memory access (opcode `h`, operands `a`, `b`) addresses and the bytes it
 * touches; `undefined` for any other instruction.
 */
export function memoryAccess(
  h: number,
  a: number,
  b: number,
): [register: number, size: number] | undefined {
  if (h < 0x60 || h > 0x65) return undefined;
  return [h <= 0x62 ? b : a, WIDTHS[(h - 0x60) % 3].size];
}

/**
 * JS for one simple instruction; `bail` is the statement that leaves before it runs. A memory
 * access whose address is known to lie in memory (`inMemory`) has no bounds check.
 */
export function emit(
  h: number,
  a: number,
  b: number,
  c: number,
  bail: string,
  next: number,
  inMemory = false,
): string {
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
      // The flag is kept as the compared pair (see FLAG_STATE): no -1/0/1 is computed here.
      return `fa = ${r(a)}; fb = ${r(b)};`;
    case 0x41:
      // Flipping the sign bit turns an unsigned compare into a signed one.
      return `fa = ${r(a)} ^ -2147483648; fb = ${r(b)} ^ -2147483648;`;
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
      // One unsigned compare: a negative address is a huge one.
      if (inMemory) return access;
      return `if ((${at} >>> 0) > ${MEMORY_SIZE - width.size}) { ${bail} } ${access}`;
    }
  }
  return bail;
}

/**
 * How compiled code holds the flag: as the pair last compared, `fa` and `fb` (sign-flipped for
 * `CMPU`), so the flag is `sign(fa - fb)` and each conditional jump compares the pair directly.
 * `enter` sets the pair from the interpreter's flag, `leave` gives the flag back.
 */
export const FLAG_STATE = {
  enter: (flag: string) => `fa = ${flag}, fb = 0`,
  leave: "fa < fb ? -1 : fa > fb ? 1 : 0",
} as const;

/** The condition each conditional jump on the flag tests: `flag <op> 0`, i.e. `fa <op> fb`. */
const FLAG_JUMPS = new Map(
  Object.entries({ JEQ: "===", JNE: "!==", JLT: "<", JLE: "<=", JGT: ">", JGE: ">=" })
    .map(([name, op]) => [opcodeOf(name), `fa ${op} fb`]),
);

/**
 * JS for a block's last instruction when it transfers control; `edge(t, holds)` is the code that
 * goes to instruction `t` (inline, a loop's next lap, or through the dispatch), `holds` saying
 * for a conditional jump whether its condition held on that way.
 */
export function emitJump(
  h: number,
  a: number,
  b: number,
  next: number,
  bail: string,
  edge: (target: number, holds?: boolean) => string,
): string {
  const cond = (test: string, target: number) =>
    `if (${test}) { ${edge(target, true)} } ${edge(next, false)}`;
  const flagJump = FLAG_JUMPS.get(h);
  if (flagJump) return cond(flagJump, a);
  switch (h) {
    case 0x50:
      return edge(a);
    case 0x57:
      return cond(`${r(a)} === 0`, b);
    case 0x58:
      return cond(`${r(a)} !== 0`, b);
    case 0x59:
      return `if (sp < 4) { ${bail} } sp -= 4; view.setUint32(sp, ${b}, true); ${edge(a)}`;
  }
  return "";
}

/**
 * JS for `RET`: pops the return address; for each of `predicted` (a return address and the code
 * that goes on from there) a direct branch, else `leave` and the dispatch on the address.
 */
export function emitReturn(bail: string, leave: string, predicted: [number, string][]): string {
  const direct = predicted.map(([address, code]) => `if (t === ${address}) { sp += 4; ${code} } `);
  return `if (sp > ${MEMORY_SIZE - 4}) { ${bail} } { const t = view.getUint32(sp, true); ` +
    direct.join("") + `const ti = t < indexOf.length ? indexOf[t] : -1; ` +
    `if (ti < 0) { ${bail} } sp += 4; ${leave} ip = ti; continue out; }`;
}

/**
 * Each `CALL`'s return site: the address it pushes and the instruction a `RET` popping that
 * address goes to (`indexOf`, as the interpreter looks it up).
 */
export function returnSites(code: Int32Array, n: number, indexOf: Int32Array): [number, number][] {
  const sites = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const address = code[k * STRIDE + 2];
    if (code[k * STRIDE] !== 0x59 || address < 0 || address >= indexOf.length) continue;
    if (indexOf[address] >= 0) sites.set(address, indexOf[address]);
  }
  return [...sites];
}

/** Jump and call targets of instruction `k` (empty for anything else). */
export function blockTargets(code: Int32Array, k: number): number[] {
  const h = code[k * STRIDE];
  if (h >= 0x50 && h <= 0x56) return [code[k * STRIDE + 1]];
  if (h === 0x57 || h === 0x58) return [code[k * STRIDE + 2]];
  if (h === 0x59) return [code[k * STRIDE + 1]];
  return [];
}
