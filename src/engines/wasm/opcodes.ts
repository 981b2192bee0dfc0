/**
 * Instruction lengths of the wasm code format: {@link skipImmediates} steps over one
 * instruction's immediates, which is all the fuel rewriter needs to walk a function body.
 * Covers the MVP, sign extension, saturating conversions, bulk memory, reference types, SIMD,
 * atomics and tail calls; exception handling and GC are refused (`E_VERIFY`).
 *
 * @module
 */
import type { WasmReader } from "./binary.ts";

/** Control opcodes the rewriter tracks. */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
} as const;

const VALTYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f, 0x40]);

function blockType(r: WasmReader): void {
  const b = r.bytes[r.pos];
  if (VALTYPES.has(b)) r.pos++;
  else r.skipSigned(33);
}

function memarg(r: WasmReader): void {
  const align = r.u32();
  if (align & 0x40) r.u32();
  r.u32();
}

/** The commonest immediate shapes, by opcode: 1 none, 2 one u32, 3 memarg; 0 the others. */
const SHAPE = new Uint8Array(256);
for (let op = 0x45; op <= 0xc4; op++) SHAPE[op] = 1;
for (const op of [0x00, 0x01, 0x05, 0x0b, 0x0f, 0x1a, 0x1b, 0xd1]) SHAPE[op] = 1;
for (let op = 0x20; op <= 0x24; op++) SHAPE[op] = 2;
for (const op of [0x0c, 0x0d, 0x10, 0x12]) SHAPE[op] = 2;
for (let op = 0x28; op <= 0x3e; op++) SHAPE[op] = 3;

/**
 * Steps over the immediates of opcode `op` (already read). The common shapes go through a table
 * first: the rewriter runs once per load, mostly before the JIT has warmed up, where a long
 * `switch` of opcodes costs a comparison per case.
 */
export function skipImmediates(r: WasmReader, op: number): void {
  const shape = SHAPE[op];
  if (shape === 1) return;
  if (shape === 2) {
    r.u32();
    return;
  }
  if (shape === 3) return memarg(r);
  switch (op) {
    case 0x00:
    case 0x01:
    case 0x05:
    case 0x0b:
    case 0x0f:
    case 0x1a:
    case 0x1b:
    case 0xd1:
    case 0xd3:
    case 0xd4:
      return;
    case 0x02:
    case 0x03:
    case 0x04:
      return blockType(r);
    case 0x0c:
    case 0x0d:
    case 0x10:
    case 0x12:
    case 0x14:
    case 0x15:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x3f:
    case 0x40:
    case 0xd2:
    case 0xd5:
    case 0xd6:
      r.u32();
      return;
    case 0x11:
    case 0x13:
      r.u32();
      r.u32();
      return;
    case 0x0e:
      for (let n = r.count(); n >= 0; n--) r.u32();
      return;
    case 0x1c: {
      const n = r.count();
      r.take(n, "select types");
      return;
    }
    case 0x41:
      return r.skipSigned(32);
    case 0x42:
      return r.skipSigned(64);
    case 0x43:
      r.take(4, "f32 bytes");
      return;
    case 0x44:
      r.take(8, "f64 bytes");
      return;
    case 0xd0:
      return r.skipSigned(33);
    case 0xfc:
      return miscImmediates(r);
    case 0xfd:
      return simdImmediates(r);
    case 0xfe: {
      const sub = r.u32();
      if (sub === 0x03) r.u8();
      else memarg(r);
      return;
    }
  }
  r.fail(
    `an instruction the fuel counter supports (opcode 0x${
      op.toString(16)
    }: exception handling and GC are not supported)`,
    r.pos - 1,
  );
}

function miscImmediates(r: WasmReader): void {
  const sub = r.u32();
  if (sub <= 7) return;
  if (sub === 8 || sub === 10 || sub === 12 || sub === 14) {
    r.u32();
    r.u32();
    return;
  }
  if (sub <= 17) {
    r.u32();
    return;
  }
  r.fail(`a 0xFC instruction 0–17 (found ${sub})`);
}

function simdImmediates(r: WasmReader): void {
  const sub = r.u32();
  if (sub <= 11 || sub === 92 || sub === 93) return memarg(r);
  if (sub === 12 || sub === 13) {
    r.take(16, "v128 bytes");
    return;
  }
  if (sub >= 21 && sub <= 34) {
    r.u8();
    return;
  }
  if (sub >= 84 && sub <= 91) {
    memarg(r);
    r.u8();
  }
}
