/**
 * The streamed cartridge encoder writes exactly the bytes of the in-memory one, in pieces no
 * larger than a few MiB, for stored (random) and deflated (text) payloads of many sizes.
 */
import { encodeCartridgeImage } from "../../src/pixel/cartridge_image.ts";
import {
  streamCartridgeImage,
  streamCartridgeImageFrom,
} from "../../src/pixel/cartridge_image_stream.ts";
import { decodeCartridgeImage } from "../../src/pixel/cartridge_decode.ts";
import { sha256 } from "../../src/sha256.ts";
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

Deno.test("streaming from a payload source gives the bytes of the in-memory encoder", async () => {
  const text = new TextEncoder().encode("rows read back from a file. ".repeat(30_000));
  for (const payload of [randomBytes(2 * 1024 * 1024 + 7, 9), randomBytes(70_000, 10), text]) {
    // Reads copy into one reused buffer, as a file-backed source does: a view kept too long would
    // show the wrong bytes.
    let buffer = new Uint8Array(0);
    let reads = 0;
    const source = {
      length: payload.length,
      read(at: number, length: number): Uint8Array {
        reads++;
        const part = payload.subarray(at, at + length);
        if (buffer.length < part.length) buffer = new Uint8Array(part.length);
        buffer.set(part);
        return buffer.subarray(0, part.length);
      },
    };
    const sha = await sha256(payload);
    const pieces: Uint8Array<ArrayBuffer>[] = [];
    await streamCartridgeImageFrom(source, sha, (bytes) => {
      pieces.push(bytes.slice());
      return Promise.resolve();
    });
    const png = new Uint8Array(await new Blob(pieces).arrayBuffer());
    const expected = await encodeCartridgeImage(payload);
    assertEquals(png.length, expected.length, `${payload.length} bytes: length`);
    assert(png.every((b, i) => b === expected[i]), `${payload.length} bytes: bytes differ`);
    if (payload.length > 1024 * 1024) { // stored rows: read a few rows at a time
      assert(reads > 4, `the source was read in ${reads} pieces`);
      assert(buffer.length <= 512 * 1024, `largest read ${buffer.length} bytes`);
    }
  }
});

Deno.test("a caller's label pixels are left whole by the streamed encoder (it frees only its own)", async () => {
  const size = 256;
  const data = new Uint8Array(size * size * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) & 0xff));
  const label = { width: size, height: size, data };
  const payload = randomBytes(3 * 1024 * 1024, 11); // stored rows and a label-row arena reused
  const expected = await encodeCartridgeImage(payload, { label });
  for (let round = 0; round < 2; round++) {
    const { png } = await streamed(payload, { label });
    assertEquals(
      data.length,
      size * size * 4,
      `round ${round}: the label's pixels are still there`,
    );
    assertEquals(png.length, expected.length, `round ${round}: length`);
    assert(png.every((b, i) => b === expected[i]), `round ${round}: bytes differ`);
  }
});

Deno.test("a sink that fails part-way fails the streamed encoder with its error", async () => {
  let calls = 0;
  const failing = async (bytes: Uint8Array) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (++calls === 3) throw new Error(`disk full after ${bytes.length} bytes`);
  };
  let error: unknown;
  try {
    await streamCartridgeImage(randomBytes(3 * 1024 * 1024, 12), failing);
  } catch (e) {
    error = e;
  }
  assert(error instanceof Error && error.message.startsWith("disk full"), String(error));
  assert(calls >= 3, `the sink was called ${calls} times`);
});
