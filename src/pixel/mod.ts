/**
 * Layer 0, the pixel substrate: bytes ↔ pixel values ↔ PNG, labels, capacity.
 *
 * @module
 */
export * from "./cartridge_image.ts";
export * from "./crc32.ts";
export * from "./font.ts";
export * from "./header.ts";
export * from "./image.ts";
export * from "./label.ts";
export * from "./label_decode.ts";
export * from "./layout.ts";
export * from "./png_decode.ts";
export * from "./png_encode.ts";
