import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { decodeCartridgeImage, decodePng, encodeCartridgeImage, packArchive } from "../../mod.ts";
import { zlibStoreThenDeflate } from "../../src/pixel/zlib.ts";
import { chunk, concat, ihdr, rawScanlines, seededBytes, SIGNATURE } from "./png_builder.ts";

/**
 * A cartridge image of `payload` whose zlib stream stores only its first `storedRows` scanlines
 * and deflates the rest (valid PNG, but not what the encoder writes for an archive). An
 * ancillary chunk of `padding` bytes before the image data makes the file larger than the
 * payload, as an archive's stored payload makes it.
 */
async function partlyStored(
  payload: Uint8Array,
  storedRows: number,
  padding = 0,
): Promise<Uint8Array> {
  const image = await decodePng(await encodeCartridgeImage(payload, { label: { title: "t" } }));
  const { width, height } = image;
  const raw = rawScanlines({ width, height, colorType: 2, bitDepth: 8, samples: image.pixels });
  const z = await zlibStoreThenDeflate(raw, storedRows * (width * 3 + 1));
  return concat(
    SIGNATURE,
    ihdr(width, height, 8, 2),
    chunk("prVt", new Uint8Array(padding)),
    chunk("IDAT", z),
    chunk("IEND", new Uint8Array(0)),
  );
}

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

Deno.test("pxos unpack reads such an image again the usual way", async () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const files = [
    { path: "pxos.json", data: text('{"name":"p","version":"1.0.0","entry":"main.pxasm"}') },
    { path: "main.pxasm", data: text("PUSH 1\nPRINT\nHALT\n") },
    { path: "data.txt", data: text("pixel cartridge ".repeat(4000)) },
  ];
  const dir = await Deno.makeTempDir();
  try {
    const cart = `${dir}/p.pxa`;
    const payload = await packArchive(files, { compress: false }); // rows that deflate
    const png = await partlyStored(payload, 3, payload.length);
    await assertPxosError(
      () => decodeCartridgeImage(png.slice(), { consumeInput: true }),
      "E_PNG_CORRUPT",
      /read in place/,
    ); // so the command's first attempt fails, and it must read the file again
    await Deno.writeFile(cart, png);
    const cli = new URL("../../cli.ts", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", cli, "unpack", cart, "-o", `${dir}/out`, "-q"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    for (const f of files) assertEquals(await Deno.readFile(`${dir}/out/${f.path}`), f.data);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
