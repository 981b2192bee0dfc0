/**
 * Loading a `.pxvm` file: the optional header, then a one-time decode of the whole program into
 * a flat table the interpreter dispatches on without re-reading operand bytes (wasm3's "decode
 * once, run many"), and verification of every jump target.
 *
 * What is refused at load (`E_VERIFY`): a file larger than memory, a bad header, a jump/call
 * target or entry that is not an instruction boundary. What is *not* refused, because imperfect
 * mode must run it with a warning: unknown opcode bytes (decoded as 1-byte `BAD` instructions, so
 * data after the code is fine) and register operands above R7.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { decodeSourceMap, type SourceMap } from "../source_map.ts";
import {
  DEBUG_HEADER_SIZE,
  HEADER_MAGIC,
  HEADER_SIZE,
  HEADER_VERSION,
  HEADER_VERSION_DEBUG,
  instructionLength,
  MEMORY_SIZE,
  OPCODE_BY_BYTE,
  type OpcodeSpec,
  REGISTER_COUNT,
} from "./isa.ts";

/** Internal handler for an unknown opcode byte (1 byte long). */
export const H_BAD = 0x100;
/** Internal handler for an instruction cut off by the end of the program. */
export const H_TRUNCATED = 0x101;
/** Internal handler for running past the last instruction. */
export const H_END = 0x102;
/** Flag on a handler whose instruction must warn (bad register operand) before it runs. */
export const H_WARN = 0x200;
/** Register slot that stands in for a bad register operand: reads 0, writes are dropped. */
export const NULL_REGISTER = REGISTER_COUNT;

/** Words per decoded instruction in {@link PxvmProgram.code}: handler, a, b, c. */
export const STRIDE = 4;

/** One decoded instruction, for the disassembler and tools. */
export interface DecodedInstruction {
  /** Address of its first byte. */
  readonly pc: number;
  /** Encoded length in bytes. */
  readonly length: number;
  /** The opcode row, or `undefined` for a byte that is no opcode or a truncated tail. */
  readonly spec: OpcodeSpec | undefined;
  /** Raw operand values in encoding order (register indexes as encoded, even when > 7). */
  readonly operands: readonly number[];
  /** Why this instruction warns in imperfect mode (and traps in strict), if it does. */
  readonly problem?: string;
}

/** A loaded, verified pxVM program. */
export interface PxvmProgram {
  /** Path, for messages. */
  readonly path: string;
  /** The program image loaded at address 0 (the file without its header). */
  readonly image: Uint8Array;
  /** Whether the file had a header. */
  readonly hasHeader: boolean;
  /** Entry address. */
  readonly entry: number;
  /** Decoded instructions in address order, plus a final `END` at `image.length`. */
  readonly instructions: readonly DecodedInstruction[];
  /** Dispatch table: {@link STRIDE} words per instruction (handler, a, b, c). */
  readonly code: Int32Array;
  /** Address → instruction index, -1 where no instruction starts. Length `image.length + 1`. */
  readonly indexOf: Int32Array;
  /** Where the code came from (a version-3 header's debug section). */
  readonly sourceMap?: SourceMap;
}

/** Splits off and checks the optional header. */
export function readHeader(
  bytes: Uint8Array,
  path: string,
): {
  image: Uint8Array;
  entry: number;
  hasHeader: boolean;
  headerSize: number;
  sourceMap?: SourceMap;
} {
  const hasHeader = bytes.length >= 4 && HEADER_MAGIC.every((b, i) => bytes[i] === b);
  if (!hasHeader) return { image: bytes, entry: 0, hasHeader: false, headerSize: 0 };
  if (bytes.length < HEADER_SIZE) {
    throw new PxosError(
      "E_VERIFY",
      `expected an ${HEADER_SIZE}-byte PXVM header, found ${bytes.length} bytes`,
      { file: path, offset: 0 },
    );
  }
  const version = bytes[4] | (bytes[5] << 8);
  const entry = bytes[6] | (bytes[7] << 8);
  if (version === HEADER_VERSION_DEBUG) {
    const length = bytes.length >= DEBUG_HEADER_SIZE
      ? (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24)) >>> 0
      : -1;
    const end = DEBUG_HEADER_SIZE + length;
    if (length < 0 || end > bytes.length) {
      throw new PxosError(
        "E_VERIFY",
        `expected a ${DEBUG_HEADER_SIZE}-byte PXVM header and an image of the length it states, ` +
          `found ${bytes.length} bytes in all`,
        { file: path, offset: 8 },
      );
    }
    const sourceMap = decodeSourceMap(bytes.subarray(end), length, path, end);
    const image = bytes.subarray(DEBUG_HEADER_SIZE, end);
    return { image, entry, hasHeader: true, headerSize: DEBUG_HEADER_SIZE, sourceMap };
  }
  if (version !== HEADER_VERSION) {
    throw new PxosError(
      "E_VERIFY",
      `expected PXVM header version ${HEADER_VERSION} (or ${HEADER_VERSION_DEBUG} with a debug ` +
        `section), found ${version}`,
      { file: path, offset: 4 },
    );
  }
  return { image: bytes.subarray(HEADER_SIZE), entry, hasHeader: true, headerSize: HEADER_SIZE };
}

/** Reads operand values of `spec` at `pc + 1` (caller checked the length). */
function readOperands(image: Uint8Array, pc: number, spec: OpcodeSpec): number[] {
  const values: number[] = [];
  let at = pc + 1;
  for (const kind of spec.operands) {
    if (kind === "i32") {
      values.push(
        image[at] | (image[at + 1] << 8) | (image[at + 2] << 16) | (image[at + 3] << 24),
      );
      at += 4;
    } else if (kind === "addr") {
      values.push(image[at] | (image[at + 1] << 8));
      at += 2;
    } else {
      values.push(image[at]);
      at += 1;
    }
  }
  return values;
}

/** Decodes the one instruction at `pc` (never throws: bad bytes become BAD/TRUNCATED rows). */
export function decodeAt(image: Uint8Array, pc: number): DecodedInstruction {
  const byte = image[pc];
  const spec = OPCODE_BY_BYTE[byte];
  if (!spec) {
    return {
      pc,
      length: 1,
      spec: undefined,
      operands: [byte],
      problem: `unknown opcode 0x${hex2(byte)}`,
    };
  }
  const length = instructionLength(spec);
  if (pc + length > image.length) {
    return {
      pc,
      length: image.length - pc,
      spec: undefined,
      operands: Array.from(image.subarray(pc)),
      problem: `${spec.mnemonic} cut off by the end of the program`,
    };
  }
  const operands = readOperands(image, pc, spec);
  const badReg = spec.operands.findIndex((k, i) => k === "reg" && operands[i] >= REGISTER_COUNT);
  return {
    pc,
    length,
    spec,
    operands,
    problem: badReg >= 0
      ? `${spec.mnemonic}: bad register index ${operands[badReg]} (expected 0–7)`
      : undefined,
  };
}

/** Whether execution can continue at the next instruction after `ins`. */
function fallsThrough(ins: DecodedInstruction): boolean {
  if (!ins.spec) return ins.length === 1 && !ins.problem?.includes("cut off");
  const m = ins.spec.mnemonic;
  return m !== "HALT" && m !== "JMP" && m !== "RET";
}

/** The `SYSCALL ON_UPDATE` syscall number (see `isa.ts`). */
const ON_UPDATE = 31;

/**
 * The update routine's address when `ins` declares it: `IMM32 R1, label` right before
 * `SYSCALL ON_UPDATE` makes the label code (the frame loop runs it, not a static jump).
 */
function updateTarget(
  previous: DecodedInstruction | undefined,
  ins: DecodedInstruction,
): number | undefined {
  if (ins.spec?.mnemonic !== "SYSCALL" || ins.operands[0] !== ON_UPDATE) return undefined;
  if (previous?.spec?.mnemonic !== "IMM32" || previous.operands[0] !== 1) return undefined;
  return previous.operands[1] >>> 0;
}

/**
 * Finds the code: follows execution from `entry` through fall-through and every static jump or
 * call target, so bytes that are only data (strings, tables — before or after the code) are
 * never mistaken for instructions. Returns the reachable instructions in address order.
 * Throws `E_VERIFY` for a target beyond the program or inside another instruction.
 *
 * @param image the program image (loaded at address 0)
 * @param entry the entry address
 * @param path for messages
 * @param offset file offset of address 0 (the header size), for messages
 */
export function decodeReachable(
  image: Uint8Array,
  entry: number,
  path = "<pxvm>",
  offset = 0,
): DecodedInstruction[] {
  const n = image.length;
  // owner[a] = start address + 1 of the instruction covering byte a (0: none yet).
  const owner = new Int32Array(n);
  const found: DecodedInstruction[] = [];
  const fail = (pc: number, message: string): never => {
    throw new PxosError("E_VERIFY", message, { file: path, offset: offset + pc });
  };
  if (entry > n) {
    fail(6, `expected the entry address within 0–0x${hex4(n)}, found 0x${hex4(entry)}`);
  }
  const work = [entry];
  while (work.length > 0) {
    let pc = work.pop()!;
    let previous: DecodedInstruction | undefined;
    while (pc < n) {
      if (owner[pc] === pc + 1) break; // already decoded from here
      if (owner[pc] !== 0) {
        fail(
          pc,
          `address 0x${hex4(pc)} is reached as code but lies inside the instruction ` +
            `at 0x${hex4(owner[pc] - 1)} (overlapping instructions)`,
        );
      }
      const ins = decodeAt(image, pc);
      for (let a = pc; a < pc + ins.length; a++) {
        if (owner[a] !== 0) {
          fail(pc, `the instruction at 0x${hex4(pc)} overlaps the one at 0x${hex4(owner[a] - 1)}`);
        }
        owner[a] = pc + 1;
      }
      found.push(ins);
      if (ins.spec) {
        ins.spec.operands.forEach((kind, i) => {
          if (kind !== "addr") return;
          const target = ins.operands[i];
          if (target > n) {
            fail(
              pc,
              `${ins.spec!.mnemonic} at 0x${hex4(pc)}: expected a target within ` +
                `0–0x${hex4(n)}, found 0x${hex4(target)}`,
            );
          }
          work.push(target);
        });
        const update = updateTarget(previous, ins);
        if (update !== undefined && update < n) work.push(update);
      }
      if (!fallsThrough(ins)) break;
      previous = ins;
      pc += ins.length;
    }
  }
  return found.sort((x, y) => x.pc - y.pc);
}

/**
 * Loads and verifies a `.pxvm` file.
 *
 * @param bytes the file
 * @param path its path, for messages
 */
export function loadProgram(bytes: Uint8Array, path: string): PxvmProgram {
  const { image: raw, entry, headerSize, sourceMap } = readHeader(bytes, path);
  if (raw.length > MEMORY_SIZE) {
    throw new PxosError(
      "E_VERIFY",
      `expected a program of at most ${MEMORY_SIZE} bytes (pxVM memory), found ${raw.length}`,
      { file: path },
    );
  }
  const image = raw.slice();
  const offset = headerSize;
  const instructions = decodeReachable(image, entry, path, offset);
  const indexOf = new Int32Array(image.length + 1).fill(-1);
  instructions.forEach((ins, i) => (indexOf[ins.pc] = i));
  indexOf[image.length] = instructions.length; // the END row
  const code = new Int32Array((instructions.length + 1) * STRIDE);
  instructions.forEach((ins, i) => {
    const base = i * STRIDE;
    if (!ins.spec) {
      code[base] = ins.length === 1 && OPCODE_BY_BYTE[image[ins.pc]] === undefined
        ? H_BAD
        : H_TRUNCATED;
      return;
    }
    code[base] = ins.spec.opcode | (ins.problem ? H_WARN : 0);
    ins.spec.operands.forEach((kind, k) => {
      let value = ins.operands[k];
      if (kind === "reg" && value >= REGISTER_COUNT) value = NULL_REGISTER;
      if (kind === "addr") {
        const target = value <= image.length ? indexOf[value] : -1;
        if (target < 0) {
          throw new PxosError(
            "E_VERIFY",
            `${ins.spec!.mnemonic} at 0x${hex4(ins.pc)}: expected a jump target on an ` +
              `instruction boundary within 0–0x${hex4(image.length)}, found 0x${hex4(value)}`,
            { file: path, offset: offset + ins.pc },
          );
        }
        value = target;
      }
      code[base + 1 + k] = value;
    });
  });
  // CALL keeps its return address in the spare word so the loop need not look it up.
  instructions.forEach((ins, i) => {
    if (ins.spec?.mnemonic === "CALL") code[i * STRIDE + 2] = ins.pc + ins.length;
  });
  code[instructions.length * STRIDE] = H_END;
  if (entry > image.length || indexOf[entry] < 0) {
    throw new PxosError(
      "E_VERIFY",
      `expected the entry address on an instruction boundary, found 0x${hex4(entry)}`,
      { file: path, offset: 6 },
    );
  }
  return {
    path,
    image,
    hasHeader: headerSize > 0,
    entry,
    instructions,
    code,
    indexOf,
    sourceMap,
  };
}

/** Two hex digits. */
export function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/** Four hex digits. */
export function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}
