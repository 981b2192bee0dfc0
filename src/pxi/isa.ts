/**
 * PXI Assembly's ONE instruction table. Each row names an instruction, the operand roles its
 * JSON form uses, how the x86 backend encodes it (`x86`), whether and how the pxVM backend
 * lowers it (`pxvm`), the forms it takes, and a one-line doc. The parser, the checks, both
 * backends, the NASM comparison test and the generated `docs/PXI.md` are all driven by it.
 *
 * @module
 */

/** How the x86 backend encodes a row (the encoder switches on `kind`). */
export type X86Encoding =
  /** ADD/OR/ADC/SBB/AND/SUB/XOR/CMP: `digit` is the /n of the 80/81/83 group. */
  | { readonly kind: "alu"; readonly digit: number }
  | { readonly kind: "mov" }
  | { readonly kind: "test" }
  | { readonly kind: "lea" }
  /** INC/DEC: 40+r/48+r for 16-bit registers, FE/FF /digit otherwise. */
  | { readonly kind: "incdec"; readonly digit: number }
  /** NOT/NEG/MUL/IMUL/DIV/IDIV: F6/F7 /digit. */
  | { readonly kind: "unary"; readonly digit: number }
  /** SHL/SHR/SAR/ROL/ROR: D0/D1 (by 1), D2/D3 (by CL), C0/C1 (by imm8) /digit. */
  | { readonly kind: "shift"; readonly digit: number }
  | { readonly kind: "push" }
  | { readonly kind: "pop" }
  /** JMP: EB rel8 or E9 rel16. */
  | { readonly kind: "jmp" }
  /** Jcc: 70+cc rel8 or 0F 80+cc rel16. */
  | { readonly kind: "jcc"; readonly cc: number }
  /** LOOP/JCXZ: one opcode, rel8 only. */
  | { readonly kind: "short"; readonly opcode: number }
  | { readonly kind: "call" }
  | { readonly kind: "ret" }
  | { readonly kind: "int" }
  | { readonly kind: "in" }
  | { readonly kind: "out" }
  /** Instructions without operands: their fixed bytes. */
  | { readonly kind: "fixed"; readonly bytes: readonly number[] };

/** How the pxVM backend lowers a row: its lowering name, or why it cannot. */
export type PxvmLowering =
  | { readonly supported: true; readonly note?: string }
  | { readonly supported: false; readonly reason: string };

/** One instruction row. */
export interface InstructionSpec {
  /** Mnemonic, upper case. */
  readonly op: string;
  /** JSON operand names in order (`dst`, `src`, `target`, `value`). */
  readonly roles: readonly string[];
  /** Fewest operands accepted (the rest are optional). */
  readonly minOperands: number;
  /** The x86 encoding. */
  readonly x86: X86Encoding;
  /** The pxVM lowering. */
  readonly pxvm: PxvmLowering;
  /** The operand forms, for the docs (`r/m16, imm`, …). */
  readonly forms: string;
  /**
   * One IR line per supported form. The NASM test assembles each with both assemblers and
   * compares the bytes, so every form in this table is checked.
   */
  readonly examples: readonly string[];
  /** One line on what it does. */
  readonly doc: string;
  /** Accepts a `REP`/`REPE`/`REPNE` prefix. */
  readonly repeatable?: boolean;
  /**
   * For a conditional jump: the pxVM compare of the two flag operands (signed `CMP`, unsigned
   * `CMPU`, or `CMP` against zero for the sign) and the pxVM jump that takes it.
   */
  readonly condition?: PxvmCondition;
}

/** How the pxVM backend tests a condition: compare R6 with R7 (or with 0), then jump. */
export interface PxvmCondition {
  /** `CMP` (signed), `CMPU` (unsigned: reads the carry), or `SIGN` (R6 against 0). */
  readonly compare: "CMP" | "CMPU" | "SIGN";
  /** The pxVM jump (`JEQ`, `JLT`, …). */
  readonly jump: string;
}

const YES: PxvmLowering = { supported: true };
const yes = (note: string): PxvmLowering => ({ supported: true, note });
const no = (reason: string): PxvmLowering => ({ supported: false, reason });

const DS = ["dst", "src"];
const ALU_FORMS = "r/m, r · r, r/m · r/m, imm (83 ib when it fits, AL/AX short forms)";
const aluExamples = (m: string): string[] => [
  `${m} AX, BX`,
  `${m} AL, BL`,
  `${m} AX, [BX]`,
  `${m} [BP+4], CX`,
  `${m} CL, [SI-2]`,
  `${m} AX, 1`,
  `${m} AX, 0x1234`,
  `${m} BX, 0x100`,
  `${m} DX, -3`,
  `${m} AL, 0x7F`,
  `${m} BL, 200`,
  `${m} WORD [BX+SI], 5`,
  `${m} BYTE [DI], 1`,
  `${m} WORD [label], 1000`,
];
const alu = (op: string, digit: number, doc: string, pxvm: PxvmLowering = YES) => ({
  op,
  roles: DS,
  minOperands: 2,
  x86: { kind: "alu", digit } as const,
  pxvm,
  forms: ALU_FORMS,
  examples: aluExamples(op),
  doc,
});
const unary = (op: string, digit: number, doc: string, pxvm: PxvmLowering = YES) => ({
  op,
  roles: op === "NOT" || op === "NEG" ? ["dst"] : ["src"],
  minOperands: 1,
  x86: { kind: "unary", digit } as const,
  pxvm,
  forms: "r/m8 · r/m16",
  examples: [`${op} BL`, `${op} CX`, `${op} BYTE [BX]`, `${op} WORD [BP-2]`],
  doc,
});
const shift = (op: string, digit: number, doc: string, pxvm: PxvmLowering = YES) => ({
  op,
  roles: DS,
  minOperands: 2,
  x86: { kind: "shift", digit } as const,
  pxvm,
  forms: "r/m, 1 · r/m, CL · r/m, imm8",
  examples: [
    `${op} AX, 1`,
    `${op} BL, CL`,
    `${op} DX, 3`,
    `${op} WORD [BX], 1`,
    `${op} BYTE [SI], 2`,
  ],
  doc,
});
/** A jump or call to a label; rel8-only forms have one example, the others a near and a far one. */
const branch = (
  op: string,
  x86: X86Encoding,
  forms: string,
  doc: string,
  pxvm: PxvmLowering = YES,
) => ({
  op,
  roles: ["target"],
  minOperands: 1,
  x86,
  pxvm,
  forms,
  examples: x86.kind === "short" ? [`${op} near_label`] : [`${op} near_label`, `${op} far_label`],
  doc,
});
const jcc = (op: string, cc: number, condition: PxvmCondition, doc: string) => ({
  ...branch(op, { kind: "jcc", cc }, "label (rel8 when it reaches, else 0F 8x rel16)", doc),
  condition,
});
const signed = (jump: string): PxvmCondition => ({ compare: "CMP", jump });
const unsigned = (jump: string): PxvmCondition => ({ compare: "CMPU", jump });
const fixed = (
  op: string,
  bytes: number[],
  doc: string,
  pxvm: PxvmLowering = YES,
  repeatable = false,
) => ({
  op,
  roles: [],
  minOperands: 0,
  x86: { kind: "fixed", bytes } as const,
  pxvm,
  forms: "—",
  examples: repeatable ? [op, `REP ${op}`] : [op],
  doc,
  repeatable,
});

/** The instruction table. */
export const INSTRUCTIONS: readonly InstructionSpec[] = Object.freeze([
  {
    op: "MOV",
    roles: DS,
    minOperands: 2,
    x86: { kind: "mov" },
    pxvm: yes("segment registers are stored but do not change addressing"),
    forms: "r/m, r · r, r/m · r, imm · r/m, imm · Sreg, r/m16 · r/m16, Sreg · AL/AX ↔ [addr]",
    examples: [
      "MOV AX, BX",
      "MOV AL, BH",
      "MOV CX, [BX]",
      "MOV [BP+4], DX",
      "MOV DL, [BX+DI+300]",
      "MOV AX, [label]",
      "MOV AL, [label]",
      "MOV [label], AX",
      "MOV [label], AL",
      "MOV BX, [label]",
      "MOV SI, 0x1234",
      "MOV CL, 'A'",
      "MOV SI, label",
      "MOV WORD [BX], 7",
      "MOV BYTE [BP-1], 0x41",
      "MOV DS, AX",
      "MOV ES, [BX]",
      "MOV AX, CS",
      "MOV [DI], SS",
    ],
    doc: "Copy src to dst (same size).",
  },
  {
    op: "PUSH",
    roles: ["src"],
    minOperands: 1,
    x86: { kind: "push" },
    pxvm: yes("pushes 2 bytes at SS:SP inside pxVM memory"),
    forms: "r16 · Sreg · m16 · imm",
    examples: ["PUSH AX", "PUSH DS", "PUSH CS", "PUSH WORD [BX]", "PUSH 5", "PUSH 0x1234"],
    doc: "SP -= 2, then store src at [SP].",
  },
  {
    op: "POP",
    roles: ["dst"],
    minOperands: 1,
    x86: { kind: "pop" },
    pxvm: YES,
    forms: "r16 · Sreg (not CS) · m16",
    examples: ["POP AX", "POP DI", "POP ES", "POP WORD [BX+2]"],
    doc: "Load dst from [SP], then SP += 2.",
  },
  {
    op: "LEA",
    roles: DS,
    minOperands: 2,
    x86: { kind: "lea" },
    pxvm: YES,
    forms: "r16, m",
    examples: ["LEA SI, [BX+SI+4]", "LEA DI, [label]", "LEA AX, [BP-6]"],
    doc: "dst = the address of the memory operand.",
  },
  alu("ADD", 0, "dst = dst + src."),
  alu("OR", 1, "dst = dst | src."),
  alu("ADC", 2, "dst = dst + src + CF.", no("pxVM has no carry flag")),
  alu("SBB", 3, "dst = dst - src - CF.", no("pxVM has no carry flag")),
  alu("AND", 4, "dst = dst & src."),
  alu("SUB", 5, "dst = dst - src."),
  alu("XOR", 6, "dst = dst ^ src."),
  alu("CMP", 7, "Set the flags from dst - src; dst is unchanged."),
  {
    op: "TEST",
    roles: DS,
    minOperands: 2,
    x86: { kind: "test" },
    pxvm: YES,
    forms: "r/m, r · AL/AX, imm · r/m, imm",
    examples: [
      "TEST AX, BX",
      "TEST BL, CL",
      "TEST [BX], DX",
      "TEST AL, 1",
      "TEST AX, 0x8000",
      "TEST BX, 1",
      "TEST BYTE [SI], 0x80",
    ],
    doc: "Set the flags from dst & src; dst is unchanged.",
  },
  {
    op: "INC",
    roles: ["dst"],
    minOperands: 1,
    x86: { kind: "incdec", digit: 0 },
    pxvm: YES,
    forms: "r16 (40+r) · r/m8 · m16",
    examples: ["INC AX", "INC SI", "INC BL", "INC BYTE [BX]", "INC WORD [BP+2]"],
    doc: "dst = dst + 1.",
  },
  {
    op: "DEC",
    roles: ["dst"],
    minOperands: 1,
    x86: { kind: "incdec", digit: 1 },
    pxvm: YES,
    forms: "r16 (48+r) · r/m8 · m16",
    examples: ["DEC CX", "DEC DI", "DEC AH", "DEC BYTE [label]", "DEC WORD [BX]"],
    doc: "dst = dst - 1.",
  },
  unary("NOT", 2, "dst = ~dst."),
  unary("NEG", 3, "dst = -dst."),
  unary("MUL", 4, "Unsigned: AX = AL * src (8-bit); DX:AX = AX * src (16-bit)."),
  unary("IMUL", 5, "Signed: AX = AL * src (8-bit); DX:AX = AX * src (16-bit)."),
  unary(
    "DIV",
    6,
    "Unsigned: AL, AH = AX / src, AX % src (8-bit); AX, DX = DX:AX / src, DX:AX % src.",
    yes("the 16-bit dividend DX:AX must be below 2^31"),
  ),
  unary("IDIV", 7, "Signed divide, like DIV."),
  {
    op: "CBW",
    roles: [],
    minOperands: 0,
    x86: { kind: "fixed", bytes: [0x98] },
    pxvm: YES,
    forms: "—",
    examples: ["CBW"],
    doc: "AH = the sign of AL (AX = AL sign-extended).",
  },
  fixed("CWD", [0x99], "DX = the sign of AX (DX:AX = AX sign-extended)."),
  shift("SHL", 4, "dst = dst << count."),
  shift("SHR", 5, "dst = dst >> count (unsigned)."),
  shift("SAR", 7, "dst = dst >> count (signed)."),
  jcc("JE", 0x4, signed("JEQ"), "Jump when equal (ZF = 1). Alias JZ."),
  jcc("JZ", 0x4, signed("JEQ"), "Jump when zero. Same encoding as JE."),
  jcc("JNE", 0x5, signed("JNE"), "Jump when not equal (ZF = 0). Alias JNZ."),
  jcc("JNZ", 0x5, signed("JNE"), "Jump when not zero. Same encoding as JNE."),
  jcc("JG", 0xf, signed("JGT"), "Jump when greater (signed)."),
  jcc("JGE", 0xd, signed("JGE"), "Jump when greater or equal (signed)."),
  jcc("JL", 0xc, signed("JLT"), "Jump when less (signed)."),
  jcc("JLE", 0xe, signed("JLE"), "Jump when less or equal (signed)."),
  jcc("JA", 0x7, unsigned("JGT"), "Jump when above (unsigned)."),
  jcc("JAE", 0x3, unsigned("JGE"), "Jump when above or equal (unsigned). Alias JNC."),
  jcc("JB", 0x2, unsigned("JLT"), "Jump when below (unsigned). Alias JC."),
  jcc("JBE", 0x6, unsigned("JLE"), "Jump when below or equal (unsigned)."),
  jcc("JC", 0x2, unsigned("JLT"), "Jump when carry. Same encoding as JB."),
  jcc("JNC", 0x3, unsigned("JGE"), "Jump when no carry. Same encoding as JAE."),
  jcc("JS", 0x8, { compare: "SIGN", jump: "JLT" }, "Jump when the result was negative (SF = 1)."),
  jcc("JNS", 0x9, { compare: "SIGN", jump: "JGE" }, "Jump when the result was not negative."),
  branch("JMP", { kind: "jmp" }, "label (EB rel8 when it reaches, else E9 rel16)", "Jump."),
  branch(
    "LOOP",
    { kind: "short", opcode: 0xe2 },
    "label (rel8 only)",
    "CX = CX - 1; jump when CX != 0. The target must be within -128..127 bytes.",
  ),
  branch(
    "JCXZ",
    { kind: "short", opcode: 0xe3 },
    "label (rel8 only)",
    "Jump when CX = 0. The target must be within -128..127 bytes.",
  ),
  branch(
    "CALL",
    { kind: "call" },
    "label (E8 rel16)",
    "Push the return address and jump.",
    yes("the return address is kept on pxVM's own stack; 2 bytes are reserved at SP"),
  ),
  {
    op: "RET",
    roles: ["value"],
    minOperands: 0,
    x86: { kind: "ret" },
    pxvm: YES,
    forms: "— · imm16 (pop extra bytes)",
    examples: ["RET", "RET 4"],
    doc: "Return; with a value, also drop that many bytes of arguments.",
  },
  {
    op: "INT",
    roles: ["value"],
    minOperands: 1,
    x86: { kind: "int" },
    pxvm: yes("only INT 0x10 with AH = 0x0E (teletype: print AL); other numbers are refused"),
    forms: "imm8",
    examples: ["INT 0x10", "INT 3"],
    doc: "Software interrupt (BIOS service).",
  },
  {
    op: "IN",
    roles: DS,
    minOperands: 2,
    x86: { kind: "in" },
    pxvm: no("pxVM has no I/O ports"),
    forms: "AL/AX, imm8 · AL/AX, DX",
    examples: ["IN AL, 0x60", "IN AX, DX", "IN AL, DX"],
    doc: "Read an I/O port.",
  },
  {
    op: "OUT",
    roles: DS,
    minOperands: 2,
    x86: { kind: "out" },
    pxvm: yes("only OUT 0xF4, AL (QEMU's isa-debug-exit: ends the program with exit code AL)"),
    forms: "imm8, AL/AX · DX, AL/AX",
    examples: ["OUT 0xF4, AL", "OUT DX, AL", "OUT DX, AX", "OUT 0x80, AX"],
    doc: "Write an I/O port.",
  },
  fixed("LODSB", [0xac], "AL = [SI]; SI += 1.", YES, true),
  fixed("LODSW", [0xad], "AX = [SI]; SI += 2.", YES, true),
  fixed("STOSB", [0xaa], "[DI] = AL; DI += 1 (segment ES).", YES, true),
  fixed("STOSW", [0xab], "[DI] = AX; DI += 2.", YES, true),
  fixed("MOVSB", [0xa4], "[DI] = [SI]; SI += 1; DI += 1.", YES, true),
  fixed("MOVSW", [0xa5], "[DI] = [SI] (word); SI += 2; DI += 2.", YES, true),
  fixed("CLD", [0xfc], "Clear the direction flag (string ops count up)."),
  fixed("STD", [0xfd], "Set the direction flag.", no("string instructions only count up on pxVM")),
  fixed("CLI", [0xfa], "Disable interrupts.", yes("does nothing")),
  fixed("STI", [0xfb], "Enable interrupts.", yes("does nothing")),
  fixed("HLT", [0xf4], "Halt the processor.", yes("ends the program with exit code 0")),
  fixed("NOP", [0x90], "Do nothing."),
]);

/** Rows by mnemonic. */
export const INSTRUCTION_BY_OP: ReadonlyMap<string, InstructionSpec> = new Map(
  INSTRUCTIONS.map((row) => [row.op, row]),
);

/** The prefixes accepted before a repeatable string instruction, and their x86 byte. */
export const PREFIXES: ReadonlyMap<string, number> = new Map([
  ["REP", 0xf3],
  ["REPE", 0xf3],
  ["REPZ", 0xf3],
  ["REPNE", 0xf2],
  ["REPNZ", 0xf2],
]);

/** One register. */
export interface RegisterSpec {
  /** Upper-case name. */
  readonly name: string;
  /** Width in bits. */
  readonly size: 8 | 16;
  /** The x86 register number (ModRM reg field). */
  readonly code: number;
  /** True for ES, CS, SS, DS. */
  readonly segment: boolean;
}

const reg = (name: string, size: 8 | 16, code: number, segment = false): RegisterSpec => ({
  name,
  size,
  code,
  segment,
});

/** The registers, in x86 numbering. */
export const REGISTERS: readonly RegisterSpec[] = Object.freeze([
  ..."AX CX DX BX SP BP SI DI".split(" ").map((n, i) => reg(n, 16, i)),
  ..."AL CL DL BL AH CH DH BH".split(" ").map((n, i) => reg(n, 8, i)),
  ..."ES CS SS DS".split(" ").map((n, i) => reg(n, 16, i, true)),
]);

/** Registers by name. */
export const REGISTER_BY_NAME: ReadonlyMap<string, RegisterSpec> = new Map(
  REGISTERS.map((r) => [r.name, r]),
);

/** One named `SYSCALL`: each backend lowers it its own way. */
export interface SyscallSpec {
  /** Lower-case name (`SYSCALL print_char`). */
  readonly name: string;
  /** What it reads. */
  readonly inputs: string;
  /** What it does (registers other than the documented ones are preserved). */
  readonly doc: string;
  /** How the x86 backend does it. */
  readonly x86: string;
  /** How the pxVM backend does it. */
  readonly pxvm: string;
}

/** The named syscalls. */
export const SYSCALLS: readonly SyscallSpec[] = Object.freeze([
  {
    name: "print_char",
    inputs: "AL",
    doc: "Print the character in AL. A newline (10) is printed as a line break.",
    x86: "COM1 (port 0x3F8) and INT 0x10 AH=0x0E teletype (CR before LF on screen)",
    pxvm: "SYSCALL PRINT of one byte",
  },
  {
    name: "print_string",
    inputs: "SI",
    doc: "Print the NUL-terminated string at SI.",
    x86: "print_char for each byte",
    pxvm: "SYSCALL PRINT of the bytes up to the NUL",
  },
  {
    name: "newline",
    inputs: "—",
    doc: "Print a line break.",
    x86: "print_char 10",
    pxvm: "SYSCALL PRINT of one newline",
  },
  {
    name: "clear_screen",
    inputs: "—",
    doc: "Clear the screen.",
    x86: "INT 0x10 AX=0x0003 (set text mode 3)",
    pxvm: "nothing (console output cannot be taken back)",
  },
  {
    name: "halt",
    inputs: "AL",
    doc: "End the program with exit code AL.",
    x86: "OUT 0xF4, AL (QEMU isa-debug-exit: status AL*2+1), then CLI; HLT forever",
    pxvm: "SYSCALL EXIT with R1 = AL",
  },
]);

/** Syscalls by name. */
export const SYSCALL_BY_NAME: ReadonlyMap<string, SyscallSpec> = new Map(
  SYSCALLS.map((s) => [s.name, s]),
);

/** Data directives and what each emits. */
export const DATA_DIRECTIVES: readonly { name: string; doc: string }[] = Object.freeze([
  {
    name: "STRING",
    doc: '`STRING "text"`: the UTF-8 bytes (escapes \\n \\t \\r \\0 \\\\ \\" \\xHH), then a 0',
  },
  { name: "BYTE", doc: "`BYTE 1, 'A', 0x10`: bytes (alias `DB`; strings allowed)" },
  { name: "WORD", doc: "`WORD 1, label`: 16-bit little-endian words (alias `DW`)" },
  { name: "RESB", doc: "`RESB n`: n zero bytes (alias `TIMES n DB 0`)" },
]);

/** The IR version this build reads and writes. */
export const IR_VERSION = 1;
