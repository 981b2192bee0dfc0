/**
 * Browser stand-in for `node:crypto` in the web player's bundle: only `createHash("sha256")`
 * with `update`/`digest` (synchronous, as the archive reader uses it; FIPS 180-4).
 *
 * @module
 */
const K = Uint32Array.from([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

/** An incremental SHA-256. */
class Sha256 {
  #h = Uint32Array.from([
    0x6a09e667,
    0xbb67ae85,
    0x3c6ef372,
    0xa54ff53a,
    0x510e527f,
    0x9b05688c,
    0x1f83d9ab,
    0x5be0cd19,
  ]);
  #block = new Uint8Array(64);
  #filled = 0;
  #length = 0;
  #w = new Uint32Array(64);

  update(data: Uint8Array): this {
    this.#length += data.length;
    let i = 0;
    while (i < data.length) {
      const n = Math.min(64 - this.#filled, data.length - i);
      this.#block.set(data.subarray(i, i + n), this.#filled);
      this.#filled += n;
      i += n;
      if (this.#filled === 64) {
        this.#compress();
        this.#filled = 0;
      }
    }
    return this;
  }

  digest(): Uint8Array {
    const bits = this.#length * 8;
    this.update(Uint8Array.of(0x80));
    while (this.#filled !== 56) this.update(Uint8Array.of(0));
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setUint32(0, Math.floor(bits / 2 ** 32));
    new DataView(tail.buffer).setUint32(4, bits >>> 0);
    this.update(tail);
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    this.#h.forEach((v, i) => view.setUint32(i * 4, v));
    return out;
  }

  #compress(): void {
    const w = this.#w;
    const b = this.#block;
    for (let i = 0; i < 16; i++) {
      w[i] = (b[i * 4] << 24) | (b[i * 4 + 1] << 16) | (b[i * 4 + 2] << 8) | b[i * 4 + 3];
    }
    const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, bb, c, d, e, f, g, h] = this.#h;
    for (let i = 0; i < 64; i++) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + s1 + ch + K[i] + w[i]) | 0;
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & bb) ^ (a & c) ^ (bb & c);
      const t2 = (s0 + maj) | 0;
      [h, g, f, e, d, c, bb, a] = [g, f, e, (d + t1) | 0, c, bb, a, (t1 + t2) | 0];
    }
    const s = this.#h;
    [a, bb, c, d, e, f, g, h].forEach((v, i) => (s[i] = (s[i] + v) | 0));
  }
}

/** `createHash("sha256")`; any other algorithm is refused. */
export function createHash(algorithm: string): Sha256 {
  if (algorithm !== "sha256") throw new Error(`the web player has no ${algorithm} hash`);
  return new Sha256();
}
