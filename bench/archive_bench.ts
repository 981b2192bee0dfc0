/**
 * Cartridge pack/unpack against raw native deflate/inflate of the same bytes.
 *
 *   deno task bench bench/archive_bench.ts      (or: deno bench -A bench/archive_bench.ts)
 *
 * "pack" is the whole job of `pxos pack` minus file I/O: archive (hash + per-file deflate) and the
 * PNG (pixel header, filtering, zlib, CRCs). "unpack" is `pxos unpack` minus file I/O: PNG decode,
 * archive parse and digest, inflate and hash every file (the payload hash is skipped, as unpack
 * does, because the member hashes cover every byte). Baseline: one `CompressionStream` deflate (or
 * `DecompressionStream` inflate) of the same content.
 */
import { openCartridge, packCartridge } from "../src/archive/cartridge.ts";
import type { ArchiveInput } from "../src/archive/writer.ts";

const MiB = 1024 * 1024;

function textBytes(n: number): Uint8Array {
  const words = [
    "pixel",
    "cartridge",
    "stack",
    "register",
    "layer",
    "frame",
    "engine",
    "host",
    "manifest",
  ];
  let s = "";
  for (let i = 1; s.length < n; i++) s += `${words[(i * 7) % words.length]}${(i * 7919) % 1000} `;
  return new TextEncoder().encode(s.slice(0, n));
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

/**
 * The baseline: the bytes go straight from memory into the native (de)compressor and the output
 * is collected into one buffer. Not through `new Blob([data]).stream()`: that copies the input
 * into a blob and reads it back through asynchronous reads, work the code being measured never
 * does, which made inflating 16 MiB of stored (random) data about 3× slower than the inflate
 * itself and flattered the ratios.
 */
async function pipe(
  data: Uint8Array,
  t: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(data as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
  return new Uint8Array(await new Response(source.pipeThrough(t)).arrayBuffer());
}

const manifest = new TextEncoder().encode(
  JSON.stringify({ name: "bench", version: "1.0.0", entry: "payload.bin" }),
);

for (const [kind, make] of [["text", textBytes], ["random", randomBytes]] as const) {
  for (const size of [1 * MiB, 16 * MiB]) {
    const content = make(size);
    const files: ArchiveInput[] = [
      { path: "pxos.json", data: manifest },
      { path: "payload.bin", data: content },
    ];
    const deflated = await pipe(content, new CompressionStream("deflate-raw"));
    const { png } = await packCartridge(files);
    const label = `${size / MiB} MiB ${kind}`;

    Deno.bench(
      { name: `deflate (baseline) ${label}`, group: `pack ${label}`, baseline: true },
      async () => {
        await pipe(content, new CompressionStream("deflate-raw"));
      },
    );
    Deno.bench({ name: `packCartridge ${label}`, group: `pack ${label}` }, async () => {
      await packCartridge(files);
    });
    Deno.bench(
      { name: `inflate (baseline) ${label}`, group: `unpack ${label}`, baseline: true },
      async () => {
        await pipe(deflated, new DecompressionStream("deflate-raw"));
      },
    );
    Deno.bench({ name: `openCartridge+readAll ${label}`, group: `unpack ${label}` }, async () => {
      // As `pxos unpack` does: every member is read and hash-checked, so the payload hash is skipped.
      const cart = await openCartridge(png, { verifyPayloadHash: false });
      await cart.archive.readAll();
    });
  }
}
