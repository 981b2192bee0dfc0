/**
 * The RGBA8 PNG and APNG writer for rendered frames: filter-0 rows, zlib through the built-in
 * `CompressionStream("deflate")`, chunks framed by the pixel layer's PNG code (`src/pixel/`), which
 * this adds the APNG animation chunks to.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { PxosError } from "../errors.ts";
import { ColorType, ihdrBody, PNG_SIGNATURE, pngChunk } from "../pixel/png_chunks.ts";
import { zlibDeflate } from "../pixel/zlib.ts";
import type { Frame } from "./render_cpu.ts";

function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** Rows with a leading filter byte 0 each. */
function filtered(frame: Frame): Uint8Array {
  const stride = frame.width * 4;
  const out = new Uint8Array((stride + 1) * frame.height);
  for (let y = 0; y < frame.height; y++) {
    out.set(frame.rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return out;
}

/** IHDR of an 8-bit RGBA image, no interlace. */
function ihdrRgba(width: number, height: number): Uint8Array {
  return ihdrBody(width, height, ColorType.RGBA);
}

function checkFrame(frame: Frame): void {
  if (frame.rgba.length !== frame.width * frame.height * 4 || frame.width < 1) {
    throw new PxosError(
      "E_USAGE",
      `expected ${frame.width}×${frame.height}×4 RGBA bytes, found ${frame.rgba.length}`,
    );
  }
}

/**
 * Encodes a frame as an RGBA8 PNG.
 *
 * @example
 * ```ts
 * import { encodeFramePng } from "@pxos/core";
 * const rgba = new Uint8Array([255, 0, 0, 255]);
 * const png = await encodeFramePng({ width: 1, height: 1, rgba });
 * console.log(png[1] === 0x50); // "P" of the signature
 * ```
 */
export async function encodeFramePng(frame: Frame): Promise<Uint8Array> {
  checkFrame(frame);
  return concatBytes([
    PNG_SIGNATURE,
    pngChunk("IHDR", ihdrRgba(frame.width, frame.height)),
    pngChunk("IDAT", await zlibDeflate(filtered(frame))),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

/** Copies `frame` onto a transparent `width × height` canvas (cropping or padding). */
function fitTo(frame: Frame, width: number, height: number): Frame {
  if (frame.width === width && frame.height === height) return frame;
  const rgba = new Uint8Array(width * height * 4);
  const w = Math.min(width, frame.width) * 4;
  for (let y = 0; y < Math.min(height, frame.height); y++) {
    rgba.set(frame.rgba.subarray(y * frame.width * 4, y * frame.width * 4 + w), y * width * 4);
  }
  return { width, height, rgba };
}

/**
 * Encodes frames as an animated PNG (APNG: `acTL`, `fcTL`, `IDAT` for the first frame, `fdAT`
 * for the rest), looping forever. Frames of another size than the first are cropped or padded.
 *
 * @param frames at least one frame
 * @param delayMs time each frame is shown
 */
export async function encodeApng(frames: readonly Frame[], delayMs = 100): Promise<Uint8Array> {
  if (frames.length === 0) throw new PxosError("E_USAGE", "an APNG needs at least one frame");
  const { width, height } = frames[0];
  frames.forEach(checkFrame);
  const parts: Uint8Array[] = [PNG_SIGNATURE, pngChunk("IHDR", ihdrRgba(width, height))];
  const actl = new Uint8Array(8);
  actl.set(u32be(frames.length), 0); // num_frames; num_plays 0 = forever
  parts.push(pngChunk("acTL", actl));
  let seq = 0;
  const delay = Math.max(0, Math.min(65535, Math.round(delayMs)));
  for (let i = 0; i < frames.length; i++) {
    const fctl = new Uint8Array(26);
    fctl.set(u32be(seq++), 0);
    fctl.set(u32be(width), 4);
    fctl.set(u32be(height), 8);
    // x/y offset 0; delay delay/1000 s; dispose none; blend source (replace).
    fctl.set([delay >> 8, delay & 0xff, 0x03, 0xe8, 0, 0], 20);
    parts.push(pngChunk("fcTL", fctl));
    const data = await zlibDeflate(filtered(fitTo(frames[i], width, height)));
    if (i === 0) {
      parts.push(pngChunk("IDAT", data));
    } else {
      parts.push(pngChunk("fdAT", concatBytes([u32be(seq++), data])));
    }
  }
  parts.push(pngChunk("IEND", new Uint8Array(0)));
  return concatBytes(parts);
}
