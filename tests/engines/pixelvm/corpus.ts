/** A seeded generator of valid PixelVM modules (for round-trip and fuzz tests). */
import { operandSize, PIXELVM_HOST_CALLS, PIXELVM_ISA } from "../../../src/engines/pixelvm/isa.ts";
import { encodeModule, type PixelModule } from "../../../src/engines/pixelvm/module.ts";
import { SeededRandom } from "../../../src/host/prng.ts";

/** A small deterministic random source. */
export class Rng {
  #r: SeededRandom;
  constructor(seed: number) {
    this.#r = new SeededRandom(new Uint8Array([seed & 255, (seed >> 8) & 255, 7, 3]));
  }
  /** 0 ≤ n < max. */
  int(max: number): number {
    return this.#r.nextU32() % max;
  }
  /** A random i32, biased toward small and edge values. */
  i32(): number {
    const k = this.int(4);
    if (k === 0) return [0, 1, -1, 2147483647, -2147483648][this.int(5)];
    if (k === 1) return this.int(20) - 5;
    return this.#r.nextU32() | 0;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(256));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

const NAMES = ["f", "g", "main", "L_5", "D_0", "loop", "PUSH", "x_1"];

/** A random module that passes the verifier (header or plain). */
export function generateModule(rng: Rng): Uint8Array {
  const count = 1 + rng.int(40);
  const specs = Array.from({ length: count }, () => rng.pick(PIXELVM_ISA));
  const strs = specs.map((s) => (s.operands[0] === "str" ? rng.bytes(rng.int(12)) : undefined));
  const starts: number[] = [];
  let size = 0;
  specs.forEach((s, i) => {
    starts.push(size);
    size += 1 + s.operands.reduce((n, k) => n + operandSize(k), 0) + (strs[i]?.length ?? 0);
  });
  const header = rng.int(2) === 0;
  const data = header ? rng.bytes(rng.int(24)) : new Uint8Array(0);
  const code = new Uint8Array(size);
  const view = new DataView(code.buffer);
  const relocs: number[] = [];
  const imports: PixelModule["imports"] = [];
  specs.forEach((s, i) => {
    const at = starts[i];
    code[at] = s.code;
    const kind = s.operands[0];
    if (kind === "i32") {
      if (header && rng.int(3) === 0) {
        relocs.push(at);
        view.setInt32(at + 1, rng.int(data.length + 1), true);
      } else view.setInt32(at + 1, rng.i32(), true);
    } else if (kind === "addr") {
      if (header && rng.int(3) === 0) {
        const name = `${rng.pick(["lib", "m2"])}.${rng.pick(NAMES)}`;
        let imp = imports.find((x) => `${x.module}.${x.name}` === name);
        if (!imp) {
          const [module, n] = name.split(".");
          imp = { module, name: n, sites: [] };
          imports.push(imp);
        }
        imp.sites.push(at);
      } else view.setInt32(at + 1, rng.pick(starts), true);
    } else if (kind === "u8") code[at + 1] = rng.int(256);
    else if (kind === "host") code[at + 1] = rng.pick(PIXELVM_HOST_CALLS).id;
    else if (kind === "str") {
      view.setInt32(at + 1, strs[i]!.length, true);
      code.set(strs[i]!, at + 5);
    }
  });
  if (!header) return code;
  const exports = [...new Set(Array.from({ length: rng.int(3) }, () => rng.pick(NAMES)))]
    .map((name) => ({ name, offset: rng.pick(starts) }));
  return encodeModule({
    headerless: false,
    name: rng.pick(["m", "lib", "main"]),
    memoryBytes: (data.length + 3 & ~3) + 4 * rng.int(4),
    code,
    data,
    exports,
    imports,
    relocs,
  });
}

const FRAGMENTS: ((rng: Rng, label: () => string) => string)[] = [
  (r) => `PUSH ${r.i32()}`,
  (r) => r.pick(["ADD", "SUB", "MUL", "DIV", "MOD", "NEG", "AND", "OR", "XOR", "NOT"]),
  (r) => r.pick(["SHL", "SHR", "SHRU", "DUP", "SWAP", "OVER", "ROT", "POP", "NOP"]),
  (r) => r.pick(["EQ", "NE", "LT", "GE", "GT", "LE"]),
  (r) => `LGET ${r.int(4)}`,
  (r) => `LSET ${r.int(4)}`,
  (r) => r.pick(["LOAD", "STORE", "LOADB", "STOREB"]),
  (r) => `PUSH ${r.int(70000) - 10}\n${r.pick(["LOAD", "LOADB"])}`,
  (r, l) => `${r.pick(["JZ", "JNZ"])} ${l()}`,
  (r, l) =>
    `LGET ${r.int(3)}\nPUSH ${r.int(10)}\n${r.pick(["LT", "GE", "EQ", "NE", "GT", "LE"])}\n${
      r.pick(["JZ", "JNZ"])
    } ${l()}`,
  (r) => `LGET ${r.int(3)}\nPUSH ${r.int(5) - 2}\n${r.pick(["ADD", "SUB"])}\nLSET ${r.int(3)}`,
  (r) => `PUSH ${r.int(5) - 2}\n${r.pick(["ADD", "SUB"])}`,
  (r) => `PUSH ${r.int(12)}\nCALL ${r.pick(["sum", "id"])}`,
  (r) => `LGET ${r.int(3)}\nPUSH ${r.int(4)}\nSUB\nCALL sum`,
  (r) =>
    `PUSH ${r.int(5)}\n${r.pick(["LT", "GT", "EQ"])}\n${r.pick(["JZ", "JNZ"])} ${"L" + r.int(6)}`,
  () => "PRINT",
  (r) => `HOST_CALL ${r.pick(["print_top", "write_int", "random", "clock_ms"])}`,
];

/**
 * Pixel Assembly for a program that runs for a while: a frame of locals, random fragments shaped
 * like the superinstruction patterns, labels to jump to, and recursive helpers.
 */
export function generateRunnableSource(rng: Rng): string {
  const lines = ["PUSH 3", "PUSH 5", "PUSH 7", "PUSH 0", "ENTER 4"];
  const label = () => `L${rng.int(6)}`;
  const defined = new Set<string>();
  for (let i = 0; i < 30; i++) {
    if (rng.int(5) === 0) {
      const l = label();
      if (!defined.has(l)) {
        defined.add(l);
        lines.push(`${l}:`);
      }
    }
    lines.push(rng.pick(FRAGMENTS)(rng, label));
  }
  for (let i = 0; i < 6; i++) if (!defined.has(`L${i}`)) lines.push(`L${i}:`);
  lines.push(
    "HALT",
    "sum: ENTER 1",
    "LGET 0",
    "PUSH 1",
    rng.pick(["LT", "LE", "EQ"]),
    "JZ more",
    "LGET 0",
    "RETN 1",
    "more: LGET 0",
    "PUSH 1",
    "SUB",
    "CALL sum",
    "LGET 0",
    "ADD",
    "RETN 1",
    "id: ENTER 1",
    "LGET 0",
    "RETN 1",
  );
  return lines.join("\n");
}

/** A copy of `input` with 1–4 random edits (bytes, bits, truncation, insertion, smashed words). */
export function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  let b = input.slice();
  const edits = 1 + rng.int(4);
  for (let i = 0; i < edits; i++) {
    const k = rng.int(5);
    if (k === 0 && b.length > 0) b[rng.int(b.length)] = rng.int(256);
    else if (k === 1 && b.length > 0) b[rng.int(b.length)] ^= 1 << rng.int(8);
    else if (k === 2) b = b.slice(0, rng.int(b.length + 1));
    else if (k === 3) {
      const at = rng.int(b.length + 1);
      b = Uint8Array.from([...b.slice(0, at), ...rng.bytes(1 + rng.int(4)), ...b.slice(at)]);
    } else if (b.length > 4) {
      // Header fields and operands are little-endian words: smash one with an edge value.
      const at = rng.int(b.length - 3);
      new DataView(b.buffer).setInt32(at, rng.i32(), true);
    }
  }
  return b;
}
