/**
 * CRC-32 (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320), as PNG chunks and the pxOS pixel header
 * use it. Table-driven: one lookup per byte keeps 64 MiB payload images fast.
 *
 * @module
 */

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

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
export function crc32(bytes: Uint8Array, crc = 0): number {
  const table = CRC_TABLE;
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
