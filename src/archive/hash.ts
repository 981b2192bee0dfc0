/**
 * SHA-256 and hex helpers (replacing `@std/encoding`'s hex, which is on unreachable JSR).
 *
 * @module
 */
export { preferNativeSha256, sha256 } from "../sha256.ts";

/** Each byte's two hex digits: a lookup per byte instead of a number-to-string conversion. */
const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX_PAIRS[bytes[i]];
  return s;
}

/** True when two byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
