/**
 * Cartridge images whose zlib stream is stored only in part: valid PNGs a reader must accept,
 * though not what the encoder writes for an archive.
 *
 * @module
 */
import { decodePng, encodeCartridgeImage } from "../../mod.ts";
import { zlibStoreThenDeflate } from "../../src/pixel/zlib.ts";
import { chunk, concat, ihdr, rawScanlines, SIGNATURE } from "./png_builder.ts";

/**
 * A cartridge image of `payload` whose zlib stream stores only its first `storedRows` scanlines
 * and deflates the rest (valid PNG, but not what the encoder writes for an archive). An
 * ancillary chunk of `padding` bytes before the image data makes the file larger than the
 * payload, as an archive's stored payload makes it.
 */
export async function partlyStored(
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
