/**
 * Fuzz: thousands of seeded random mutations of valid cartridge images. The decoder may only
 * refuse with a PxosError or return exactly the original payload — never another error type,
 * never a wrong payload, never a hang. A failure prints the seed and iteration to replay.
 */
import {
  crc32,
  decodeCartridgeImage,
  decodePng,
  decodePngToRgba,
  encodeCartridgeImage,
  encodePng,
  PxosError,
} from "../../mod.ts";
import { assert } from "../assert.ts";
import { buildPng, seededBytes, seededInts } from "./png_builder.ts";

const SEED = Number(Deno.env.get("PXOS_FUZZ_SEED") ?? 20261121);
const ITERATIONS = Number(Deno.env.get("PXOS_FUZZ_ITERATIONS") ?? 5000);

/** Recomputes every chunk CRC that can be found, so mutations reach the layers below CRC. */
function fixCrcs(png: Uint8Array): Uint8Array {
  const out = png.slice();
  const view = new DataView(out.buffer);
  let pos = 8;
  while (pos + 12 <= out.length) {
    const length = view.getUint32(pos);
    if (pos + 12 + length > out.length) break;
    view.setUint32(pos + 8 + length, crc32(out.subarray(pos + 4, pos + 8 + length)));
    pos += 12 + length;
  }
  return out;
}

function mutateBytes(png: Uint8Array, rand: (n: number) => number): Uint8Array {
  let out = png.slice();
  const edits = 1 + rand(4);
  for (let e = 0; e < edits; e++) {
    const at = rand(out.length);
    switch (rand(6)) {
      case 0: // bit flip
        out[at] ^= 1 << rand(8);
        break;
      case 1: // byte overwrite, favouring boundary values
        out[at] = [0, 255, 0x7f, 0x80, rand(256)][rand(5)];
        break;
      case 2: // truncation
        out = out.subarray(0, at);
        break;
      case 3: { // splice: copy a range from elsewhere over this spot
        const from = rand(out.length);
        const len = 1 + rand(64);
        out.set(out.slice(from, from + len).subarray(0, Math.max(0, out.length - at)), at);
        break;
      }
      case 4: { // insert random bytes
        const insert = seededBytes(1 + rand(16), rand(1 << 30));
        const grown = new Uint8Array(out.length + insert.length);
        grown.set(out.subarray(0, at));
        grown.set(insert, at);
        grown.set(out.subarray(at), at + insert.length);
        out = grown;
        break;
      }
      default: { // delete a range
        const end = Math.min(out.length, at + 1 + rand(32));
        const shrunk = new Uint8Array(out.length - (end - at));
        shrunk.set(out.subarray(0, at));
        shrunk.set(out.subarray(end), at);
        out = shrunk;
      }
    }
    if (out.length === 0) break;
  }
  return out;
}

/** Mutates decoded pixels (the header row most of the time) and re-encodes a valid PNG. */
async function mutatePixels(
  image: { width: number; height: number; channels: 3 | 4; pixels: Uint8Array },
  rand: (n: number) => number,
): Promise<Uint8Array> {
  const pixels = image.pixels.slice();
  const edits = 1 + rand(3);
  for (let e = 0; e < edits; e++) {
    const inHeader = rand(3) > 0;
    const at = inHeader ? rand(32 * image.channels) : rand(pixels.length);
    pixels[at] = rand(2) ? pixels[at] ^ (1 << rand(8)) : rand(256);
  }
  return await encodePng({ ...image, pixels });
}

Deno.test(`fuzz: ${ITERATIONS} mutations of cartridges decode correctly or raise PxosError (seed ${SEED})`, async () => {
  const payload = seededBytes(700, 42);
  const opaque = {
    width: 12,
    height: 10,
    data: seededBytes(12 * 10 * 4, 1).map((v, i) => i % 4 === 3 ? 255 : v),
  };
  const translucent = { width: 6, height: 6, data: seededBytes(6 * 6 * 4, 2) };
  const rgb = await encodeCartridgeImage(payload, { label: opaque });
  const rgba = await encodeCartridgeImage(payload, { label: translucent });
  // A 16-bit re-save of the RGB cartridge: exercises the general (fast-png) decoding path.
  const rgbImage = await decodePng(rgb);
  const wide = buildPng({
    width: rgbImage.width,
    height: rgbImage.height,
    colorType: 2,
    bitDepth: 16,
    samples: Array.from(rgbImage.pixels, (v) => v * 257),
    filter: "cycle",
  });
  const stored = await encodeCartridgeImage(payload, { label: opaque, compression: "store" });
  const bases = [rgb, rgba, wide, stored];
  const images = [rgbImage, await decodePng(rgba)];
  for (const base of bases) {
    const ok = await decodeCartridgeImage(base);
    assert(ok.payload.every((v, i) => v === payload[i]), "bases decode");
  }
  const rand = seededInts(SEED);
  const tally = { decoded: 0, refused: 0 };
  const codes = new Map<string, number>();
  for (let i = 0; i < ITERATIONS; i++) {
    const mode = rand(10);
    let input: Uint8Array;
    if (mode < 4) input = mutateBytes(bases[rand(bases.length)], rand);
    else if (mode < 8) input = fixCrcs(mutateBytes(bases[rand(bases.length)], rand));
    else input = await mutatePixels(images[rand(images.length)], rand);
    const started = performance.now();
    try {
      const result = await decodeCartridgeImage(input);
      const same = result.payload.length === payload.length &&
        result.payload.every((v, k) => v === payload[k]);
      if (!same) throw new Error(`iteration ${i} (seed ${SEED}): decoded a WRONG payload`);
      tally.decoded++;
    } catch (e) {
      if (!(e instanceof PxosError)) {
        throw new Error(`iteration ${i} (seed ${SEED}): non-PxosError ${e}`, { cause: e });
      }
      tally.refused++;
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    }
    const elapsed = performance.now() - started;
    assert(elapsed < 3000, `iteration ${i} (seed ${SEED}) took ${elapsed.toFixed(0)} ms`);
  }
  console.log(
    `fuzz: ${tally.decoded} decoded, ${tally.refused} refused`,
    Object.fromEntries(codes),
  );
  assert(tally.refused > ITERATIONS / 2, "most mutations are refused");
  assert(
    codes.has("E_PNG_CORRUPT") && codes.has("E_PIXEL_HEADER") && codes.has("E_ARCHIVE_HASH"),
    "all layers reached",
  );
});

Deno.test(`fuzz: ${ITERATIONS} mutations of labels of every PNG kind give RGBA or E_LABEL (seed ${SEED})`, async () => {
  const rand = seededInts(SEED + 1);
  const kinds: [0 | 2 | 3 | 4 | 6, 1 | 2 | 4 | 8 | 16, 0 | 1][] = [
    [0, 1, 1],
    [0, 16, 0],
    [2, 16, 1],
    [3, 2, 1],
    [3, 8, 0],
    [4, 8, 1],
    [6, 8, 0],
    [6, 16, 1],
  ];
  const bases = kinds.map(([colorType, bitDepth, interlace]) => {
    const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
    const limit = colorType === 3 ? 4 : 2 ** bitDepth;
    return buildPng({
      width: 9,
      height: 7,
      colorType,
      bitDepth,
      interlace,
      filter: "cycle",
      samples: Array.from({ length: 63 * channels }, () => rand(limit)),
      palette: colorType === 3 ? seededBytes(12, 3) : undefined,
      trns: colorType === 3
        ? Uint8Array.of(0, 128)
        : colorType === 0
        ? Uint8Array.of(0, 1)
        : undefined,
    });
  });
  let decoded = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const base = bases[rand(bases.length)];
    const input = rand(2) ? fixCrcs(mutateBytes(base, rand)) : mutateBytes(base, rand);
    try {
      const image = await decodePngToRgba(input);
      assert(image.data.length === image.width * image.height * 4, `iteration ${i}: RGBA size`);
      decoded++;
    } catch (e) {
      if (!(e instanceof PxosError) || e.code !== "E_LABEL") {
        throw new Error(`iteration ${i} (seed ${SEED}): expected E_LABEL, got ${e}`, { cause: e });
      }
    }
  }
  assert(decoded < ITERATIONS, "some label mutations are refused");
});
