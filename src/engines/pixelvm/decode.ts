/**
 * The pre-decoder ("decode once, run many"): turns verified bytecode into fixed-width records the
 * dispatch loops read without re-parsing operands. Each instruction gets one 4-word record
 * `[op, a, b, c]` in an `Int32Array`, indexed by instruction number; jump targets are resolved to
 * instruction numbers and opcodes are renumbered densely so the `switch` compiles to a jump table.
 *
 * Two arrays are built: `plain` (one record per instruction, used by the precise loop that traces,
 * profiles and raises traps) and `fast`, where the first instruction of each hot sequence is
 * replaced by a superinstruction that does the whole sequence. Every other record keeps its plain
 * form, so a jump into the middle of a fused sequence still lands on a correct record.
 *
 * @module
 */
import { PIXELVM_ISA } from "./isa.ts";
import type { NativeTier } from "./jit.ts";
import type { PixelModule } from "./module.ts";
import type { SourceMap } from "../source_map.ts";
import { type ModuleLayout, readI32 } from "./verifier.ts";

// Dense internal opcodes: the ISA table's row index (checked below), then the engine's own.
export const I_PUSH = 0, I_POP = 1, I_ADD = 2, I_SUB = 3, I_MUL = 4, I_DIV = 5, I_MOD = 6;
export const I_NEG = 7, I_AND = 8, I_OR = 9, I_XOR = 10, I_NOT = 11, I_SHL = 12, I_SHR = 13;
export const I_SHRU = 14, I_PRINT = 15, I_DUP = 16, I_SWAP = 17, I_PRINT_STR = 18, I_OVER = 19;
export const I_ROT = 20, I_EQ = 21, I_LT = 22, I_GT = 23, I_NE = 24, I_LE = 25, I_GE = 26;
export const I_JMP = 27, I_JZ = 28, I_JNZ = 29, I_CALL = 30, I_RET = 31, I_ENTER = 32;
export const I_LGET = 33, I_LSET = 34, I_RETN = 35, I_LOAD = 36, I_STORE = 37, I_LOADB = 38;
export const I_STOREB = 39, I_HOST = 40, I_NOP = 41, I_HALT = 42;
/** Sentinel after the last instruction: running into it traps. */
export const I_END = 43;
/** `PUSH k; ADD` (or `SUB`, with -k). */
export const F_ADDI = 44;
/** `LGET i; PUSH k; ADD|SUB`. */
export const F_LGET_ADDI = 45;
/** `LGET i; PUSH k; ADD|SUB; LSET i`. */
export const F_LINC = 46;
/** `LGET i; LGET j`. */
export const F_LGET2 = 47;
/** `CALL t` where `t` is `ENTER n`. */
export const F_CALLE = 48;
/** `LGET i; RETN 1`. */
export const F_LRET1 = 49;
/** `cmp; JZ|JNZ t`: six conditions from here (EQ NE LT GE GT LE; cc ^ 1 negates). */
export const F_J = 50;
/** `PUSH k; cmp; JZ|JNZ t`: six conditions. */
export const F_JI = 56;
/** `LGET i; PUSH k; cmp; JZ|JNZ t`: six conditions. */
export const F_LJI = 62;
/** `LGET i; PUSH k; ADD|SUB; CALL t` where `t` is `ENTER n` (a = i | n << 8): compute an
 * argument and call, the shape of every recursive call. */
export const F_LADDI_CALLE = 68;
/** `ADD; RETN 1`: combine two results and return. */
export const F_ADD_RET1 = 69;
/** `LGET i; PUSH k; cmp; JZ|JNZ t; LGET j; RETN 1` (a = i | j << 8): a recursion's base case,
 * "if the condition holds jump on, else return local j"; six conditions. */
export const F_LJI_RET = 70;
/** Marker (fast records only) at the entry of a compiled region: the fast loop stops there and
 * the driver runs the compiled code (`jit.ts`). */
export const F_NATIVE = 76;
/** `CALL t` under the seed's single stack (fast records only): push the return byte offset `b`
 * on the data stack, jump to `a`. */
export const F_SCALL = 77;
/** `RET` under the seed's single stack (fast records only): pop a byte offset, go there. */
export const F_SRET = 78;
/** Number of internal opcodes. */
export const OP_COUNT = 79;

/** Names of internal opcodes, for profiles of the plain loop and for tests. */
export const INTERNAL_NAMES: readonly string[] = [
  ...PIXELVM_ISA.map((s) => s.name),
  "END",
];

for (const [i, name] of INTERNAL_NAMES.entries()) {
  // The I_ constants above must mirror the table order; a mismatch is a build bug.
  if (i < PIXELVM_ISA.length && PIXELVM_ISA[i].name !== name) throw new Error("ISA order");
}
if (PIXELVM_ISA[I_HALT].name !== "HALT" || PIXELVM_ISA[I_PUSH].name !== "PUSH") {
  throw new Error("PixelVM internal opcode numbering does not match isa.ts");
}

const CC_OF: Record<number, number> = {
  [I_EQ]: 0,
  [I_NE]: 1,
  [I_LT]: 2,
  [I_GE]: 3,
  [I_GT]: 4,
  [I_LE]: 5,
};
const INDEX_OF_CODE = new Int32Array(256).fill(-1);
for (const [i, s] of PIXELVM_ISA.entries()) INDEX_OF_CODE[s.code] = i;

/** A verified module, pre-decoded for the dispatch loops. */
export interface DecodedProgram {
  /** The (linked, verified) module. */
  module: PixelModule;
  /** Number of instructions (the sentinel record sits at this index). */
  count: number;
  /** Plain records, 4 words each. */
  plain: Int32Array;
  /** Records with superinstructions. */
  fast: Int32Array;
  /** Byte offset of each instruction; `offsets[count]` is the code length. */
  offsets: Int32Array;
  /** `PRINT_STR` literals, indexed by the record's `a` word. */
  strings: string[];
  /** Instruction index → label (exports, then `L_<offset>` for other jump/call targets). */
  labels: Map<number, string>;
  /** Whether `CALL`/`RET` keep return addresses on the data stack (the seed's convention). */
  singleStack: boolean;
  /** Instruction index of each code byte offset where one starts, else -1 (`RET` targets). */
  indexAt: Int32Array;
  /** Source file for error messages. */
  file?: string;
  /** Where the code came from (the assembler's map, or the module's debug section). */
  sourceMap?: SourceMap;
  /** The compiled tier, when the program has regions worth compiling (see `jit.ts`). */
  native?: NativeTier;
}

/** Pre-decodes a verified module (pass the layout {@link verifyModule} returned). */
export function predecode(m: PixelModule, layout: ModuleLayout, file?: string): DecodedProgram {
  const code = m.code;
  const count = layout.starts.length;
  const indexAt = new Int32Array(code.length + 1).fill(-1);
  layout.starts.forEach((pc, k) => (indexAt[pc] = k));
  indexAt[code.length] = count;
  const plain = new Int32Array((count + 1) * 4);
  const offsets = new Int32Array(count + 1);
  const strings: string[] = [];
  const labels = new Map<number, string>();
  // The user's own names for jump targets: exports, then the source map's labels.
  for (const e of m.exports) labels.set(indexAt[e.offset], e.name);
  for (const l of m.debug?.labels ?? []) {
    const k = l.offset < code.length ? indexAt[l.offset] : -1;
    if (k >= 0 && !labels.has(k)) labels.set(k, l.name);
  }
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    const pc = layout.starts[k];
    offsets[k] = pc;
    const op = INDEX_OF_CODE[code[pc]];
    const r = k * 4;
    plain[r] = op;
    const kind = PIXELVM_ISA[op].operands[0];
    if (kind === "i32") plain[r + 1] = readI32(code, pc + 1);
    else if (kind === "u8" || kind === "host") plain[r + 1] = code[pc + 1];
    else if (kind === "addr") {
      const target = indexAt[readI32(code, pc + 1)];
      plain[r + 1] = target;
      if (!labels.has(target)) labels.set(target, `L_${readI32(code, pc + 1)}`);
    } else if (kind === "str") {
      const len = readI32(code, pc + 1);
      plain[r + 1] = strings.length;
      strings.push(decoder.decode(code.subarray(pc + 5, pc + 5 + len)));
    }
  }
  offsets[count] = code.length;
  plain[count * 4] = I_END;
  const singleStack = layout.callStack === "single";
  return {
    module: m,
    count,
    plain,
    fast: fuse(plain, count, singleStack ? offsets : undefined),
    offsets,
    strings,
    labels,
    singleStack,
    indexAt: indexAt.subarray(0, code.length),
    file,
    sourceMap: m.debug,
  };
}

/**
 * Builds the superinstruction array from the plain records; with `seedOffsets` (the byte offset
 * of each instruction) `CALL` and `RET` become their single-stack forms.
 */
function fuse(plain: Int32Array, count: number, seedOffsets?: Int32Array): Int32Array {
  const fast = plain.slice();
  const op = (k: number) => (k < count ? plain[k * 4] : -1);
  const arg = (k: number) => plain[k * 4 + 1];
  const isCmp = (o: number) => o in CC_OF;
  const isBranch = (o: number) => o === I_JZ || o === I_JNZ;
  // `cmp; JZ t` jumps when the comparison is false: use the negated condition.
  const cc = (cmp: number, branch: number) => CC_OF[cmp] ^ (branch === I_JZ ? 1 : 0);
  const addSub = (o: number, k: number) => (o === I_SUB ? -k | 0 : k);
  const put = (k: number, o: number, a: number, b = 0, c = 0) => {
    fast[k * 4] = o;
    fast[k * 4 + 1] = a;
    fast[k * 4 + 2] = b;
    fast[k * 4 + 3] = c;
  };
  for (let k = 0; k < count; k++) {
    const o0 = op(k), o1 = op(k + 1), o2 = op(k + 2), o3 = op(k + 3);
    if (
      o0 === I_LGET && o1 === I_PUSH && isCmp(o2) && isBranch(o3) && op(k + 4) === I_LGET &&
      op(k + 5) === I_RETN && arg(k + 5) === 1 && arg(k + 3) > k
    ) {
      // Forward jumps only: the fast loop skips the fuel check here (no loop can pass only
      // through forward jumps and returns).
      put(k, F_LJI_RET + cc(o2, o3), arg(k) | (arg(k + 4) << 8), arg(k + 1), arg(k + 3));
    } else if (o0 === I_LGET && o1 === I_PUSH && isCmp(o2) && isBranch(o3)) {
      put(k, F_LJI + cc(o2, o3), arg(k), arg(k + 1), arg(k + 3));
    } else if (
      o0 === I_LGET && o1 === I_PUSH && (o2 === I_ADD || o2 === I_SUB) && o3 === I_LSET &&
      arg(k + 3) === arg(k)
    ) {
      put(k, F_LINC, arg(k), addSub(o2, arg(k + 1)));
    } else if (
      o0 === I_LGET && o1 === I_PUSH && (o2 === I_ADD || o2 === I_SUB) && o3 === I_CALL &&
      op(arg(k + 3)) === I_ENTER
    ) {
      const target = arg(k + 3);
      put(k, F_LADDI_CALLE, arg(k) | (arg(target) << 8), addSub(o2, arg(k + 1)), target + 1);
    } else if (o0 === I_LGET && o1 === I_PUSH && (o2 === I_ADD || o2 === I_SUB)) {
      put(k, F_LGET_ADDI, arg(k), addSub(o2, arg(k + 1)));
    } else if (o0 === I_PUSH && isCmp(o1) && isBranch(o2)) {
      put(k, F_JI + cc(o1, o2), arg(k), arg(k + 2));
    } else if (isCmp(o0) && isBranch(o1)) {
      put(k, F_J + cc(o0, o1), arg(k + 1));
    } else if (o0 === I_PUSH && (o1 === I_ADD || o1 === I_SUB)) {
      put(k, F_ADDI, addSub(o1, arg(k)));
    } else if (o0 === I_LGET && o1 === I_LGET) {
      put(k, F_LGET2, arg(k), arg(k + 1));
    } else if (o0 === I_LGET && o1 === I_RETN && arg(k + 1) === 1) {
      put(k, F_LRET1, arg(k));
    } else if (o0 === I_ADD && o1 === I_RETN && arg(k + 1) === 1) {
      put(k, F_ADD_RET1, 0);
    } else if (o0 === I_CALL && op(arg(k)) === I_ENTER) {
      put(k, F_CALLE, arg(k) + 1, arg(arg(k)));
    }
  }
  // The fast loop keeps pc in record units (instruction index × 4): targets are stored that way.
  for (let k = 0; k < count; k++) {
    const o = fast[k * 4];
    if (o === I_JMP || o === I_JZ || o === I_JNZ || o === I_CALL || o === F_CALLE) {
      fast[k * 4 + 1] *= 4;
    } else if (o >= F_J && o < F_J + 6) fast[k * 4 + 1] *= 4;
    else if (o >= F_JI && o < F_JI + 6) fast[k * 4 + 2] *= 4;
    else if ((o >= F_LJI && o < F_LJI + 6) || o === F_LADDI_CALLE) fast[k * 4 + 3] *= 4;
    else if (o >= F_LJI_RET && o < F_LJI_RET + 6) fast[k * 4 + 3] *= 4;
  }
  if (seedOffsets) {
    // No superinstruction covers a CALL or RET here (those that do need an ENTER, which the
    // single stack refuses), so every one still has its plain record.
    for (let k = 0; k < count; k++) {
      const o = fast[k * 4];
      if (o === I_CALL) {
        fast[k * 4] = F_SCALL;
        fast[k * 4 + 2] = seedOffsets[k + 1];
      } else if (o === I_RET) fast[k * 4] = F_SRET;
    }
  }
  return fast;
}
