/**
 * A minimal RGBA8 PNG and APNG writer for rendered frames (filter 0 rows, zlib through the
 * built-in `CompressionStream("deflate")`). The cartridge codec in `src/pixel/` is the full PNG
 * implementation; this one only writes frames.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { Frame } from "./render_cpu.ts";

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (PNG/zlib polynomial) of `parts` taken in order. */
export function crc32(...parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const bytes of parts) {
    for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

function chunk(type: string, data: Uint8Array): Uint8Array[] {
  const t = ascii(type);
  return [u32be(data.length), t, data, u32be(crc32(t, data))];
}

async function zlib(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
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

function ihdr(width: number, height: number): Uint8Array {
  const data = new Uint8Array(13);
  data.set(u32be(width), 0);
  data.set(u32be(height), 4);
  data.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, adaptive filters, no interlace
  return data;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
  return concat([
    SIGNATURE,
    ...chunk("IHDR", ihdr(frame.width, frame.height)),
    ...chunk("IDAT", await zlib(filtered(frame))),
    ...chunk("IEND", new Uint8Array(0)),
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
  const parts: Uint8Array[] = [SIGNATURE, ...chunk("IHDR", ihdr(width, height))];
  const actl = new Uint8Array(8);
  actl.set(u32be(frames.length), 0); // num_frames; num_plays 0 = forever
  parts.push(...chunk("acTL", actl));
  let seq = 0;
  const delay = Math.max(0, Math.min(65535, Math.round(delayMs)));
  for (let i = 0; i < frames.length; i++) {
    const fctl = new Uint8Array(26);
    fctl.set(u32be(seq++), 0);
    fctl.set(u32be(width), 4);
    fctl.set(u32be(height), 8);
    // x/y offset 0; delay delay/1000 s; dispose none; blend source (replace).
    fctl.set([delay >> 8, delay & 0xff, 0x03, 0xe8, 0, 0], 20);
    parts.push(...chunk("fcTL", fctl));
    const data = await zlib(filtered(fitTo(frames[i], width, height)));
    if (i === 0) {
      parts.push(...chunk("IDAT", data));
    } else {
      parts.push(...chunk("fdAT", concat([u32be(seq++), data])));
    }
  }
  parts.push(...chunk("IEND", new Uint8Array(0)));
  return concat(parts);
}
