import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { decodeCartridgeImage, encodeCartridgeImage } from "../../mod.ts";
import { seededBytes } from "./png_builder.ts";
import { partlyStored } from "./partly_stored.ts";

Deno.test("consumeInput decodes the payload over the image's own bytes, as a fresh decode would", async () => {
  for (const payload of [seededBytes(400_000, 31), new Uint8Array(150_000).fill(7)]) {
    const png = await encodeCartridgeImage(payload);
    const fresh = await decodeCartridgeImage(png.slice());
    const inPlace = await decodeCartridgeImage(png, { consumeInput: true });
    assertEquals(inPlace.payload, payload);
    assertEquals(fresh.payload, payload);
    assert(inPlace.verified);
  }
  // The random payload is stored, so it was written into the image's buffer, not a new one.
  const png = await encodeCartridgeImage(seededBytes(400_000, 32)); // stored from 256 KiB
  const { payload } = await decodeCartridgeImage(png, { consumeInput: true });
  assert(payload.buffer === png.buffer, "payload is a view of the image's bytes");
});

Deno.test("consumeInput refuses, and says so, an image whose payload rows are partly deflated", async () => {
  // Compressible, so the deflated part is made of compressed blocks (zlib would store random
  // bytes in stored blocks of its own, which the in-place reader takes as well).
  const payload = new Uint8Array(60_000).map((_, i) => (i * 7) & 0x3f);
  const png = await partlyStored(payload, 3, payload.length);
  assertEquals((await decodeCartridgeImage(png.slice())).payload, payload); // valid for everyone
  await assertPxosError(
    () => decodeCartridgeImage(png, { consumeInput: true }),
    "E_PNG_CORRUPT",
    /read in place/,
  );
  // Nothing written yet when the stored part holds only the header row: the inflater takes over.
  const headerOnly = await partlyStored(payload, 1, payload.length);
  assertEquals((await decodeCartridgeImage(headerOnly, { consumeInput: true })).payload, payload);
});
