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
} from "../../mod.ts";
import { assert, assertEquals } from "../assert.ts";
import { fuzz, FUZZ_MUTATIONS, fuzzSeed, mutateBytes } from "../fuzz.ts";
import { buildPng, seededBytes, seededInts } from "./png_builder.ts";

const SEED = fuzzSeed(20261121);
const ITERATIONS = FUZZ_MUTATIONS;

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
  const tally = await fuzz({
    name: "png cartridge",
    seed: SEED,
    input: (rand) => {
      const mode = rand(10);
      if (mode < 4) return mutateBytes(bases[rand(bases.length)], rand);
      if (mode < 8) return fixCrcs(mutateBytes(bases[rand(bases.length)], rand));
      return mutatePixels(images[rand(images.length)], rand);
    },
    attempt: async (input, i) => {
      const result = await decodeCartridgeImage(input);
      const same = result.payload.length === payload.length &&
        result.payload.every((v, k) => v === payload[k]);
      if (!same) throw new Error(`iteration ${i} (seed ${SEED}): decoded a WRONG payload`);
    },
  });
  assert(tally.refused > ITERATIONS / 2, "most mutations are refused");
  assert(
    ["E_PNG_CORRUPT", "E_PIXEL_HEADER", "E_ARCHIVE_HASH"].every((c) => tally.codes.has(c)),
    "all layers reached",
  );
});

Deno.test(`fuzz: ${ITERATIONS} mutations of labels of every PNG kind give RGBA or E_LABEL (seed ${SEED + 1})`, async () => {
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
  const tally = await fuzz({
    name: "png label",
    seed: SEED + 1,
    input: (rand) => {
      const base = bases[rand(bases.length)];
      return rand(2) ? fixCrcs(mutateBytes(base, rand)) : mutateBytes(base, rand);
    },
    attempt: async (input, i) => {
      const image = await decodePngToRgba(input);
      assert(image.data.length === image.width * image.height * 4, `iteration ${i}: RGBA size`);
    },
  });
  assertEquals([...tally.codes.keys()], ["E_LABEL"], "labels are refused only with E_LABEL");
  assert(tally.accepted < ITERATIONS, "some label mutations are refused");
});
