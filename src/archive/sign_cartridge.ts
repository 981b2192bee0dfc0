/**
 * Signing a cartridge image: the archive's trailer is replaced by a signature block and the image
 * is re-encoded with the same label, so the picture looks the same and the archive digest (what
 * is signed) does not change.
 *
 * @module
 */
import {
  decodeCartridgeImage,
  decodePng,
  encodeCartridgeImage,
  type RgbaImage,
} from "../pixel/mod.ts";
import type { PixelImage, PixelRect } from "../pixel/image.ts";
import { readArchive } from "./reader.ts";
import { signDigest } from "./signature.ts";

/**
 * Signs the cartridge in `png` with a PEM private key and returns the new cartridge PNG.
 * An existing signature is replaced.
 *
 * @example
 * ```ts ignore
 * import { generateSigningKeys, signCartridge } from "@pxos/core";
 * const keys = await generateSigningKeys();
 * const signed = await signCartridge(await Deno.readFile("hello.pxa"), keys.privateKeyPem);
 * ```
 */
export async function signCartridge(png: Uint8Array, privateKeyPem: string): Promise<Uint8Array> {
  const decoded = await decodeCartridgeImage(png);
  const archive = await readArchive(decoded.payload, { name: "cartridge" });
  const block = await signDigest(archive.digest, privateKeyPem);
  const unsignedLength = decoded.payload.length - archive.trailer.length;
  const payload = new Uint8Array(unsignedLength + block.length);
  payload.set(decoded.payload.subarray(0, unsignedLength), 0);
  payload.set(block, unsignedLength);
  // The trailer length sits outside the digested header bytes, so the digest stays valid.
  new DataView(payload.buffer).setUint32(24, block.length, true);
  const label = cropToRgba(await decodePng(png), decoded.labelRegion);
  return await encodeCartridgeImage(payload, { label });
}

function cropToRgba(image: PixelImage, rect: PixelRect): RgbaImage {
  const data = new Uint8Array(rect.width * rect.height * 4);
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const from = ((rect.y + y) * image.width + rect.x + x) * image.channels;
      const to = (y * rect.width + x) * 4;
      data[to] = image.pixels[from];
      data[to + 1] = image.pixels[from + 1];
      data[to + 2] = image.pixels[from + 2];
      data[to + 3] = image.channels === 4 ? image.pixels[from + 3] : 255;
    }
  }
  return { width: rect.width, height: rect.height, data };
}
