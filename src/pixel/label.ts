/**
 * Cartridge labels: the picture shown beside the data. Either an image the author supplies
 * (any standard PNG, or RGBA pixels) or one drawn here from a title and subtitle with the
 * built-in bitmap font.
 *
 * @module
 */

import { PxosError } from "../errors.ts";
import { drawText, FONT_METRICS, measureText } from "./font.ts";
import type { RgbaImage } from "./image.ts";

/** Text for a generated label. */
export interface GeneratedLabelOptions {
  /** Main line, drawn large (wrapped; cut with "..." when too long). */
  title: string;
  /** Second line, drawn small (e.g. the package name and version). */
  subtitle?: string;
  /** Side of the square label in pixels, a multiple of 128 from 128 to 512 (default 128). */
  size?: number;
}

/** A label: PNG bytes (any standard kind), decoded RGBA pixels, or text to draw one from. */
export type CartridgeLabel = Uint8Array | RgbaImage | GeneratedLabelOptions;

type Rgba = [number, number, number, number];
const BACKGROUND: Rgba = [29, 43, 83, 255];
const FRAME: Rgba = [41, 173, 255, 255];
const TITLE: Rgba = [255, 241, 232, 255];
const SUBTITLE: Rgba = [255, 163, 0, 255];
const BADGE: Rgba = [255, 119, 168, 255];
const STRIPES: Rgba[] = [
  [255, 0, 77, 255],
  [255, 163, 0, 255],
  [255, 236, 39, 255],
  [0, 228, 54, 255],
  [41, 173, 255, 255],
  [131, 118, 156, 255],
];

/** The generated label's background colour, also used to fill unused image areas. */
export const LABEL_BACKGROUND: readonly [number, number, number, number] = BACKGROUND;

/**
 * Draws a label: a framed panel with the title (large, centred, wrapped), the subtitle and a
 * colour stripe.
 *
 * @example
 * ```ts
 * import { generateLabel } from "@pxos/core";
 * const label = generateLabel({ title: "Hello", subtitle: "hello 1.0.0" });
 * console.log(label.width, label.height); // 128 128
 * ```
 *
 * @param options the text and size
 * @returns the label as RGBA8
 */
export function generateLabel(options: GeneratedLabelOptions): RgbaImage {
  const k = Math.min(4, Math.max(1, Math.floor((options.size ?? 128) / 128)));
  const size = 128 * k;
  const image: RgbaImage = { width: size, height: size, data: new Uint8Array(size * size * 4) };
  fillRect(image, 0, 0, size, size, BACKGROUND);
  // Frame: a 2-unit border inset by 3 units.
  fillRect(image, 3 * k, 3 * k, size - 6 * k, 2 * k, FRAME);
  fillRect(image, 3 * k, size - 5 * k, size - 6 * k, 2 * k, FRAME);
  fillRect(image, 3 * k, 3 * k, 2 * k, size - 6 * k, FRAME);
  fillRect(image, size - 5 * k, 3 * k, 2 * k, size - 6 * k, FRAME);
  drawText(image, 9 * k, 9 * k, "pxOS", BADGE, k);
  STRIPES.forEach((color, i) => fillRect(image, (84 + i * 6) * k, 10 * k, 5 * k, 5 * k, color));

  const innerWidth = 112 * k;
  const title = options.title.trim() || "untitled";
  // Large letters when the title fits in three lines of them, else small ones.
  let scale = 2 * k;
  let lines = wrapText(title, Math.floor(innerWidth / (FONT_METRICS.advance * scale)), 3);
  if (lines.at(-1)?.endsWith("...") && !title.endsWith("...")) {
    scale = k;
    lines = wrapText(title, Math.floor(innerWidth / (FONT_METRICS.advance * scale)), 5);
  }
  const subtitle = options.subtitle?.trim() ?? "";
  const subLines = subtitle ? wrapText(subtitle, Math.floor(innerWidth / (6 * k)), 2) : [];
  const titleHeight = lines.length * FONT_METRICS.lineHeight * scale;
  const subHeight = subLines.length * FONT_METRICS.lineHeight * k;
  const gap = subLines.length > 0 ? 6 * k : 0;
  let y = Math.floor(20 * k + (86 * k - titleHeight - gap - subHeight) / 2);
  for (const line of lines) {
    drawText(image, centred(size, measureText(line, scale)), y, line, TITLE, scale);
    y += FONT_METRICS.lineHeight * scale;
  }
  y += gap;
  for (const line of subLines) {
    drawText(image, centred(size, measureText(line, k)), y, line, SUBTITLE, k);
    y += FONT_METRICS.lineHeight * k;
  }
  STRIPES.forEach((color, i) => {
    fillRect(image, (9 + i * 18) * k, 108 * k, 18 * k, 4 * k, color);
  });
  return image;
}

/**
 * Turns any {@link CartridgeLabel} into RGBA pixels: decodes PNG bytes (errors become
 * `E_LABEL`), checks supplied pixels, or draws a generated label.
 *
 * @param label the label
 * @param generatedSize side of a generated label in pixels
 * @returns the label as RGBA8
 * @throws {PxosError} `E_LABEL` when the label is unusable
 */
export async function resolveLabel(
  label: CartridgeLabel,
  generatedSize = 128,
): Promise<RgbaImage> {
  if (label instanceof Uint8Array || "data" in label) {
    return await checkedLabel(label);
  }
  return generateLabel({ size: generatedSize, ...label });
}

/**
 * A supplied label: PNG bytes decoded or RGBA pixels checked. The decoder is imported only here:
 * a generated label (what `pxos pack` draws unless told otherwise) needs none of it.
 */
async function checkedLabel(label: Uint8Array | RgbaImage): Promise<RgbaImage> {
  const { decodePngToRgba, DEFAULT_MAX_LABEL_BYTES } = await import("./label_decode.ts");
  if (label instanceof Uint8Array) {
    return await decodePngToRgba(label, {
      code: "E_LABEL",
      maxDecodedBytes: DEFAULT_MAX_LABEL_BYTES,
    });
  }
  const { width, height, data } = label;
  const ok = Number.isInteger(width) && Number.isInteger(height) && width >= 1 &&
    height >= 1 && width * height * 4 <= DEFAULT_MAX_LABEL_BYTES &&
    data instanceof Uint8Array && data.length === width * height * 4;
  if (!ok) {
    throw new PxosError(
      "E_LABEL",
      `label pixels must be RGBA8 of width*height*4 bytes (at most 4096x4096), got ` +
        `${width}x${height} with ${data?.length} bytes`,
    );
  }
  return label;
}

/** Splits text into at most `maxLines` lines of at most `perLine` characters. */
function wrapText(text: string, perLine: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let current = "";
  for (let word of words) {
    while (word.length > perLine) {
      if (current) lines.push(current);
      lines.push(word.slice(0, perLine));
      word = word.slice(perLine);
      current = "";
    }
    const candidate = current ? `${current} ${word}` : word;
    if (candidate.length <= perLine) {
      current = candidate;
    } else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    const last = kept[maxLines - 1];
    kept[maxLines - 1] = last.length + 3 <= perLine ? `${last}...` : `${last.slice(0, -3)}...`;
    return kept;
  }
  return lines;
}

function centred(total: number, width: number): number {
  return Math.floor((total - width) / 2);
}

/**
 * Fills a rectangle: its first row pixel by pixel, the rest copied from it. This runs once per
 * pack, cold (interpreted), where a loop per pixel over a 512 × 512 label cost ≈ 8 ms (CPU
 * profile of `pxos pack`).
 */
function fillRect(
  image: RgbaImage,
  x0: number,
  y0: number,
  w: number,
  h: number,
  [r, g, b, a]: Rgba,
): void {
  const left = Math.max(0, x0);
  const right = Math.min(image.width, x0 + w);
  const top = Math.max(0, y0);
  const bottom = Math.min(image.height, y0 + h);
  if (left >= right || top >= bottom) return;
  const data = image.data;
  const first = (top * image.width + left) * 4;
  const end = first + (right - left) * 4;
  for (let o = first; o < end; o += 4) {
    data[o] = r;
    data[o + 1] = g;
    data[o + 2] = b;
    data[o + 3] = a;
  }
  for (let y = top + 1; y < bottom; y++) data.copyWithin((y * image.width + left) * 4, first, end);
}
