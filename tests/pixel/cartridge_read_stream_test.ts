/**
 * `CartridgeStream` (src/pixel/cartridge_read_stream.ts): the payload read from a file in pieces is the
 * one the whole-image decoder gives, whatever the piece size; images it does not take say so
 * (`NotStreamable`); a damaged chunk is refused.
 */
import { packArchive } from "../../src/archive/writer.ts";
import { decodeCartridgeImage } from "../../src/pixel/cartridge_decode.ts";
import { encodeCartridgeImage } from "../../src/pixel/cartridge_image.ts";
import { CartridgeStream, NotStreamable } from "../../src/pixel/cartridge_read_stream.ts";
import { inPieces } from "./in_pieces.ts";
import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { pseudoRandomBytes, utf8 } from "../archive/helpers.ts";

async function streamPayload(png: Uint8Array, size: number): Promise<Uint8Array> {
  const stream = new CartridgeStream(inPieces(png, size));
  const out = new Uint8Array(stream.open().payloadLength);
  stream.read(out.subarray(0, 1000));
  stream.read(out.subarray(1000));
  await stream.finish();
  return out;
}

// Payload rows in stored blocks (as `pxos pack` writes an incompressible payload): what it reads.
const payload = await packArchive([{ path: "noise.bin", data: pseudoRandomBytes(150_000, 7) }]);
const png = await encodeCartridgeImage(payload, { compression: "store" });

Deno.test("the streamed payload is the whole-image decoder's, in any piece size", async () => {
  const expected = (await decodeCartridgeImage(png, { verifyHash: false })).payload;
  for (const size of [5, 4093, 65536, png.length]) {
    assertEquals(await streamPayload(png, size), expected, `pieces of ${size} bytes`);
  }
});

Deno.test("payload rows in deflated blocks are left to the whole-image reader", async () => {
  const text = await packArchive([{ path: "a.txt", data: utf8("pixel ".repeat(30_000)) }], {
    compress: false,
  });
  let thrown: unknown;
  try {
    await streamPayload(await encodeCartridgeImage(text), 65536);
  } catch (e) {
    thrown = e;
  }
  assert(thrown instanceof NotStreamable, String(thrown));
});

Deno.test("a changed IDAT byte fails that chunk's CRC; a missing IEND is a truncated PNG", async () => {
  const damaged = png.slice();
  damaged[Math.floor(damaged.length / 2)] ^= 0x10;
  await assertPxosError(() => streamPayload(damaged, 65536), "E_PNG_CORRUPT", /CRC/);
  await assertPxosError(
    () => streamPayload(png.subarray(0, png.length - 12), 65536),
    "E_PNG_CORRUPT",
    /truncated/,
  );
});
