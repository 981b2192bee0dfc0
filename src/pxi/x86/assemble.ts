/**
 * The x86 backend: a flat real-mode binary at `ORG`, or a 512-byte boot sector. Pass 1 lays the
 * program out (sizes and label addresses, repeated until every size settles; a jump found long
 * stays long, so sizes only grow and the loop ends), pass 2 encodes with the final addresses.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { PlacedProgram } from "../ast.ts";
import type { CheckedProgram, CheckedStatement } from "../check.ts";
import { pxiDataBytes } from "../data.ts";
import { INSTRUCTION_BY_OP } from "../isa.ts";
import { checkWithRuntime, syscallsUsed } from "../merge.ts";
import { assembleError } from "../operands.ts";
import { mapEntryFor, type SourceMap, type SourceMapEntry } from "../sourcemap.ts";
import { encodeX86, FormError } from "./encode.ts";
import { x86RuntimeFor } from "./runtime.ts";

/** Size of a boot sector and where its signature goes. */
export const BOOT_SECTOR_SIZE = 512;
/** Where the BIOS loads a boot sector. */
export const BOOT_ORIGIN = 0x7c00;
/** The most layout rounds before giving up (each round can only grow sizes). */
const MAX_ROUNDS = 64;

/** A built binary and its source map. */
export interface X86Build {
  /** The bytes. */
  bytes: Uint8Array;
  /** Byte ranges → IR. */
  map: SourceMap;
  /** Label addresses. */
  labels: Map<string, number>;
}

type Ins = Extract<CheckedStatement, { kind: "ins" }>;

/** A SYSCALL is a CALL of its runtime routine on x86. */
function asInstruction(s: CheckedStatement): Ins | undefined {
  if (s.kind === "ins") return s;
  if (s.kind === "label") return undefined;
  return {
    kind: "ins",
    index: s.index,
    spec: INSTRUCTION_BY_OP.get("CALL")!,
    operands: [{ kind: "imm", value: { label: `__pxi_${s.name}`, offset: 0 } }],
    place: s.place,
  };
}

/**
 * Assembles a parsed program to x86.
 *
 * @param placed the parsed program
 * @param options `boot`: make a 512-byte boot sector (ORG must be 0x7C00)
 * @example
 * ```ts
 * import { assembleX86, parsePxs } from "@pxos/core";
 * const { bytes } = assembleX86(parsePxs("ORG 0x7C00\nJMP $\n", "a.pxs"), { boot: true });
 * console.log(bytes.length, bytes[510], bytes[511]); // 512 85 170
 * ```
 */
export function assembleX86(placed: PlacedProgram, options: { boot?: boolean } = {}): X86Build {
  const { checked, userCount } = checkWithRuntime(placed, x86RuntimeFor(syscallsUsed(placed)));
  const origin = checked.origin;
  if (options.boot && origin !== BOOT_ORIGIN) {
    throw new PxosError(
      "E_ASSEMBLE",
      `a boot sector is loaded at 0x7C00: write ORG 0x7C00 (found ORG 0x${origin.toString(16)})`,
      { file: placed.program.source },
    );
  }
  const code = checked.statements.map((s) => ({ stmt: s, ins: asInstruction(s) }));
  const labels = new Map<string, number>();
  const sizes: number[] = code.map(() => 0);
  const long = new Set<number>();
  let known = false;
  const value = (label: string) => (known ? labels.get(label) : undefined);
  let settled = false;
  for (let round = 0; round < MAX_ROUNDS && !settled; round++) {
    settled = round > 0;
    let address = origin;
    code.forEach(({ stmt, ins }, i) => {
      if (stmt.kind === "label") labels.set(stmt.name, address);
      if (!ins) return;
      const bytes = encodeX86(ins, { address, value, final: false, long: long.has(i) });
      if (bytes.length > 2 && (ins.spec.x86.kind === "jmp" || ins.spec.x86.kind === "jcc")) {
        long.add(i);
      }
      if (bytes.length !== sizes[i]) settled = false;
      sizes[i] = bytes.length;
      address += bytes.length;
    });
    layoutData(checked, address, labels);
    known = true;
  }
  if (!settled) {
    throw new PxosError("E_ASSEMBLE", `the layout did not settle after ${MAX_ROUNDS} rounds`, {
      file: placed.program.source,
    });
  }

  const out: number[] = [];
  const entries: SourceMapEntry[] = [];
  const mapEntry = (start: number, kind: "code" | "data", index: number) => {
    const runtime = kind === "code" && index >= userCount;
    entries.push(mapEntryFor(checked.placed, kind, index, start, out.length, runtime));
  };
  code.forEach(({ stmt, ins }, i) => {
    if (!ins) return;
    const start = out.length;
    try {
      out.push(
        ...encodeX86(ins, {
          address: origin + start,
          value: (l) => labels.get(l),
          final: true,
          long: long.has(i),
        }),
      );
    } catch (e) {
      if (!(e instanceof FormError)) throw e;
      assembleError(
        stmt.place,
        e.message,
        stmt.place.cols?.[ins.spec.roles[e.operand ?? 0]] ?? stmt.place.col,
      );
    }
    mapEntry(start, "code", stmt.index);
  });
  checked.data.forEach((item, i) => {
    const start = out.length;
    out.push(...pxiDataBytes(item, (l) => labels.get(l)!));
    mapEntry(start, "data", i);
  });
  if (origin + out.length > 0x10000) {
    throw new PxosError(
      "E_ASSEMBLE",
      `the program ends at 0x${(origin + out.length).toString(16)}, past the 64 KiB segment`,
      { file: placed.program.source },
    );
  }
  let bytes: Uint8Array = new Uint8Array(out);
  if (options.boot) bytes = bootSector(bytes, placed.program.source);
  return {
    bytes,
    map: {
      version: 1,
      target: options.boot ? "x86-boot" : "x86",
      ir: placed.program.source,
      origin,
      entries,
    },
    labels,
  };
}

function layoutData(checked: CheckedProgram, start: number, labels: Map<string, number>): void {
  let address = start;
  for (const item of checked.data) {
    if (item.label !== null) labels.set(item.label, address);
    address += pxiDataBytes(item, () => 0).length;
  }
}

/** Pads to 510 bytes and appends 0x55 0xAA; refuses code that does not fit. */
function bootSector(code: Uint8Array, file: string): Uint8Array {
  if (code.length > BOOT_SECTOR_SIZE - 2) {
    throw new PxosError(
      "E_ASSEMBLE",
      `the program is ${code.length} bytes; a boot sector holds ${
        BOOT_SECTOR_SIZE - 2
      } (plus the 0x55AA signature)`,
      { file },
    );
  }
  const sector = new Uint8Array(BOOT_SECTOR_SIZE);
  sector.set(code);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}
