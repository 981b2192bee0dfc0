/**
 * Browser stand-in for `node:zlib` in the web player's bundle: only `crc32` (table-driven).
 *
 * @module
 */
export { tableCrc32 as crc32 } from "../../pixel/crc32.ts";
