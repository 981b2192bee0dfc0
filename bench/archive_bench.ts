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
import { createHash } from "node:crypto";
import { throughNative } from "./native_zlib.ts";

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
    const deflated = await throughNative(content, new CompressionStream("deflate-raw"));
    const { png } = await packCartridge(files);
    const label = `${size / MiB} MiB ${kind}`;

    Deno.bench(
      { name: `deflate (baseline) ${label}`, group: `pack ${label}`, baseline: true },
      async () => {
        await throughNative(content, new CompressionStream("deflate-raw"));
      },
    );
    Deno.bench({ name: `packCartridge ${label}`, group: `pack ${label}` }, async () => {
      await packCartridge(files);
    });
    // The floor (issue 16 §3): inflating the content once and the one SHA-256 of it that the
    // format requires the reader to check (each file's hash is in the index).
    Deno.bench(
      { name: `inflate + SHA-256 (baseline) ${label}`, group: `unpack ${label}`, baseline: true },
      async () => {
        const inflated = await throughNative(deflated, new DecompressionStream("deflate-raw"));
        createHash("sha256").update(inflated).digest();
      },
    );
    Deno.bench({ name: `inflate only ${label}`, group: `unpack ${label}` }, async () => {
      await throughNative(deflated, new DecompressionStream("deflate-raw"));
    });
    Deno.bench({ name: `openCartridge+readAll ${label}`, group: `unpack ${label}` }, async () => {
      // As `pxos unpack` does: every member is read and hash-checked, so the payload hash is skipped.
      const cart = await openCartridge(png, { verifyPayloadHash: false });
      await cart.archive.readAll();
    });
  }
}
