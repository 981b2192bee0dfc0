/**
 * Pixel substrate speed: encodeCartridgeImage / decodeCartridgeImage of 1 MiB and 16 MiB
 * payloads (random bytes and compressible text) against a baseline of raw native
 * `CompressionStream("deflate")` / `DecompressionStream("deflate")` over the same bytes, fed from
 * memory (`native_zlib.ts`).
 *
 *     deno bench --allow-read bench/pixel_bench.ts
 */
import { decodeCartridgeImage, encodeCartridgeImage } from "../mod.ts";
import { throughNative } from "./native_zlib.ts";

function rawDeflate(data: Uint8Array): Promise<Uint8Array> {
  return throughNative(data, new CompressionStream("deflate"));
}

function rawInflate(data: Uint8Array): Promise<Uint8Array> {
  return throughNative(data, new DecompressionStream("deflate"));
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

/** Text-like bytes: seeded random words and numbers, compressing about 3x like source code. */
function textBytes(n: number): Uint8Array {
  const words = ("pixel cartridge deno engine bytecode label host frame layer render manifest " +
    "archive index offset length return const function let if else for while await async " +
    "import export from type interface number string boolean true false null undefined")
    .split(" ");
  const out = new Uint8Array(n);
  const encoder = new TextEncoder();
  let seed = 12345;
  let at = 0;
  while (at < n) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const word = seed % 7 === 0 ? String(seed % 100000) : words[(seed >>> 8) % words.length];
    const sep = seed % 11 === 0 ? "\n" : seed % 5 === 0 ? "; " : " ";
    at += encoder.encodeInto(word + sep, out.subarray(at)).written;
  }
  return out;
}

const MiB = 1024 * 1024;
for (const [label, size] of [["1 MiB", MiB], ["16 MiB", 16 * MiB]] as const) {
  for (const [kind, data] of [["random", randomBytes(size)], ["text", textBytes(size)]] as const) {
    const png = await encodeCartridgeImage(data, { label: { title: "bench" } });
    const deflated = await rawDeflate(data);
    const n = size > MiB ? 8 : 40;
    // One registration shape for every row: same n and warm-up, names end in the payload.
    const bench = (group: string, name: string, fn: () => Promise<unknown>, baseline = false) =>
      Deno.bench({ name: `${name} ${label} ${kind}`, group, baseline, n, warmup: 1 }, async () => {
        await fn();
      });
    const encodeGroup = `encode ${label} ${kind}`;
    bench(encodeGroup, "raw deflate", () => rawDeflate(data), true);
    bench(encodeGroup, "encodeCartridgeImage", () => {
      return encodeCartridgeImage(data, { label: { title: "bench" } });
    });
    const decodeGroup = `decode ${label} ${kind}`;
    bench(decodeGroup, "raw inflate", () => rawInflate(deflated), true);
    bench(decodeGroup, "decodeCartridgeImage", () => decodeCartridgeImage(png));
    bench(decodeGroup, "decodeCartridgeImage, verifyHash off", () => {
      return decodeCartridgeImage(png, { verifyHash: false });
    });
  }
}
