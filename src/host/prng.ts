/**
 * A small seeded PRNG (xoshiro128**) so guests without the `random` permission get reproducible
 * "random" bytes: the same seed gives the same sequence on every machine.
 *
 * @module
 */

/** A deterministic byte source. */
export class SeededRandom {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /** Seeds from up to the first 16 bytes of `seed` (a cartridge digest, or `--seed`). */
  constructor(seed: Uint8Array) {
    const s = new Uint32Array(4);
    for (let i = 0; i < 16; i++) {
      s[i >> 2] ^= (seed[i % Math.max(seed.length, 1)] ?? 0) << ((i & 3) * 8);
    }
    // An all-zero state would stay zero forever.
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 0x9e3779b9;
    this.#s0 = s[0];
    this.#s1 = s[1];
    this.#s2 = s[2];
    this.#s3 = s[3];
  }

  /** The next 32-bit unsigned value. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** Fills `out` with the next bytes of the sequence and returns it. */
  fill(out: Uint8Array): Uint8Array {
    for (let i = 0; i < out.length; i += 4) {
      const v = this.nextU32();
      for (let k = 0; k < 4 && i + k < out.length; k++) out[i + k] = (v >>> (k * 8)) & 0xff;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
