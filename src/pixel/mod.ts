/**
 * Layer 0, the pixel substrate: bytes ↔ pixel values ↔ PNG, labels, capacity. The public API is
 * listed here by name; helpers inside the files stay internal.
 *
 * @module
 */
export {
  decodeCartridgeImage,
  type DecodeCartridgeOptions,
  type DecodedCartridgeImage,
} from "./cartridge_decode.ts";
export {
  encodeCartridgeImage,
  type EncodeCartridgeOptions,
  type PayloadSource,
} from "./cartridge_image.ts";
export {
  type ByteSink,
  streamCartridgeImage,
  streamCartridgeImageFrom,
} from "./cartridge_image_stream.ts";
export { crc32, tableCrc32 } from "./crc32.ts";
export { drawText, FONT_METRICS, glyphRows, measureText, type TextTarget } from "./font.ts";
export {
  CARTRIDGE_FORMAT_VERSION,
  CARTRIDGE_MAGIC,
  type CartridgeHeader,
  HEADER_BYTES,
  HEADER_PIXELS,
} from "./header.ts";
export type { PixelImage, PixelRect, RgbaImage } from "./image.ts";
export { type CartridgeLabel, type GeneratedLabelOptions, generateLabel } from "./label.ts";
export {
  decodePngToRgba,
  type DecodeToRgbaOptions,
  DEFAULT_MAX_LABEL_BYTES,
} from "./label_decode.ts";
export {
  BYTES_PER_DATA_PIXEL,
  type CartridgeLayout,
  MAX_PAYLOAD_BYTES,
  planCartridgeLayout,
} from "./layout.ts";
export { decodePng, type DecodePngOptions } from "./png_decode.ts";
export { encodePng } from "./png_encode.ts";
