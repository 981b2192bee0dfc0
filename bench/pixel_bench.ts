/**
 * Pixel substrate speed: encodeCartridgeImage / decodeCartridgeImage of 1 MiB and 16 MiB
 * payloads (random bytes and compressible text) against a baseline of raw native
 * `CompressionStream("deflate")` / `DecompressionStream("deflate")` over the same bytes.
 *
 *     deno bench --allow-read bench/pixel_bench.ts
 */
import { decodeCartridgeImage, encodeCartridgeImage } from "../mod.ts";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function rawDeflate(data: Uint8Array): Promise<Uint8Array> {
  return readAll(
    new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new CompressionStream("deflate"),
    ),
  );
}

function rawInflate(data: Uint8Array): Promise<Uint8Array> {
  return readAll(
    new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new DecompressionStream("deflate"),
    ),
  );
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

function textBytes(n: number): Uint8Array {
  const words = ["pixel", "cartridge", "deno", "engine", "bytecode", "label", "host", "frame"];
  let text = "";
  let i = 0;
  while (text.length < n) {
    text += words[(i * 7 + (i >> 3)) % words.length] + (++i % 12 ? " " : "\n");
  }
  return new TextEncoder().encode(text.slice(0, n));
}

const MiB = 1024 * 1024;
for (const [label, size] of [["1 MiB", MiB], ["16 MiB", 16 * MiB]] as const) {
  for (const [kind, data] of [["random", randomBytes(size)], ["text", textBytes(size)]] as const) {
    const png = await encodeCartridgeImage(data, { label: { title: "bench" } });
    const deflated = await rawDeflate(data);
    const n = size > MiB ? 3 : 20;
    const encodeGroup = `encode ${label} ${kind}`;
    Deno.bench({
      name: `raw deflate ${label} ${kind}`,
      group: encodeGroup,
      baseline: true,
      n,
      warmup: 1,
    }, async () => {
      await rawDeflate(data);
    });
    Deno.bench(
      { name: `encodeCartridgeImage ${label} ${kind}`, group: encodeGroup, n, warmup: 1 },
      async () => {
        await encodeCartridgeImage(data, { label: { title: "bench" } });
      },
    );
    const decodeGroup = `decode ${label} ${kind}`;
    Deno.bench({
      name: `raw inflate ${label} ${kind}`,
      group: decodeGroup,
      baseline: true,
      n,
      warmup: 1,
    }, async () => {
      await rawInflate(deflated);
    });
    Deno.bench(
      { name: `decodeCartridgeImage ${label} ${kind}`, group: decodeGroup, n, warmup: 1 },
      async () => {
        await decodeCartridgeImage(png);
      },
    );
  }
}
