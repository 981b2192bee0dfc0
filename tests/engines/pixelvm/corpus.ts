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
