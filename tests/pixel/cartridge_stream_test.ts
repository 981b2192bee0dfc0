/**
 * The streamed cartridge encoder writes exactly the bytes of the in-memory one, in pieces no
 * larger than a few MiB, for stored (random) and deflated (text) payloads of many sizes.
 */
import { encodeCartridgeImage } from "../../src/pixel/cartridge_image.ts";
import { streamCartridgeImage } from "../../src/pixel/cartridge_image_stream.ts";
import { decodeCartridgeImage } from "../../src/pixel/cartridge_decode.ts";
import { assert, assertEquals } from "../assert.ts";

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

async function streamed(payload: Uint8Array, options = {}) {
  const pieces: Uint8Array[] = [];
  await streamCartridgeImage(payload, (bytes) => {
    pieces.push(bytes.slice()); // the sink may reuse its buffer after the promise
    return Promise.resolve();
  }, options);
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return { png: out, largest: Math.max(...pieces.map((p) => p.length)) };
}

Deno.test("streamed cartridge images are byte-identical to the in-memory encoder's", async () => {
  const text = new TextEncoder().encode("pixels carry programs. ".repeat(40_000));
  const cases: [string, Uint8Array, Record<string, unknown>][] = [
    ["empty", new Uint8Array(0), {}],
    ["one byte", Uint8Array.of(7), {}],
    ["random 300 KiB (stored)", randomBytes(300_000, 3), {}],
    ["random 3 MiB (stored, many IDATs)", randomBytes(3 * 1024 * 1024 + 5, 4), {}],
    ["exactly 65535×3 bytes", randomBytes(65535 * 3, 5), { compression: "store" }],
    ["text (deflated)", text, {}],
    ["text forced to store", text, { compression: "store" }],
    ["random with a drawn label", randomBytes(500_000, 6), {
      label: { title: "T", subtitle: "s" },
    }],
  ];
  for (const [name, payload, options] of cases) {
    const expected = await encodeCartridgeImage(payload, options);
    const { png, largest } = await streamed(payload, options);
    assertEquals(png.length, expected.length, `${name}: length`);
    assert(png.every((b, i) => b === expected[i]), `${name}: bytes differ`);
    assertEquals((await decodeCartridgeImage(png)).payload, payload, `${name}: payload back`);
    if (name.includes("stored")) {
      assert(largest <= (1 << 20) + 12, `${name}: largest piece ${largest} bytes`);
    }
  }
});
