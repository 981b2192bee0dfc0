/**
 * Cartridges must survive lossless re-encodes by another tool, and labels of any kind another
 * tool writes must decode. ImageMagick is the other tool. Without it these tests are reported as
 * ignored (visibly, by name) — unless PXOS_REQUIRE_IMAGEMAGICK=1, when they fail instead.
 */
import { assertEquals } from "../assert.ts";
import {
  decodeCartridgeImage,
  decodePngToRgba,
  encodeCartridgeImage,
  encodePng,
} from "../../mod.ts";
import { findImageMagick, runImageMagick } from "./imagemagick.ts";
import { seededBytes } from "./png_builder.ts";

const magick = await findImageMagick();
const required = Deno.env.get("PXOS_REQUIRE_IMAGEMAGICK") === "1";
const missing = magick === undefined && !required;
const suffix = missing
  ? " (SKIPPED: ImageMagick not found; set PXOS_REQUIRE_IMAGEMAGICK=1 to fail)"
  : "";
if (missing) {
  console.warn(
    "ImageMagick not found (tried magick, /usr/bin/convert, convert): re-encode tests are ignored",
  );
}

function im(): string {
  if (magick === undefined) {
    throw new Error("ImageMagick is required (PXOS_REQUIRE_IMAGEMAGICK=1) but not found");
  }
  return magick;
}

/** Writes `png`, runs ImageMagick `args` (IN/OUT placeholders), reads the result. */
async function reencode(png: Uint8Array, args: string[]): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir({ prefix: "pxos-im-" });
  try {
    const input = `${dir}/in.png`;
    await Deno.writeFile(input, png);
    const output = `${dir}/out.png`;
    const resolved = args.map((a) => a === "IN" ? input : a.replace("OUT", output));
    await runImageMagick(im(), resolved);
    return await Deno.readFile(output);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const REENCODES: [string, string[]][] = [
  ["strip ancillary chunks", ["IN", "-strip", "OUT"]],
  ["to RGB (PNG24)", ["IN", "-strip", "PNG24:OUT"]],
  ["to RGBA (PNG32)", ["IN", "PNG32:OUT"]],
  ["recompress -quality 95", ["IN", "-quality", "95", "OUT"]],
  ["recompress level 9", ["IN", "-define", "png:compression-level=9", "OUT"]],
  ["interlace", ["IN", "-interlace", "PNG", "OUT"]],
  ["16-bit (PNG48)", ["IN", "PNG48:OUT"]],
];

Deno.test({
  name: `ImageMagick re-encodes keep the payload (RGB cartridge)${suffix}`,
  ignore: missing,
  fn: async () => {
    for (
      const [size, compression] of [[0, "auto"], [7, "auto"], [20000, "auto"], [
        300000,
        "store",
      ]] as const
    ) {
      const payload = seededBytes(size, size + 11);
      const png = await encodeCartridgeImage(payload, { label: { title: "IM test" }, compression });
      for (const [what, args] of [...REENCODES, ["plain re-save", ["IN", "OUT"]]] as const) {
        const out = await reencode(png, [...args]);
        const decoded = await decodeCartridgeImage(out);
        assertEquals(decoded.payload, payload, `${size} bytes, ${what}`);
      }
    }
  },
});

Deno.test({
  name: `ImageMagick re-encodes keep the payload (RGBA cartridge, chained)${suffix}`,
  ignore: missing,
  fn: async () => {
    const label = { width: 16, height: 16, data: seededBytes(16 * 16 * 4, 8) };
    const payload = seededBytes(70000, 5);
    let png = await encodeCartridgeImage(payload, { label });
    for (const [what, args] of REENCODES) {
      png = await reencode(png, args);
      assertEquals((await decodeCartridgeImage(png)).payload, payload, `after ${what}`);
    }
  },
});

Deno.test({
  name: `labels ImageMagick writes in every kind decode like ImageMagick reads them${suffix}`,
  ignore: missing,
  fn: async () => {
    const [w, h] = [23, 17];
    const pixels = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        pixels.set([x * 11, y * 15, (x * y) & 255, x < 4 ? 0 : 255 - y], (y * w + x) * 4);
      }
    }
    const source = await encodePng({ width: w, height: h, channels: 4, pixels });
    // Each kind with the IHDR bit depth, colour type and interlace ImageMagick is expected to write.
    const kinds: [string, number[], string[]][] = [
      ["palette", [8, 3, 0], ["IN", "PNG8:OUT"]],
      ["palette interlaced", [8, 3, 1], ["IN", "-interlace", "PNG", "PNG8:OUT"]],
      ["grayscale 8", [8, 0, 0], [
        "IN",
        "-alpha",
        "off",
        "-type",
        "Grayscale",
        "-depth",
        "8",
        "OUT",
      ]],
      ["grayscale 16", [16, 0, 0], [
        "IN",
        "-alpha",
        "off",
        "-type",
        "Grayscale",
        "-depth",
        "16",
        "OUT",
      ]],
      ["grayscale+alpha", [8, 4, 0], ["IN", "-type", "GrayscaleAlpha", "OUT"]],
      ["bilevel interlaced", [1, 0, 1], [
        "IN",
        "-alpha",
        "off",
        "-monochrome",
        "-interlace",
        "PNG",
        "OUT",
      ]],
      ["4-colour palette", [4, 3, 0], [
        "IN",
        "-alpha",
        "off",
        "-colors",
        "4",
        "-depth",
        "2",
        "OUT",
      ]],
      ["RGBA 16 interlaced", [16, 6, 1], ["IN", "-depth", "16", "-interlace", "PNG", "PNG64:OUT"]],
      ["RGB", [8, 2, 0], ["IN", "-alpha", "off", "PNG24:OUT"]],
    ];
    for (const [what, ihdr, args] of kinds) {
      const label = await reencode(source, args);
      assertEquals([label[24], label[25], label[28]], ihdr, `${what}: the PNG kind written`);
      const ours = await decodePngToRgba(label);
      const dir = await Deno.makeTempDir();
      await Deno.writeFile(`${dir}/l.png`, label);
      // Read at 16 bits and scale per the PNG spec (round(v * 255 / 65535)); ImageMagick's own
      // 8-bit output truncates instead, which differs by one for some 16-bit samples.
      const wide = await runImageMagick(im(), [
        `${dir}/l.png`,
        "-depth",
        "16",
        "-endian",
        "MSB",
        "rgba:-",
      ]);
      const theirs = new Uint8Array(wide.length / 2);
      for (let i = 0; i < theirs.length; i++) {
        theirs[i] = Math.round(((wide[i * 2] << 8) | wide[i * 2 + 1]) / 257);
      }
      await Deno.remove(dir, { recursive: true });
      assertEquals([ours.width, ours.height], [w, h], what);
      assertEquals(ours.data, theirs, `${what}: pixels differ from ImageMagick's reading`);
      const cart = await encodeCartridgeImage(Uint8Array.of(1, 2, 3), { label });
      assertEquals(Array.from((await decodeCartridgeImage(cart)).payload), [1, 2, 3], what);
    }
  },
});
