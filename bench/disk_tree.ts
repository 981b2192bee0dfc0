/**
 * A deterministic tree of mixed files for the on-disk archive benchmarks: about two thirds text
 * (compressible source-like lines), one third random bytes, sizes spread log-uniformly from 100 B
 * to 128 KiB, 20 files to a folder, folders nested up to three deep. The same seed always gives the
 * same tree, so `pxos` and `tar`/`zip` are timed on identical bytes.
 *
 * @module
 */
import { join } from "node:path";

const MiB = 1024 * 1024;

/** A small xorshift generator: reproducible without `Math.random`. */
function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const WORDS = ["pixel", "cartridge", "stack", "engine", "host", "layer", "frame", "manifest"];

function textFile(size: number, next: () => number): Uint8Array {
  let s = "";
  while (s.length < size) {
    const w = WORDS[Math.floor(next() * WORDS.length)];
    s += `let ${w}${Math.floor(next() * 1000)} = ${w}(${Math.floor(next() * 100000)});\n`;
  }
  return new TextEncoder().encode(s.slice(0, size));
}

function randomFile(size: number, next: () => number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (next() * 256) | 0;
  return out;
}

/**
 * Writes about `totalBytes` of files under `dir` (which must not exist), plus a `pxos.json` so
 * the tree packs as a cartridge. Returns the number of files written.
 */
export async function writeMixedTree(dir: string, totalBytes: number, seed = 16): Promise<number> {
  const next = generator(seed);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "pxos.json"),
    JSON.stringify({ name: "bench", version: "1.0.0", entry: "main.pxasm" }),
  );
  // The entry must be a file an engine runs: `pxos pack` checks it (and compiles it) at pack time.
  await Deno.writeTextFile(join(dir, "main.pxasm"), "HALT\n");
  let written = 0;
  let files = 2;
  let folder = "";
  while (written < totalBytes) {
    if ((files - 2) % 20 === 0) {
      const depth = 1 + Math.floor(next() * 3);
      const parts: string[] = [];
      for (let d = 0; d < depth; d++) parts.push(`d${Math.floor(next() * 8)}`);
      folder = join(dir, ...parts, `f${files}`);
      await Deno.mkdir(folder, { recursive: true });
    }
    const size = Math.min(
      totalBytes - written,
      Math.max(1, Math.round(100 * Math.pow(1310.72, next()))), // 100 B … 128 KiB
    );
    const data = next() < 2 / 3 ? textFile(size, next) : randomFile(size, next);
    await Deno.writeFile(join(folder, `file${files}.${data[0] === 108 ? "txt" : "bin"}`), data);
    written += size;
    files++;
  }
  return files;
}

/** Sizes the on-disk benchmarks use, in bytes. */
export const TREE_SIZES: readonly number[] = [16 * MiB, 64 * MiB];
